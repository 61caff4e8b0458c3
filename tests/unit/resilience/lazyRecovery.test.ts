import { ResilienceError, memoryStorage, type FallbackStrategy } from '../../../src/resilience';
import { lazyRecovery, type LoadRecovery } from '../../../src/resilience/orchestrator/lazyRecovery';
import { testRuntime } from './helpers';

const recoveryWiring = () => import('../../../src/resilience/orchestrator/recoveryWiring');
const down = () => new ResilienceError('HTTP_5XX', 'primary down', { status: 503 });
const saved: FallbackStrategy<string> = { name: 'saved', canHandle: () => true, execute: async () => ({ ok: true, value: 'saved copy' }) };

/** The recovery facade over a runtime's services; its load waits for `release()` (and fails the first time if asked). */
function setup(fail = false) {
  const { runtime, ofType } = testRuntime();
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const load: LoadRecovery = () => {
    loads.push(loads.length + 1);
    return fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : gate.then(recoveryWiring);
  };
  const { clock, random, events, ids, flags, breakers, connectivity, healing } = runtime;
  const recovery = lazyRecovery({ clock, random, events, ids, flags, storage: memoryStorage(), breakers, connectivity, healer: healing, config: {} }, load);
  return { runtime, ofType, recovery, loads, release };
}

const lesson = (primary: () => Promise<string>) => ({ op: 'lesson_data', requestKey: 'fractions', fallback: { opType: 'lesson_data', data: undefined }, primary });

describe('lazyRecovery (runtime.orchestrator and runtime.fallback while their code loads)', () => {
  it('a working primary is served without waiting for the code; a failing one waits and is recovered by a strategy registered before the load', async () => {
    const { runtime, recovery, release } = setup();
    recovery.fallback.registerStrategy('lesson_data', saved);
    // The gate is shut: this resolves only because the primary path needs none of the recovery code.
    expect(await recovery.orchestrator.run(lesson(async () => 'fresh'))).toEqual({ from: 'primary', value: 'fresh' });
    const failing = recovery.orchestrator.run(
      lesson(async () => {
        throw down();
      }),
    );
    expect(recovery.orchestrator.history()).toEqual([]);
    expect(recovery.fallback.ranking('lesson_data')).toEqual([]);
    release();
    expect(await failing).toEqual({ from: 'fallback', value: 'saved copy', strategy: 'saved' });
    expect(recovery.fallback.ranking('lesson_data')).toEqual(['saved']);
    expect(recovery.orchestrator.history()).toMatchObject([{ op: 'lesson_data', status: 'recovered', method: 'fallback' }]);
    recovery.dispose();
    runtime.dispose();
  });

  it('a workflow step decided before the load is answered at once and recorded in the ledger once the code is there', async () => {
    const { runtime, recovery, release } = setup();
    expect(recovery.orchestrator.metrics().resume).toEqual({ count: 0, successes: 0, successRate: 0, meanDurationMs: 0, p95DurationMs: 0 });
    const handle = recovery.orchestrator.decideWorkflowStep({ workflow: 'lesson:fractions', step: 2, error: new ResilienceError('NETWORK', 'offline'), hasCheckpoint: true, attempts: 0, alternatives: 0 });
    expect(handle).toMatchObject({ decision: 'resume', reason: 'transient' });
    handle.settle(true);
    release();
    await vi.waitFor(() => expect(recovery.orchestrator.history()).toMatchObject([{ op: 'workflow:lesson:fractions', decision: 'resume' }]));
    expect(recovery.orchestrator.metrics().resume).toMatchObject({ count: 1, successes: 1 });
    recovery.dispose();
    runtime.dispose();
  });

  it('a failed load is reported and answers as the flags off: a recovery fails, a fallback run is the primary alone; the next call loads again', async () => {
    const { runtime, ofType, recovery, loads, release } = setup(true);
    recovery.fallback.registerStrategy('lesson_data', saved);
    expect(await recovery.orchestrator.orchestrateRecovery(down(), { op: 'lesson_data' })).toMatchObject({ status: 'failed', error: { code: 'HTTP_5XX' } });
    expect(ofType('runtime.internalError')).toMatchObject([{ subsystem: 'orchestrator', message: expect.stringContaining('chunk gone') }]);
    const served = recovery.fallback.executeWithFallback(async () => ({ ok: false, error: down() }), 'lesson_data');
    release();
    // The second load came: the strategy registered before the failure serves.
    expect(await served).toMatchObject({ ok: true, value: 'saved copy', source: 'fallback' });
    expect(loads).toEqual([1, 2]);
    recovery.dispose();
    runtime.dispose();
  });
});
