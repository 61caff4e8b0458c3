import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResilienceProvider, type ChaosFetch } from '../../../src/react';
import { DeveloperPanel } from '../../../src/react/DeveloperPanel';
import { FLAG_NAMES, type ResilienceRuntime } from '../../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, failRequests, json } from './runtimeFixture';

describe('the developer panel', () => {
  let runtime: ResilienceRuntime | undefined;
  afterEach(() => runtime?.dispose());

  async function renderPanel(options: { allowOverrides?: boolean; chaosFetch?: ChaosFetch } = {}) {
    const server = createTestFetch(() => json(503, {}));
    runtime = createTestRuntime(server.fetch, { flags: { allowOverrides: options.allowOverrides ?? true } });
    const user = userEvent.setup();
    const view = render(
      <ResilienceProvider runtime={runtime} backends={['api']}>
        <DeveloperPanel chaos={options.chaosFetch ? { fetch: options.chaosFetch } : undefined} />
      </ResilienceProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Developer tools' }));
    return { ...view, user, runtime, server };
  }

  it('is collapsed until opened', () => {
    const server = createTestFetch(() => json(200, {}));
    runtime = createTestRuntime(server.fetch, { flags: { allowOverrides: true } });
    render(
      <ResilienceProvider runtime={runtime}>
        <DeveloperPanel />
      </ResilienceProvider>,
    );
    expect(screen.getByRole('button', { name: 'Developer tools' })).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();
  });

  it('has a switch named by each flag, showing its effective value and description', async () => {
    const { runtime: rt } = await renderPanel();
    for (const name of FLAG_NAMES) {
      const control = screen.getByRole('switch', { name });
      expect(control).toHaveAttribute('aria-checked', String(rt.flags.isEnabled(name)));
      expect(control).toHaveAccessibleDescription(new RegExp(rt.flags.snapshot().flags[name].description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    }
  });

  it('toggling a switch overrides the flag in the runtime; toggling back returns to the file value', async () => {
    const { user, runtime: rt } = await renderPanel();
    const retry = screen.getByRole('switch', { name: 'retry' });
    expect(rt.flags.isEnabled('retry')).toBe(true);

    await user.click(retry);
    expect(rt.flags.isEnabled('retry')).toBe(false);
    // The UI store commits at most once per frame: the switch follows within one.
    await waitFor(() => expect(retry).toHaveAttribute('aria-checked', 'false'));
    expect(retry).toHaveAccessibleDescription(/overridden: off; on in the file/);

    await user.click(retry);
    expect(rt.flags.isEnabled('retry')).toBe(true);
    expect(rt.flags.snapshot().flags.retry.override).toBeUndefined();
    await waitFor(() => expect(retry).toHaveAccessibleDescription(/\(on in the file\)/)); // within a frame

    await user.click(screen.getByRole('switch', { name: 'predictor' }));
    expect(rt.flags.isEnabled('predictor')).toBe(true);
  });

  it('without overrides allowed the switches change nothing', async () => {
    const { user, runtime: rt } = await renderPanel({ allowOverrides: false });
    await user.click(screen.getByRole('switch', { name: 'retry' }));
    expect(rt.flags.isEnabled('retry')).toBe(true);
    expect(screen.getByRole('switch', { name: 'retry' })).toHaveAttribute('aria-checked', 'true');
  });

  it('shows each breaker live, with its failures', async () => {
    const { runtime: rt } = await renderPanel();
    const row = () => screen.getByRole('row', { name: /^api/ });
    expect(within(row()).getAllByRole('cell')[0]).toHaveTextContent('closed');
    await act(() => failRequests(rt, 5));
    await waitFor(() => expect(within(row()).getAllByRole('cell')[0]).toHaveTextContent('open')); // within a frame
    const cells = within(row()).getAllByRole('cell');
    expect(cells[1]).toHaveTextContent('5');
    expect(cells[3]).toHaveTextContent(/5 consecutive|failures/);
    expect(screen.getByRole('region', { name: 'Recent events' })).toHaveTextContent('breaker.opened');
  });

  it('chaos buttons post to the server and show what happened', async () => {
    const posted: { url: string; body: unknown }[] = [];
    const chaosFetch: ChaosFetch = async (url, init) => {
      posted.push({ url, body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined });
      return { ok: true, status: 200, text: async () => '{}' };
    };
    const { user } = await renderPanel({ chaosFetch });
    await user.click(screen.getByRole('button', { name: 'Fail API requests (503)' }));
    expect(posted).toEqual([{ url: '/__chaos', body: { http: { failRate: 1, status: 503 } } }]);
    expect(await screen.findByText('Every API request now fails with 503.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear chaos' }));
    expect(posted[1]?.url).toBe('/__chaos/reset');
  });

  it('has no axe violations when open, with a breaker open', async () => {
    const { container, runtime: rt } = await renderPanel();
    await act(() => failRequests(rt, 5));
    expect(await axeViolations(container)).toEqual([]);
  });
});
