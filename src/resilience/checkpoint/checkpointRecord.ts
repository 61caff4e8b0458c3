import { canonicalJson } from './canonicalJson';
import type { HashText } from './contentHash';
import { isPlainObject } from '../core/isPlainObject';

/** Version of the envelope below; a stored checkpoint with any other `format` is refused as unknown. */
export const CHECKPOINT_FORMAT = 1;

/** Why a saved checkpoint was saved: a finished step, a debounced save while a step is in progress, page hide. */
export type CheckpointKind = 'step' | 'progress' | 'emergency';

/** What is hashed and stored (as canonical JSON text): the workflow's state and where it sits in the chain. */
export interface CheckpointEnvelope {
  format: number;
  user: string;
  workflow: string;
  seq: number;
  /** Index of the step the workflow is on (0 = the first). */
  step: number;
  kind: CheckpointKind;
  /** Wall clock (runtime clock) when saved. */
  savedAt: number;
  /** Seq and hash of the checkpoint this one follows; null for the first of its chain. */
  prevSeq: number | null;
  prevHash: string | null;
  /** Version of the workflow's own state schema; migrations bring older ones forward. */
  stateVersion: number;
  state: unknown;
}

/** The value in the `checkpoints` object store. */
export interface StoredCheckpoint {
  body: string;
  hash: string;
}

/** The value in the `commits` object store, written last in its own strict-durability transaction. */
export interface CommitMarker {
  hash: string;
}

/** Why a stored checkpoint was refused. */
export type CorruptionReason =
  | 'unreadable' // the stored value is not a {body, hash} record
  | 'hashMismatch' // the body's SHA-256 is not the stored hash (a flipped byte, a wrong hash)
  | 'missingCommit' // no commit marker: a torn or unfinished write
  | 'commitMismatch' // the marker names another hash than the record
  | 'unparseable' // the body is not JSON (truncated)
  | 'malformed' // JSON, but not an envelope for this key
  | 'unknownVersion' // an envelope format or state version this build cannot read
  | 'brokenChain' // prevHash is not the hash of the checkpoint it claims to follow
  | 'invalidState' // the workflow's own validation refused the (migrated) state
  | 'crashLoop'; // restoring it crashed the app twice

/** Builds the stored form of an envelope: canonical JSON text and its SHA-256. */
export async function sealCheckpoint(envelope: CheckpointEnvelope, hash: HashText): Promise<StoredCheckpoint> {
  const body = canonicalJson(envelope);
  return { body, hash: await hash(body) };
}

export type Opened = { ok: true; envelope: CheckpointEnvelope; hash: string } | { ok: false; reason: CorruptionReason };

/**
 * Checks one stored checkpoint on its own (no chain, no state schema): record shape, hash of the exact stored
 * text, commit marker, JSON, envelope fields against the key it was found under, format version.
 */
export async function openCheckpoint(
  stored: unknown,
  commit: unknown,
  expected: { user: string; workflow: string; seq: number },
  hash: HashText,
): Promise<Opened> {
  if (!isPlainObject(stored) || typeof stored.body !== 'string' || typeof stored.hash !== 'string') return { ok: false, reason: 'unreadable' };
  if ((await hash(stored.body)) !== stored.hash) return { ok: false, reason: 'hashMismatch' };
  if (!isPlainObject(commit) || typeof commit.hash !== 'string') return { ok: false, reason: 'missingCommit' };
  if (commit.hash !== stored.hash) return { ok: false, reason: 'commitMismatch' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.body);
  } catch {
    return { ok: false, reason: 'unparseable' };
  }
  if (!isPlainObject(parsed)) return { ok: false, reason: 'malformed' };
  if (parsed.format !== CHECKPOINT_FORMAT) return { ok: false, reason: 'unknownVersion' };
  if (!isEnvelope(parsed) || parsed.user !== expected.user || parsed.workflow !== expected.workflow || parsed.seq !== expected.seq) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, envelope: parsed, hash: stored.hash };
}

const KINDS: ReadonlySet<unknown> = new Set<CheckpointKind>(['step', 'progress', 'emergency']);

function isEnvelope(value: Record<string, unknown>): value is Record<string, unknown> & CheckpointEnvelope {
  const { prevSeq, prevHash } = value;
  const chained = (prevSeq === null && prevHash === null) || (isCount(prevSeq) && typeof prevHash === 'string');
  return (
    typeof value.user === 'string' &&
    typeof value.workflow === 'string' &&
    isCount(value.seq) &&
    isCount(value.step) &&
    KINDS.has(value.kind) &&
    typeof value.savedAt === 'number' &&
    Number.isFinite(value.savedAt) &&
    chained &&
    isCount(value.stateVersion) &&
    'state' in value
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

