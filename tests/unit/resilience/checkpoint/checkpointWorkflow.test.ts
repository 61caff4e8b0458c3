import { createResilienceRuntime, type WorkflowDefinition } from '../../../../src/resilience';
import { expiredCheckpoints } from '../../../../src/resilience/checkpoint/retention';
import { flagsWith } from '../helpers';
import { boot, freshDevice, lessonWorkflow, START, type TestState } from './checkpointHelpers';

const state = (text: string): TestState => ({ drafts: { 'ex-1': text } });

describe('checkpoints: migrations run forward', () => {
  interface V3 { answers: Record<string, { text: string }>; hintsShown: number }
  const v3: WorkflowDefinition<V3> = {
    id: 'lesson:fractions',
    version: 3,
    migrations: {
      // v1 {drafts} → v2 {answers: text map, hintsShown}
      1: (old) => ({ answers: (old as TestState).drafts, hintsShown: 0 }),
      // v2 answers as strings → v3 answers as objects
      2: (old) => {
        const value = old as { answers: Record<string, string>; hintsShown: number };
        return { hintsShown: value.hintsShown, answers: Object.fromEntries(Object.entries(value.answers).map(([id, text]) => [id, { text }])) };
      },
    },
    parse: (value) => value as V3,
  };

  it('a version-1 checkpoint is read by a version-3 build through both migrations', async () => {
    const device = freshDevice();
    const old = boot(device);
    await old.runtime.checkpoints.workflow(lessonWorkflow).completeStep(2, state('1/2'));
    old.runtime.dispose();
    const current = boot(device);
    expect(await current.runtime.checkpoints.workflow(v3).resume()).toMatchObject({ status: 'resumed', checkpoint: { step: 2, state: { answers: { 'ex-1': { text: '1/2' } }, hintsShown: 0 } } });
    current.runtime.dispose();
  });

  it('each migration on its own: v2 → v3', async () => {
    expect(v3.migrations![2]!({ answers: { a: 'x' }, hintsShown: 2 })).toEqual({ answers: { a: { text: 'x' } }, hintsShown: 2 });
  });

  it('a gap in the migrations makes the checkpoint unknown, not misread', async () => {
    const device = freshDevice();
    const old = boot(device);
    await old.runtime.checkpoints.workflow(lessonWorkflow).completeStep(0, state('a'));
    old.runtime.dispose();
    const current = boot(device);
    const gap = { ...v3, migrations: { 2: v3.migrations![2]! } };
    expect(await current.runtime.checkpoints.workflow(gap).validate(1)).toEqual({ valid: false, seq: 1, reason: 'unknownVersion' });
    current.runtime.dispose();
  });

  it('a migration that throws marks the state invalid', async () => {
    const device = freshDevice();
    const old = boot(device);
    await old.runtime.checkpoints.workflow(lessonWorkflow).completeStep(0, state('a'));
    old.runtime.dispose();
    const current = boot(device);
    const throwing = { ...v3, migrations: { ...v3.migrations, 1: () => { throw new Error('bad'); } } };
    expect(await current.runtime.checkpoints.workflow(throwing).validate(1)).toEqual({ valid: false, seq: 1, reason: 'invalidState' });
    current.runtime.dispose();
  });
});

describe('checkpoints: saves while a step is in progress', () => {
  beforeEach(() => vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('a burst of updates is saved once, after the debounce, with the newest state', async () => {
    const { runtime, events } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    workflow.update(0, state('1'));
    await vi.advanceTimersByTimeAsync(300);
    workflow.update(0, state('1/'));
    workflow.update(0, state('1/2'));
    await vi.advanceTimersByTimeAsync(399);
    expect(events.filter((event) => event.type === 'checkpoint.saved')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(async () => expect(events.filter((event) => event.type === 'checkpoint.saved')).toHaveLength(1));
    expect(await workflow.latest()).toMatchObject({ kind: 'progress', state: state('1/2') });
    runtime.dispose();
  });

  it('updates that never pause (a streaming reply) are still saved after the max wait', async () => {
    const { runtime, events } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    for (let token = 0; token < 25; token++) {
      workflow.update(0, state('x'.repeat(token + 1)));
      await vi.advanceTimersByTimeAsync(100);
    }
    // 2.5 s of updates 100 ms apart, never a 400 ms pause: saved at 2 s, and the rest is still pending.
    await vi.waitFor(() => expect(events.filter((event) => event.type === 'checkpoint.saved')).toHaveLength(1));
    expect((await workflow.latest())?.state.drafts['ex-1']).toHaveLength(20);
    runtime.dispose();
  });

  it('hiding the page saves the pending update at once as an emergency checkpoint', async () => {
    const listeners = new Map<string, () => void>();
    const page = { visibilityState: 'visible', addEventListener: (type: string, listener: () => void) => void listeners.set(type, listener), removeEventListener: () => undefined };
    const device = freshDevice();
    const runtime = createResilienceRuntime({ flags: { source: flagsWith({ outbox: false, connectivity: false }) }, storage: { indexedDB: device.factory, local: device.storage }, api: { fetch: async () => new Response('{}') }, userId: 'ana', checkpoints: { pageHide: page } });
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    workflow.update(1, state('typed just before closing'));
    page.visibilityState = 'hidden';
    listeners.get('visibilitychange')!();
    await vi.waitFor(async () => expect(await workflow.latest()).toMatchObject({ kind: 'emergency', step: 1, state: state('typed just before closing') }));
    runtime.dispose();
  });

  it('an unchanged state is not saved twice', async () => {
    const { runtime, events } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    workflow.update(0, state('x'));
    await workflow.flush();
    workflow.update(0, state('x'));
    await workflow.flush();
    expect(events.filter((event) => event.type === 'checkpoint.saved')).toHaveLength(1);
    runtime.dispose();
  });
});

describe('checkpoints: a restore that crashes the app twice is skipped', () => {
  it('boots 1 and 2 restore, boot 3 starts clean and says so, boot 4 has nothing to restore', async () => {
    const device = freshDevice();
    const setup = boot(device);
    await setup.runtime.checkpoints.workflow(lessonWorkflow).completeStep(2, state('poison'));
    setup.runtime.dispose();
    for (const attempt of [1, 2]) {
      const { runtime } = boot(device);
      expect(await runtime.checkpoints.workflow(lessonWorkflow).resume(), `boot ${attempt}`).toMatchObject({ status: 'resumed' });
      runtime.dispose(); // crashed before confirmResumed()
    }
    const third = boot(device);
    expect(await third.runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'skipped', reason: 'crashLoop' });
    expect(third.events.find((event) => event.type === 'checkpoint.skipped')).toMatchObject({ workflow: 'lesson:fractions', seq: 1, reason: 'crashLoop' });
    expect(third.events.find((event) => event.type === 'checkpoint.quarantined')).toMatchObject({ reason: 'crashLoop' });
    third.runtime.dispose();
    const fourth = boot(device);
    expect(await fourth.runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'fresh', reason: 'none' });
    fourth.runtime.dispose();
  });

  it('a confirmed restore resets the count', async () => {
    const device = freshDevice();
    const setup = boot(device);
    await setup.runtime.checkpoints.workflow(lessonWorkflow).completeStep(2, state('fine'));
    setup.runtime.dispose();
    for (let boots = 0; boots < 4; boots++) {
      const { runtime } = boot(device);
      const workflow = runtime.checkpoints.workflow(lessonWorkflow);
      expect(await workflow.resume()).toMatchObject({ status: 'resumed' });
      if (boots % 2 === 1) workflow.confirmResumed();
      runtime.dispose();
    }
  });
});

describe('checkpoints: per student', () => {
  it('another student on the same device reads none of them; log-out purges them', async () => {
    const device = freshDevice();
    const ana = boot(device, { user: 'ana' });
    await ana.runtime.checkpoints.workflow(lessonWorkflow).completeStep(1, state('ana’s answer'));
    const ben = boot(device, { user: 'ben' });
    expect(await ben.runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'fresh', reason: 'none' });
    await ben.runtime.checkpoints.workflow(lessonWorkflow).completeStep(0, state('ben’s'));
    await ana.runtime.checkpoints.purgeUser('ana');
    ana.runtime.dispose();
    const anaAgain = boot(device, { user: 'ana' });
    expect(await anaAgain.runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'fresh', reason: 'none' });
    expect(await ben.runtime.checkpoints.workflow(lessonWorkflow).latest()).toMatchObject({ state: state('ben’s') });
    anaAgain.runtime.dispose();
    ben.runtime.dispose();
  });
});

describe('checkpoints: rollback, list and cleanup', () => {
  it('rollback makes an earlier checkpoint the latest and the chain goes on from it', async () => {
    const { runtime, events } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    for (const [step, text] of [[0, 'a'], [1, 'b'], [2, 'c']] as const) await workflow.completeStep(step, state(text));
    expect(await workflow.rollback(1)).toMatchObject({ seq: 1, step: 0, state: state('a') });
    expect(events.find((event) => event.type === 'checkpoint.rolledBack')).toMatchObject({ seq: 1, removed: 2 });
    expect((await workflow.latest())?.seq).toBe(1);
    await workflow.completeStep(1, state('b2'));
    expect((await workflow.list()).map((verdict) => verdict.valid && [verdict.checkpoint.seq, verdict.checkpoint.state])).toEqual([[1, state('a')], [4, state('b2')]]);
    runtime.dispose();
  });

  it('start over saves the first step with the initial state as the newest checkpoint', async () => {
    const { runtime } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    await workflow.completeStep(3, state('far along'));
    await workflow.startOver({ drafts: {} });
    expect(await workflow.latest()).toMatchObject({ step: 0, state: { drafts: {} } });
    runtime.dispose();
  });

  it('retention keeps the last N of each workflow and everything younger than D', () => {
    const day = 24 * 60 * 60 * 1000;
    const entries = Array.from({ length: 6 }, (_, i) => ({ key: `a${i}`, group: 'a', seq: i + 1, savedAt: START - (6 - i) * day }));
    entries.push({ key: 'b1', group: 'b', seq: 1, savedAt: START - 10 * day }, { key: 'a-unreadable', group: 'a', seq: 0, savedAt: null as unknown as number });
    // "a" keeps its last 2 (a4, a5) and, of the older ones, a3 (3 days old, younger than 3.5); a0–a2 and the
    // unreadable one go. "b" keeps its only checkpoint however old.
    expect(expiredCheckpoints(entries, { keepLast: 2, maxAgeMs: 3.5 * day }, START).sort()).toEqual(['a-unreadable', 'a0', 'a1', 'a2']);
  });

  it('cleanup deletes what retention expires, in storage', async () => {
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    const { runtime, events } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    for (let i = 0; i < 5; i++) {
      vi.setSystemTime(START + i * 60 * 60 * 1000);
      await workflow.completeStep(i, state(`s${i}`));
    }
    vi.setSystemTime(START + 10 * 60 * 60 * 1000);
    expect(await runtime.checkpoints.cleanup({ keepLast: 2, maxAgeMs: 8.5 * 60 * 60 * 1000 })).toBe(2);
    expect((await workflow.list()).map((verdict) => verdict.valid && verdict.checkpoint.seq)).toEqual([3, 4, 5]);
    expect(events.find((event) => event.type === 'checkpoint.cleaned')).toMatchObject({ removed: 2 });
    vi.useRealTimers();
    runtime.dispose();
  });
});

describe('checkpoints: retention runs by itself', () => {
  it('at the first save and every 25 after it, checkpoints beyond the last 10 and older than a day are deleted', async () => {
    vi.useFakeTimers({ now: START, toFake: ['Date'] });
    const { runtime, events } = boot(freshDevice());
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    for (let i = 0; i < 26; i++) {
      vi.setSystemTime(START + i * 1.7 * 60 * 60 * 1000); // 1.7 h apart: 42.5 h from the first to the 26th
      await workflow.completeStep(0, state(`s${i}`));
    }
    await vi.waitFor(() => expect(events.find((event) => event.type === 'checkpoint.cleaned')).toBeDefined());
    // At the 26th save the last 10 (seq 17–26) stay, and so do seq 12–16 (23.8 h old and younger); seq 1–11
    // (25.5 h and older) go.
    const kept = (await workflow.list()).map((verdict) => verdict.valid && verdict.checkpoint.seq);
    expect(kept).toEqual(Array.from({ length: 15 }, (_, i) => i + 12));
    vi.useRealTimers();
    runtime.dispose();
  });
});
