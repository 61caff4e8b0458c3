import { lazyPredictor, type LoadPredictor } from '../../../../src/resilience/predictor/lazyPredictor';
import type { Prediction, RiskScorer } from '../../../../src/resilience';
import { flagsWith, testRuntime } from '../helpers';

/** A scorer whose score the test sets. */
const scripted = (value: number): RiskScorer => ({ name: 'scripted', score: () => ({ score: value, factors: [] }) });

function predictorFlags(enabled: boolean) {
  const file = flagsWith({ predictor: enabled }) as { flags: Record<string, { rollout?: number }> };
  delete file.flags.predictor?.rollout; // the shipped file rolls it out to nobody
  return file;
}

/** The runtime's services for a facade of its own, and a load that counts its calls (and can fail). */
function setup(enabled: boolean, fail = false) {
  const { runtime, ofType } = testRuntime({ flags: { source: predictorFlags(enabled), allowOverrides: true } });
  const loads: number[] = [];
  const load: LoadPredictor = () => {
    loads.push(loads.length + 1);
    return fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : import('../../../../src/resilience/predictor/predictorWiring');
  };
  const predictor = lazyPredictor(
    { clock: runtime.clock, events: runtime.events, flags: runtime.flags, api: runtime.api, outbox: runtime.outbox, healer: runtime.healing, config: { seams: {}, visibility: null, scorer: scripted(0.7), lagIntervalMs: 0 } },
    load,
  );
  return { runtime, ofType, predictor, loads };
}

describe('lazyPredictor (runtime.predictor)', () => {
  it('while the flag is off the predictor code is never loaded, and it answers as a predictor with its flag off', async () => {
    const { runtime, predictor, loads } = setup(false);
    await predictor.ready();
    expect(loads).toEqual([]);
    expect(predictor.snapshot()).toEqual({ score: 0, level: 'low' });
    expect(predictor.latest()).toBeUndefined();
    expect(predictor.evaluateNow()).toBeUndefined();
    expect(predictor.activeSources()).toEqual([]);
    expect(predictor.activeActions()).toEqual([]);
    predictor.dispose();
    runtime.dispose();
  });

  it('loads once when the flag turns on; a listener subscribed before the load hears the loaded predictor', async () => {
    const { runtime, predictor, loads } = setup(false);
    const heard: Prediction[] = [];
    const unsubscribe = predictor.subscribe((prediction) => heard.push(prediction));
    runtime.flags.setOverride('predictor', true);
    runtime.flags.setOverride('predictor', false);
    runtime.flags.setOverride('predictor', true);
    await predictor.ready();
    expect(loads).toEqual([1]);
    expect(predictor.evaluateNow()).toMatchObject({ score: 0.7 });
    expect(heard).toHaveLength(1);
    expect(predictor.snapshot()).toEqual({ score: 0.7, level: 'high' });
    unsubscribe();
    predictor.evaluateNow();
    expect(heard).toHaveLength(1);
    predictor.dispose();
    runtime.dispose();
  });

  it('a failed load is reported and leaves the flag-off behaviour; the next flag change tries again', async () => {
    const { runtime, ofType, predictor, loads } = setup(true, true);
    await predictor.ready();
    await Promise.resolve();
    expect(ofType('runtime.internalError')).toMatchObject([{ subsystem: 'predictor', message: expect.stringContaining('chunk gone') }]);
    expect(predictor.evaluateNow()).toBeUndefined();
    runtime.flags.setOverride('predictor', true); // a flag change (same value, new override) notifies again
    await predictor.ready();
    expect(loads).toEqual([1, 2]);
    expect(predictor.evaluateNow()).toMatchObject({ score: 0.7 });
    predictor.dispose();
    runtime.dispose();
  });

  it('disposed before the load finishes: nothing is built and nothing runs', async () => {
    const { runtime, ofType, predictor } = setup(true);
    predictor.dispose();
    await predictor.ready();
    expect(predictor.evaluateNow()).toBeUndefined();
    expect(ofType('prediction')).toEqual([]);
    runtime.dispose();
  });
});

describe('lazyPredictor when the loaded code throws', () => {
  it('reports it and stays a flag-off predictor; ready() still resolves', async () => {
    const { runtime, ofType } = testRuntime({ flags: { source: predictorFlags(true) } });
    const broken: LoadPredictor = async () => ({ createPredictorServices: () => { throw new Error('cannot start'); } });
    const predictor = lazyPredictor({ clock: runtime.clock, events: runtime.events, flags: runtime.flags, api: runtime.api, outbox: runtime.outbox, healer: runtime.healing, config: {} }, broken);
    await expect(predictor.ready()).resolves.toBeUndefined();
    expect(ofType('runtime.internalError')).toMatchObject([{ subsystem: 'predictor', message: expect.stringContaining('cannot start') }]);
    expect(predictor.snapshot()).toEqual({ score: 0, level: 'low' });
    expect(predictor.evaluateNow()).toBeUndefined();
    predictor.dispose();
    runtime.dispose();
  });
});
