import { act, render, screen, waitFor } from '@testing-library/react';
import { AttentionNotice, InterventionList, ResilienceProvider } from '../../../src/react';
import type { ResilienceRuntime } from '../../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, json } from './runtimeFixture';

describe('the attention notice', () => {
  let runtime: ResilienceRuntime | undefined;
  afterEach(() => runtime?.dispose());

  it('says a refused answer is kept and where it is, and goes once the student retries it', async () => {
    let accept = false;
    const server = createTestFetch(() => (accept ? json(200, { correct: true }) : json(422, { error: { code: 'UNKNOWN_EXERCISE', message: 'no' } })));
    runtime = createTestRuntime(server.fetch, { storage: { indexedDB: null } });
    const { container } = render(
      <ResilienceProvider runtime={runtime} backends={['api']}>
        <AttentionNotice />
        <InterventionList />
      </ResilienceProvider>,
    );
    const region = container.querySelector('.attention-notice');
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(region).toBeEmptyDOMElement();

    const rt = runtime;
    await act(async () => {
      await rt.outbox.submit({ scope: 'lesson:fractions', user: 'ada', request: { method: 'POST', path: '/api/answers', body: { exerciseId: 'x' } } });
      await rt.outbox.drain();
    });
    const notice = await screen.findByRole('status');
    // Memory storage here (no IndexedDB): the words say the tab keeps it, not the device.
    expect(notice).toHaveTextContent('The server did not accept one of your saved answers. It is kept in this tab until you close it: see Needs your attention to retry or discard it.');
    expect(screen.getByRole('link', { name: 'Needs your attention' })).toHaveAttribute('href', '#needs-your-attention');
    expect(screen.getByRole('region', { name: 'Needs your attention' })).toHaveAttribute('id', 'needs-your-attention');
    expect(await axeViolations(container)).toEqual([]);

    accept = true;
    await act(async () => {
      const [record] = rt.outbox.snapshot().interventions;
      await rt.outbox.retry(record?.entry.id ?? '');
    });
    await waitFor(() => expect(screen.queryByRole('status')).not.toBeInTheDocument());
    expect(region).toBeEmptyDOMElement();
  });
});
