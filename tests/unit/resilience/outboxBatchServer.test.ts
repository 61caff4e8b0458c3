import type { FetchLike } from '../../../src/resilience';
import { startTestServer, type TestServer } from '../../helpers/server';
import { flagsWith } from './helpers';
import { freshFactory, outboxRuntime, performanceNow, seed, until } from './outboxHelpers';

const USER = 'ada';
const exercises = ['pizza-left', 'add-quarter-half', 'multiply'];

function answers(count: number) {
  return Array.from({ length: count }, (_, i) => {
    const scope = `lesson:${i % 2}`;
    return { scope, user: USER, request: { method: 'POST' as const, path: '/api/answers', body: { lessonId: 'fractions', exerciseId: exercises[i % 3] ?? 'multiply', answer: `${scope}#${Math.floor(i / 2)}` } } };
  });
}

/** Per-scope order from the server's own log of applied answers. */
function inScopeOrder(applied: readonly { answer: string }[]): boolean {
  const last = new Map<string, number>();
  return applied.every(({ answer }) => {
    const [scope = '', n = ''] = answer.split('#');
    const ok = (last.get(scope) ?? -1) < Number(n);
    last.set(scope, Number(n));
    return ok;
  });
}

describe('outbox batch replay against the local server', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('a tab closed after the server applied a batch but before the local delete: the next tab replays the same keys, nothing twice', async () => {
    const factory = freshFactory();
    const entries = await seed(factory, answers(70));
    // The first tab's batch reaches the server and is applied; the answer never reaches the tab (closed first).
    let batchesApplied = 0;
    const cutAfterApply: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (!url.endsWith('/api/answers/batch')) return response;
      await response.arrayBuffer();
      batchesApplied++;
      return new Promise<Response>(() => {});
    };
    const tab1 = outboxRuntime({ api: { fetch: cutAfterApply, baseUrl: server.url }, factory, userId: USER });
    void tab1.runtime.outbox.drain();
    await until(() => batchesApplied === 1, 'the first batch to be applied');
    tab1.runtime.dispose();
    expect((await server.stats()).appliedKeys).toHaveLength(50);

    const tab2 = outboxRuntime({ api: { fetch: (url, init) => fetch(url, init), baseUrl: server.url }, factory, userId: USER });
    // No Web Locks here: the closed tab's lease in IndexedDB holds until its heartbeat has not moved for 10 s.
    await expect(tab2.runtime.outbox.drain()).resolves.toMatchObject({ sent: 0, skipped: 'locked' });
    performanceNow.value += 10_001;
    const report = await tab2.runtime.outbox.drain();
    expect(report).toMatchObject({ sent: 70, remaining: 0, deadLettered: 0 });
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(entries.map((entry) => entry.idempotencyKey));
    expect(stats.answers).toMatchObject({ applied: 70, replayed: 50 });
    expect(inScopeOrder(stats.applied)).toBe(true);
    // The replayed answers carry the verdict the server stored the first time.
    const sent = tab2.ofType('outbox.sent');
    expect(sent).toHaveLength(70);
    expect(sent.every((event) => typeof (event.response as { correct?: unknown }).correct === 'boolean')).toBe(true);
    tab2.runtime.dispose();
  });

  it('drains through a server restart and HTTP faults with each answer applied once, in scope order', async () => {
    const factory = freshFactory();
    const entries = await seed(factory, answers(120));
    await server.chaos({ http: { failRate: 0.3, status: 503, dropResponseRate: 0.2 } });
    // Breaker and connectivity off: this is about exactly-once and order, not about waiting out an open breaker.
    const flags = flagsWith({ circuitBreaker: false, connectivity: false });
    const { runtime } = outboxRuntime({ api: { fetch: (url, init) => fetch(url, init), baseUrl: server.url }, flags: { source: flags }, factory, userId: USER });
    await runtime.outbox.syncNow();
    await server.restart();
    // The first request after a restart may meet a pooled connection the old process closed.
    await server.chaos({ http: { failRate: 0.3, status: 503, dropResponseRate: 0.2 } }).catch(() => server.chaos({ http: { failRate: 0.3, status: 503, dropResponseRate: 0.2 } }));
    for (let round = 0; round < 200 && runtime.outbox.snapshot().pending > 0; round++) await runtime.outbox.syncNow();
    await server.chaos({ http: { failRate: 0, dropResponseRate: 0 } });
    while (runtime.outbox.snapshot().pending > 0) await runtime.outbox.syncNow();
    const stats = await server.stats();
    expect([...stats.appliedKeys].sort()).toEqual(entries.map((entry) => entry.idempotencyKey).sort());
    expect(new Set(stats.appliedKeys).size).toBe(stats.appliedKeys.length);
    expect(inScopeOrder(stats.applied)).toBe(true);
    expect(runtime.outbox.snapshot().interventions).toEqual([]);
    runtime.dispose();
  });
});
