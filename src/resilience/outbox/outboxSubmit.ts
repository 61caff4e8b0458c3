import { ResilienceError } from '../core/errors';
import { IDEMPOTENCY_KEY_PATTERN, validateRequest, type AllowedPath, type OutboxEntry, type OutboxRequest } from './outboxEntry';
import { byteSize } from './outboxState';

/** What `Outbox.submit` takes: the action, its ordering scope and its user. */
export interface OutboxSubmission {
  /** Ordering key: entries of one scope replay strictly in submit order. */
  scope: string;
  /** The user the action belongs to: replayed only while the runtime runs for that user. */
  user: string;
  request: OutboxRequest;
  /** Reuse the key of an action already tried online; default a new UUID. */
  idempotencyKey?: string;
}

/** Size caps of the outbox; a submission past them is refused with STORAGE_QUOTA. */
export interface OutboxLimits {
  /** Largest entry, as JSON (default 64 KiB). */
  maxEntryBytes: number;
  /** All queued entries together (default 5 MiB). */
  maxTotalBytes: number;
  maxEntries: number;
}

/** Default outbox caps: 64 KiB per entry, 5 MiB and 5,000 entries in all. */
export const DEFAULT_OUTBOX_LIMITS: OutboxLimits = { maxEntryBytes: 64 * 1024, maxTotalBytes: 5 * 1024 * 1024, maxEntries: 5_000 };

/** Builds a new entry; a malformed submission is a programming error and throws a TypeError naming the field. */
export function buildEntry(submission: OutboxSubmission, context: { id: string; uuid: () => string; now: number; mono: number; allowedPath?: AllowedPath }): OutboxEntry {
  const { scope, user, idempotencyKey } = submission;
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > 200) throw new TypeError(`outbox.submit: scope ${JSON.stringify(scope)} must be 1–200 characters`);
  if (typeof user !== 'string' || user.length === 0 || user.length > 128) throw new TypeError(`outbox.submit: user ${JSON.stringify(user)} must be 1–128 characters`);
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) throw new TypeError(`outbox.submit: idempotencyKey ${JSON.stringify(idempotencyKey)} must be 1–128 printable ASCII characters`);
  const request = validateRequest(submission.request, context.allowedPath);
  if (!request.ok) throw new TypeError(`outbox.submit: ${request.error}`);
  return {
    id: context.id,
    idempotencyKey: idempotencyKey ?? context.uuid(),
    scope,
    user,
    request: request.value,
    createdAt: context.now,
    createdMono: context.mono,
    attempts: 0,
    nextAttemptAt: context.now,
  };
}

/** The outbox's own caps, checked before writing; a STORAGE_QUOTA error that says which cap and by how much. */
export function checkCaps(entry: OutboxEntry, totals: { entries: number; bytes: number }, limits: OutboxLimits): ResilienceError | undefined {
  const bytes = byteSize(entry);
  const quota = (limit: string, message: string) =>
    new ResilienceError('STORAGE_QUOTA', message, { retryable: false, detail: { limit, bytes, totalBytes: totals.bytes, entries: totals.entries } });
  if (bytes > limits.maxEntryBytes) return quota('entryBytes', `This action is too large to save offline (${bytes} bytes; the limit is ${limits.maxEntryBytes})`);
  if (totals.entries + 1 > limits.maxEntries) return quota('entries', `Too many actions are waiting to sync (${totals.entries}; the limit is ${limits.maxEntries})`);
  if (totals.bytes + bytes > limits.maxTotalBytes) return quota('totalBytes', `Offline storage for pending actions is full (${totals.bytes + bytes} bytes; the limit is ${limits.maxTotalBytes})`);
  return undefined;
}
