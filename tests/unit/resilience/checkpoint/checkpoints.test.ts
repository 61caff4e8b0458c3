import { canonicalJson } from '../../../../src/resilience/checkpoint/canonicalJson';
import { createContentHash } from '../../../../src/resilience/checkpoint/contentHash';
import { boot, countQuarantined, freshDevice, lessonWorkflow, tamper, type TestState } from './checkpointHelpers';

const hash = createContentHash();
const s0: TestState = { drafts: { 'ex-1': '1/2' } };
const s1: TestState = { drafts: { 'ex-1': '1/2', 'ex-2': '3/4' }, note: 'second' };

/** Two step checkpoints (seq 1 at step 0, seq 2 at step 1), then the app "closes". */
async function deviceWithTwoSteps() {
  const device = freshDevice();
  const first = boot(device);
  const workflow = first.runtime.checkpoints.workflow(lessonWorkflow);
  await workflow.completeStep(0, s0);
  await workflow.completeStep(1, s1);
  first.runtime.dispose();
  return device;
}

/** Rewrites the envelope of a checkpoint consistently (new hash, matching marker): only deeper checks can tell. */
const rewriteEnvelope = (change: (envelope: Record<string, unknown>) => unknown) => async (stored: { record?: { body: string } }) => {
  const body = canonicalJson(change(JSON.parse(stored.record!.body) as Record<string, unknown>));
  const digest = await hash(body);
  return { record: { body, hash: digest }, commit: { hash: digest } };
};

describe('checkpoints: save and restore', () => {
  it('a new boot resumes at the last completed step with its state', async () => {
    const device = await deviceWithTwoSteps();
    const { runtime, events } = boot(device);
    const result = await runtime.checkpoints.workflow(lessonWorkflow).resume();
    expect(result).toMatchObject({ status: 'resumed', checkpoint: { seq: 2, step: 1, kind: 'step', state: s1 } });
    expect(events.find((event) => event.type === 'checkpoint.restored')).toMatchObject({ workflow: 'lesson:fractions', seq: 2, step: 1, quarantined: 0 });
    runtime.dispose();
  });

  it('works the same with the plain-JS hash (no crypto.subtle) and both read each other', async () => {
    const device = freshDevice();
    const first = boot(device, { subtle: null });
    await first.runtime.checkpoints.workflow(lessonWorkflow).completeStep(3, s1);
    first.runtime.dispose();
    const second = boot(device);
    expect(await second.runtime.checkpoints.workflow(lessonWorkflow).resume()).toMatchObject({ status: 'resumed', checkpoint: { step: 3, state: s1 } });
    second.runtime.dispose();
  });

  it('a fresh device has nothing to resume', async () => {
    const { runtime } = boot(freshDevice());
    expect(await runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'fresh', reason: 'none' });
    runtime.dispose();
  });

  it('with the flag off nothing is saved or resumed', async () => {
    const device = freshDevice();
    const off = boot(device, { enabled: false });
    expect(await off.runtime.checkpoints.workflow(lessonWorkflow).completeStep(1, s1)).toBeNull();
    off.runtime.dispose();
    const on = boot(device);
    expect(await on.runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'fresh', reason: 'none' });
    on.runtime.dispose();
  });

  it('each checkpoint names the hash of the one before it', async () => {
    const device = await deviceWithTwoSteps();
    let first = '';
    await tamper(device.factory, 1, ({ commit }) => ((first = commit!.hash), {}));
    await tamper(device.factory, 2, ({ record }) => {
      expect(JSON.parse(record!.body)).toMatchObject({ prevSeq: 1, prevHash: first });
      return {};
    });
  });
});

describe('checkpoints: every kind of corruption is detected and rolled back to the previous valid one', () => {
  const kinds: Array<[string, string, Parameters<typeof tamper>[2]]> = [
    ['a flipped byte', 'hashMismatch', ({ record }) => {
      const body = record!.body;
      const at = body.indexOf('3/4');
      return { record: { ...record, body: body.slice(0, at) + String.fromCharCode(body.charCodeAt(at) ^ 1) + body.slice(at + 1) } };
    }],
    ['truncated JSON (rehashed, so only parsing can tell)', 'unparseable', async ({ record }) => {
      const body = record!.body.slice(0, Math.floor(record!.body.length / 2));
      const digest = await hash(body);
      return { record: { body, hash: digest }, commit: { hash: digest } };
    }],
    ['a wrong hash (record and marker agree on it)', 'hashMismatch', ({ record }) => ({ record: { ...record, hash: 'f'.repeat(64) }, commit: { hash: 'f'.repeat(64) } })],
    ['a marker naming another hash', 'commitMismatch', () => ({ commit: { hash: '0'.repeat(64) } })],
    ['a wrong previous hash', 'brokenChain', rewriteEnvelope((envelope) => ({ ...envelope, prevHash: 'a'.repeat(64) }))],
    ['an unknown format version', 'unknownVersion', rewriteEnvelope((envelope) => ({ ...envelope, format: 99 }))],
    ['an unknown state version', 'unknownVersion', rewriteEnvelope((envelope) => ({ ...envelope, stateVersion: 7 }))],
    ['a missing commit marker (torn write)', 'missingCommit', () => ({ commit: null })],
    ['a record that is not a checkpoint at all', 'unreadable', () => ({ record: 'garbage' })],
    ['an envelope filed under another student', 'malformed', rewriteEnvelope((envelope) => ({ ...envelope, user: 'ben' }))],
  ];

  it.each(kinds)('%s → %s', async (_name, reason, change) => {
    const device = await deviceWithTwoSteps();
    await tamper(device.factory, 2, change as never);
    const { runtime, events } = boot(device);
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    expect(await workflow.validate(2)).toEqual({ valid: false, seq: 2, reason });
    const result = await workflow.resume();
    expect(result).toMatchObject({ status: 'resumed', checkpoint: { seq: 1, step: 0, state: s0 } });
    expect(events.filter((event) => event.type === 'checkpoint.quarantined')).toEqual([expect.objectContaining({ workflow: 'lesson:fractions', seq: 2, reason })]);
    expect(events.find((event) => event.type === 'checkpoint.restored')).toMatchObject({ seq: 1, quarantined: 1 });
    expect(await countQuarantined(device.factory)).toBe(1);
    // The chain continues from the good one: the next save is valid and the next boot resumes it.
    await workflow.completeStep(1, s1);
    runtime.dispose();
    const again = boot(device);
    expect(await again.runtime.checkpoints.workflow(lessonWorkflow).resume()).toMatchObject({ status: 'resumed', checkpoint: { seq: 3, step: 1, state: s1 } });
    again.runtime.dispose();
  });

  it('when none is valid the workflow starts afresh and an escalation is emitted', async () => {
    const device = await deviceWithTwoSteps();
    await tamper(device.factory, 1, () => ({ commit: null }));
    await tamper(device.factory, 2, ({ record }) => ({ record: { ...record, hash: 'f'.repeat(64) } }));
    const { runtime, events } = boot(device);
    expect(await runtime.checkpoints.workflow(lessonWorkflow).resume()).toEqual({ status: 'fresh', reason: 'noneValid' });
    expect(events.find((event) => event.type === 'checkpoint.escalated')).toMatchObject({ workflow: 'lesson:fractions', quarantined: 2, reason: 'noValidCheckpoint' });
    runtime.dispose();
  });

  it('a state the workflow itself refuses is quarantined too', async () => {
    const device = await deviceWithTwoSteps();
    await tamper(device.factory, 2, rewriteEnvelope((envelope) => ({ ...envelope, state: { drafts: 'not an object' } })));
    const { runtime } = boot(device);
    const workflow = runtime.checkpoints.workflow(lessonWorkflow);
    expect(await workflow.validate(2)).toEqual({ valid: false, seq: 2, reason: 'invalidState' });
    expect(await workflow.resume()).toMatchObject({ status: 'resumed', checkpoint: { seq: 1 } });
    runtime.dispose();
  });
});

describe('checkpoints: the commit marker', () => {
  it('is written after the record, in its own strict-durability transaction queued behind the record’s', async () => {
    const calls: Array<{ stores: string[]; mode?: string; durability?: string }> = [];
    const original = IDBDatabase.prototype.transaction;
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, stores: string | Iterable<string>, mode?: IDBTransactionMode, options?: IDBTransactionOptions) {
      calls.push({ stores: typeof stores === 'string' ? [stores] : [...stores], mode, durability: options?.durability });
      return original.call(this, stores, mode, options);
    });
    try {
      const { runtime } = boot(freshDevice());
      const workflow = runtime.checkpoints.workflow(lessonWorkflow);
      await workflow.latest();
      calls.length = 0;
      await workflow.completeStep(0, s0);
      expect(calls.filter((call) => call.mode === 'readwrite')).toEqual([
        { stores: ['checkpoints'], mode: 'readwrite', durability: 'relaxed' },
        { stores: ['checkpoints', 'commits'], mode: 'readwrite', durability: 'strict' },
      ]);
      runtime.dispose();
    } finally {
      spy.mockRestore();
    }
  });
});
