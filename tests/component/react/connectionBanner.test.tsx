import { act, render, screen, waitFor } from '@testing-library/react';
import { ConnectionBanner, ResilienceProvider } from '../../../src/react';
import type { ResilienceRuntime } from '../../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, failRequests, json, manualClock, networkDown } from './runtimeFixture';

describe('the connection banner', () => {
  let runtime: ResilienceRuntime | undefined;
  afterEach(() => runtime?.dispose());

  function renderBanner(rt: ResilienceRuntime) {
    runtime = rt;
    return render(
      <ResilienceProvider runtime={rt} backends={['api']}>
        <ConnectionBanner />
      </ResilienceProvider>,
    );
  }

  it('is an empty live region while all is well, so it exists before it has anything to announce', () => {
    const server = createTestFetch(() => json(200, { lessons: [] }));
    renderBanner(createTestRuntime(server.fetch));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('says limited mode once the API breaker opens and clears when a probe closes it', async () => {
    const clock = manualClock();
    const server = createTestFetch(() => json(503, { error: { code: 'UNAVAILABLE', message: 'down' } }));
    const rt = createTestRuntime(server.fetch, { breakers: { defaults: { openDurationMs: 30_000 } }, clock });
    renderBanner(rt);

    await act(() => failRequests(rt, 4));
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
    await act(() => failRequests(rt, 1));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent("Limited mode — the server is having trouble; we'll keep trying."));

    // While open, requests fail fast: nothing reaches the server.
    const sentWhileOpen = server.sent.length;
    await act(() => failRequests(rt, 3));
    expect(server.sent).toHaveLength(sentWhileOpen);
    expect(screen.getByRole('status')).toHaveTextContent(/Limited mode/);

    server.answerWith(() => json(200, { lessons: [] }));
    clock.advance(30_000);
    await act(() => rt.api.request({ op: 'lesson_list', method: 'GET', path: '/api/lessons' }));
    expect(server.sent).toHaveLength(sentWhileOpen + 1);
    await waitFor(() => expect(screen.getByRole('status')).toBeEmptyDOMElement()); // within a frame
  });

  it('says offline when the health probe fails after the browser reports going offline', async () => {
    const server = createTestFetch(() => networkDown());
    renderBanner(createTestRuntime(server.fetch));
    await act(async () => {
      window.dispatchEvent(new Event('offline'));
      await runtime?.connectivity.probe('test');
    });
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(/^Offline — /)); // within a frame
    expect(server.sent.map((r) => r.url)).toContain('/api/health');
  });

  it('has no axe violations, empty or in limited mode', async () => {
    const server = createTestFetch(() => json(503, {}));
    const rt = createTestRuntime(server.fetch);
    const { container } = renderBanner(rt);
    expect(await axeViolations(container)).toEqual([]);
    await act(() => failRequests(rt, 5));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent(/Limited mode/));
    expect(await axeViolations(container)).toEqual([]);
  });
});
