import { lazyCheckpoints, type LoadCheckpoints } from '../../../../src/resilience/checkpoint/lazyCheckpoints';
import { testRuntime } from '../helpers';
import { freshDevice, lessonWorkflow, type TestState } from './checkpointHelpers';

const checkpointWiring = () => import('../../../../src/resilience/checkpoint/checkpointWiring');
const state = (text: string): TestState => ({ drafts: { 'ex-1': text } });

/** A facade over a runtime's services whose load waits for `release()` (and fails the first time if asked). */
function setup(options: { fail?: boolean; device?: ReturnType<typeof freshDevice>; userId?: string } = {}) {
  const device = options.device ?? freshDevice();
  const { runtime, ofType } = testRuntime();
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const load: LoadCheckpoints = () => {
    loads.push(loads.length + 1);
    return options.fail && loads.length === 1 ? Promise.reject(new Error('chunk gone')) : gate.then(checkpointWiring);
  };
  const listeners = new Map<string, () => void>();
  const page = { visibilityState: 'visible', addEventListener: (type: string, listener: () => void) => void listeners.set(type, listener), removeEventListener: (type: string) => void listeners.delete(type) };
  const checkpoints = lazyCheckpoints(
    { indexedDB: device.factory, databaseName: 'lazy', clock: runtime.clock, events: runtime.events, flags: runtime.flags, syncStorage: device.storage, userId: options.userId ?? 'ana', config: { pageHide: page } },
    load,
  );
  return { runtime, ofType, checkpoints, loads, release, device, page, listeners };
}

describe('lazyCheckpoints (runtime.checkpoints while its code loads)', () => {
  it('a workflow handle is given at once; a step saved, a draft typed and the page hidden before the code came are all done on it, in order', async () => {
    const { runtime, checkpoints, release, page, listeners } = setup();
    const workflow = checkpoints.workflow(lessonWorkflow);
    expect(checkpoints.durable).toBe(true);
    const saved = workflow.completeStep(1, state('step one'));
    workflow.update(2, state('typed while loading'));
    page.visibilityState = 'hidden';
    listeners.get('visibilitychange')?.();
    release();
    expect(await saved).toMatchObject({ seq: 1, step: 1 });
    await vi.waitFor(async () => expect(await workflow.latest()).toMatchObject({ kind: 'emergency', step: 2, state: state('typed while loading') }));
    checkpoints.dispose();
    expect(listeners.size).toBe(0);
    runtime.dispose();
  });

  it('a failed load is reported and answers as a workflow whose storage failed, never a throw; the next call loads again', async () => {
    const { runtime, ofType, checkpoints, loads, release } = setup({ fail: true });
    const workflow = checkpoints.workflow(lessonWorkflow);
    expect(await workflow.resume()).toEqual({ status: 'fresh', reason: 'error' });
    expect(ofType('runtime.internalError')).toMatchObject([{ subsystem: 'checkpoints', message: expect.stringContaining('chunk gone') }]);
    const saved = workflow.completeStep(1, state('after the failure'));
    release();
    expect(await saved).toMatchObject({ seq: 1, step: 1 });
    expect(loads).toEqual([1, 2]);
    checkpoints.dispose();
    runtime.dispose();
  });

  it('bad names are refused at once, as the loaded service would: a workflow id and a user with U+0000', () => {
    const { runtime, checkpoints } = setup();
    expect(() => checkpoints.workflow({ ...lessonWorkflow, id: '' })).toThrow(TypeError);
    expect(() => checkpoints.workflow({ ...lessonWorkflow, id: 'a\u0000b' })).toThrow(/U\+0000/);
    expect(() => setup({ userId: 'ana\u0000bob' })).toThrow(/U\+0000/);
    checkpoints.dispose();
    runtime.dispose();
  });
});
