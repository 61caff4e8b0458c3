import { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import type { Clock } from '../core/clock';
import { checkpointKey, workflowPrefix, type CheckpointBackend, type RawCheckpoint } from './checkpointBackend';
import { CHECKPOINT_FORMAT, openCheckpoint, sealCheckpoint, type CheckpointKind, type CorruptionReason } from './checkpointRecord';
import type { HashText } from './contentHash';
import { migrateState, type StateSchema } from './migrations';
import { isPlainObject } from '../core/isPlainObject';

/** Identity of a saved checkpoint: sequence, workflow step, kind, time and chain hash. */
export interface CheckpointInfo {
  seq: number;
  step: number;
  kind: CheckpointKind;
  savedAt: number;
  hash: string;
}

/** A validated checkpoint with its state. */
export interface Checkpoint<S> extends CheckpointInfo {
  /** The state, migrated to the schema's current version and checked by its `parse`. */
  state: S;
}

/** The validation result of one stored checkpoint: valid with its state, or why it is corrupt. */
export type Verdict<S> = { valid: true; checkpoint: Checkpoint<S> } | { valid: false; seq: number; reason: CorruptionReason };

/** The checkpoints of one workflow of one student: an append-only hash chain. */
export interface CheckpointLog<S> {
  /** Saves `state` as the newest checkpoint; resolves once its commit marker is durable. */
  save(input: { step: number; kind: CheckpointKind; state: S }): Promise<CheckpointInfo>;
  /** Every stored checkpoint, oldest first, each with its verdict (nothing is quarantined by listing). */
  list(): Promise<Array<Verdict<S>>>;
  validate(seq: number): Promise<Verdict<S>>;
  /**
   * The newest valid checkpoint, or null. Invalid ones newer than it are quarantined (`checkpoint.quarantined`
   * each); if checkpoints existed and none is valid, `checkpoint.escalated` is emitted as well.
   */
  latest(): Promise<Checkpoint<S> | null>;
  /** `seq` if it is valid, else (no seq given) the latest; null when there is none. */
  restore(seq?: number): Promise<Checkpoint<S> | null>;
  /** Deletes every checkpoint newer than `seq`, which becomes the latest. Rejects with INVALID_RESPONSE if it is not valid. */
  rollback(seq: number): Promise<Checkpoint<S>>;
  /** Quarantines every checkpoint of the workflow (a crash loop): the next start is clean. */
  quarantineAll(reason: CorruptionReason): Promise<number>;
}

export interface CheckpointLogOptions<S> {
  backend: CheckpointBackend;
  hash: HashText;
  clock: Clock;
  events: EventBus;
  user: string;
  workflow: string;
  schema: StateSchema<S>;
}

export function createCheckpointLog<S>(options: CheckpointLogOptions<S>): CheckpointLog<S> {
  const { backend, hash, clock, events, user, workflow, schema } = options;
  const prefix = workflowPrefix(user, workflow);
  let head: { seq: number; hash: string } | null | undefined; // undefined: not read yet
  let highestSeq = 0;
  let tail: Promise<unknown> = Promise.resolve();
  // One operation at a time per workflow, so seq and prevHash always name the checkpoint before.
  const exclusive = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(operation, operation);
    tail = run.catch(() => undefined);
    return run;
  };

  const readVerdicts = async (): Promise<Array<Verdict<S> & { raw: RawCheckpoint }>> => {
    const raws = await backend.readPrefix(prefix);
    const markers = new Map<number, unknown>();
    for (const raw of raws) {
      const seq = seqOf(raw.key);
      highestSeq = Math.max(highestSeq, seq);
      markers.set(seq, isPlainObject(raw.commit) ? raw.commit.hash : isPlainObject(raw.record) ? raw.record.hash : undefined);
    }
    const verdicts: Array<Verdict<S> & { raw: RawCheckpoint }> = [];
    for (const raw of raws) verdicts.push({ ...(await judge(raw, markers)), raw });
    return verdicts;
  };

  const judge = async (raw: RawCheckpoint, markers: Map<number, unknown>): Promise<Verdict<S>> => {
    const seq = seqOf(raw.key);
    const opened = await openCheckpoint(raw.record, raw.commit, { user, workflow, seq }, hash);
    if (!opened.ok) return { valid: false, seq, reason: opened.reason };
    const { envelope } = opened;
    // The checkpoint it follows may have been cleaned up; if it is still there, its hash must match.
    if (envelope.prevSeq !== null && (envelope.prevSeq >= seq || (markers.has(envelope.prevSeq) && markers.get(envelope.prevSeq) !== envelope.prevHash))) {
      return { valid: false, seq, reason: 'brokenChain' };
    }
    const migrated = migrateState(schema, envelope.stateVersion, envelope.state);
    if (!migrated.ok) return { valid: false, seq, reason: migrated.reason };
    return { valid: true, checkpoint: { seq, step: envelope.step, kind: envelope.kind, savedAt: envelope.savedAt, hash: opened.hash, state: migrated.state } };
  };

  const quarantine = async (raw: RawCheckpoint, reason: CorruptionReason) => {
    const at = clock.now();
    await backend.quarantine(raw.key, `${raw.key}\u0000${at}`, { reason, at, record: raw.record, commit: raw.commit });
    events.emit('checkpoint.quarantined', { workflow, seq: seqOf(raw.key), reason });
  };

  const findLatest = async (): Promise<Checkpoint<S> | null> => {
    const verdicts = await readVerdicts();
    let quarantined = 0;
    for (let index = verdicts.length - 1; index >= 0; index--) {
      const verdict = verdicts[index]!;
      if (verdict.valid) {
        head = { seq: verdict.checkpoint.seq, hash: verdict.checkpoint.hash };
        return verdict.checkpoint;
      }
      await quarantine(verdict.raw, verdict.reason);
      quarantined++;
    }
    head = null;
    if (quarantined > 0) events.emit('checkpoint.escalated', { workflow, quarantined, reason: 'noValidCheckpoint' });
    return null;
  };

  return {
    save: (input) =>
      exclusive(async () => {
        if (head === undefined) await findLatest();
        const seq = highestSeq + 1;
        const savedAt = clock.now();
        const stored = await sealCheckpoint(
          { format: CHECKPOINT_FORMAT, user, workflow, seq, step: input.step, kind: input.kind, savedAt, prevSeq: head?.seq ?? null, prevHash: head?.hash ?? null, stateVersion: schema.version, state: input.state },
          hash,
        );
        const key = checkpointKey(user, workflow, seq);
        highestSeq = seq;
        // The marker goes last, strict: until it is on disk the record does not count as a checkpoint.
        await backend.write(key, stored, { hash: stored.hash });
        head = { seq, hash: stored.hash };
        events.emit('checkpoint.saved', { workflow, seq, step: input.step, kind: input.kind, bytes: stored.body.length });
        return { seq, step: input.step, kind: input.kind, savedAt, hash: stored.hash };
      }),
    list: () => exclusive(async () => (await readVerdicts()).map(({ raw: _raw, ...verdict }) => verdict as Verdict<S>)),
    validate: (seq) =>
      exclusive(async () => {
        const found = (await readVerdicts()).find((verdict) => seqOf(verdict.raw.key) === seq);
        return found ? (({ raw: _raw, ...verdict }) => verdict as Verdict<S>)(found) : { valid: false, seq, reason: 'missingCommit' as const };
      }),
    latest: () => exclusive(findLatest),
    restore: (seq) =>
      exclusive(async () => {
        if (seq === undefined) return findLatest();
        const found = (await readVerdicts()).find((verdict) => seqOf(verdict.raw.key) === seq);
        return found?.valid ? found.checkpoint : null;
      }),
    rollback: (seq) =>
      exclusive(async () => {
        const verdicts = await readVerdicts();
        const target = verdicts.find((verdict) => seqOf(verdict.raw.key) === seq);
        if (!target?.valid) throw new ResilienceError('INVALID_RESPONSE', `checkpoint ${seq} of "${workflow}" is missing or invalid; cannot roll back to it`);
        const newer = verdicts.filter((verdict) => seqOf(verdict.raw.key) > seq).map((verdict) => verdict.raw.key);
        await backend.remove(newer);
        head = { seq, hash: target.checkpoint.hash };
        events.emit('checkpoint.rolledBack', { workflow, seq, removed: newer.length });
        return target.checkpoint;
      }),
    quarantineAll: (reason) =>
      exclusive(async () => {
        const raws = await backend.readPrefix(prefix);
        for (const raw of raws) await quarantine(raw, reason);
        head = null;
        return raws.length;
      }),
  };
}

function seqOf(key: string): number {
  return Number(key.slice(key.lastIndexOf('\u0000') + 1));
}
