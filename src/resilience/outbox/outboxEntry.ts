import type { ErrorCode } from '../core/errors';
import type { OutboxInterventionReason } from '../core/events';
import type { Result } from '../core/result';
import { isPlainObject } from '../core/isPlainObject';

/** HTTP methods an outbox entry may replay (writes only). */
export type OutboxMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: ReadonlySet<string> = new Set<OutboxMethod>(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The request an outbox entry replays. */
export interface OutboxRequest {
  readonly method: OutboxMethod;
  /** Same-origin path, e.g. "/api/notes" (see `OutboxConfig.allowedPath`). */
  readonly path: string;
  /** JSON body. */
  readonly body?: unknown;
}

/** The last failure of an outbox entry, kept as plain data so it survives storage. */
export interface OutboxErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/** One queued user action. Plain data: stored as is in IndexedDB. */
export interface OutboxEntry {
  /** Runtime id (ULID-shaped): identity only. Its time part comes from the tab's clock, so it does not order. */
  readonly id: string;
  /**
   * Queue position, allocated from one counter inside the IndexedDB transaction that stores the entry, so it
   * grows in the order entries were stored whatever any tab's clock says: FIFO within a scope follows it.
   * Absent on entries stored before it existed; those keep their id order and go before every numbered one.
   */
  readonly seq?: number;
  /** UUID fixed for the entry's life, including retries from the intervention list. */
  readonly idempotencyKey: string;
  /** Ordering key, e.g. "lesson:fractions". */
  readonly scope: string;
  readonly user: string;
  readonly request: OutboxRequest;
  /** Wall clock at submit (display only). */
  readonly createdAt: number;
  /** Reading of the outbox's elapsed clock at submit: what retention is measured with. */
  readonly createdMono: number;
  readonly attempts: number;
  /** Wall clock; a value far in the future (the clock stepped back) counts as due, see replayPolicy. */
  readonly nextAttemptAt: number;
  readonly lastError?: OutboxErrorInfo;
  /**
   * Times the entry was put back from the intervention list (absent = never). A restore writes the queued copy
   * with one more than its intervention record holds, so a reader that finds both knows which move was under way.
   */
  readonly restores?: number;
}

/** An entry that needs a person: the student can retry it (same key) or discard it. */
export interface OutboxIntervention {
  readonly entry: OutboxEntry;
  readonly reason: OutboxInterventionReason;
  readonly at: number;
  readonly error?: OutboxErrorInfo;
}

const ENTRY_FIELDS: ReadonlySet<string> = new Set(['id', 'seq', 'idempotencyKey', 'scope', 'user', 'request', 'createdAt', 'createdMono', 'attempts', 'nextAttemptAt', 'lastError', 'restores']);
const REQUEST_FIELDS: ReadonlySet<string> = new Set(['method', 'path', 'body']);
const ERROR_FIELDS: ReadonlySet<string> = new Set(['code', 'message', 'status', 'retryAfterMs']);
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;
const SCOPE_PATTERN = /^[^\u0000-\u001f]{1,200}$/;
const USER_PATTERN = /^[^\u0000-\u001f]{1,128}$/;

/** Which same-origin paths an app lets the outbox queue and replay (e.g. only its API's). */
export type AllowedPath = (path: string) => boolean;

const ANY_PATH: AllowedPath = () => true;

/**
 * Same-origin absolute paths only: no scheme, no "//" host form, no backslash (browsers treat "\" as "/"), no
 * dot segments, no control characters; then the app's own rule. Nothing from storage is ever sent to another
 * origin.
 */
export function isSafePath(path: unknown, allowedPath: AllowedPath = ANY_PATH): path is string {
  return (
    typeof path === 'string' &&
    path.length <= 2048 &&
    path.startsWith('/') &&
    !/[\\\u0000-\u001f\u007f\s]/.test(path) &&
    !path.includes('//') &&
    !/(^|\/)\.\.?(\/|$|\?|#)/.test(path) &&
    allowedPath(path)
  );
}

export function validateRequest(value: unknown, allowedPath: AllowedPath = ANY_PATH): Result<OutboxRequest, string> {
  if (!isPlainObject(value)) return fail('request is not an object');
  const extra = unknownField(value, REQUEST_FIELDS);
  if (extra) return fail(`request has an unknown field "${extra}"`);
  if (typeof value.method !== 'string' || !METHODS.has(value.method)) return fail(`request.method ${JSON.stringify(value.method)} is not one of POST, PUT, PATCH, DELETE`);
  if (!isSafePath(value.path, allowedPath)) return fail(`request.path ${JSON.stringify(value.path)} is not a same-origin path this app queues`);
  if (value.body !== undefined && !isJsonValue(value.body, 0)) return fail('request.body is not plain JSON');
  return { ok: true, value: { method: value.method as OutboxMethod, path: value.path, ...(value.body === undefined ? {} : { body: value.body }) } };
}

/** Validates a stored record before it is used: wrong types, unknown fields or an unsafe request reject it. */
export function validateEntry(value: unknown, key?: string, allowedPath: AllowedPath = ANY_PATH): Result<OutboxEntry, string> {
  if (!isPlainObject(value)) return fail('record is not an object');
  const extra = unknownField(value, ENTRY_FIELDS);
  if (extra) return fail(`unknown field "${extra}"`);
  const { id, idempotencyKey, scope, user, createdAt, createdMono, attempts, nextAttemptAt, lastError } = value;
  if (typeof id !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return fail('id is not a runtime id');
  if (key !== undefined && key !== id) return fail('stored under a key that is not its id');
  if (value.seq !== undefined && !(typeof value.seq === 'number' && Number.isSafeInteger(value.seq) && value.seq > 0)) return fail('seq is not a positive integer');
  if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) return fail('idempotencyKey is invalid');
  if (typeof scope !== 'string' || !SCOPE_PATTERN.test(scope)) return fail('scope is invalid');
  if (typeof user !== 'string' || !USER_PATTERN.test(user)) return fail('user is invalid');
  for (const [name, number] of [['createdAt', createdAt], ['createdMono', createdMono], ['nextAttemptAt', nextAttemptAt]] as const) {
    if (typeof number !== 'number' || !Number.isFinite(number)) return fail(`${name} is not a finite number`);
  }
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts < 0) return fail('attempts is not a count');
  const request = validateRequest(value.request, allowedPath);
  if (!request.ok) return request;
  if (lastError !== undefined && !isErrorInfo(lastError)) return fail('lastError is invalid');
  if (value.restores !== undefined && !(typeof value.restores === 'number' && Number.isSafeInteger(value.restores) && value.restores >= 0)) return fail('restores is not a count');
  return { ok: true, value: value as unknown as OutboxEntry };
}

/** How many times the entry came back from the intervention list. */
export const restoresOf = (entry: OutboxEntry): number => entry.restores ?? 0;

/**
 * Queue order: by `seq` (store order, clock-free); entries from before `seq` existed first, by id as they were
 * ordered then. Equal seqs cannot happen (one counter); ids break the tie anyway.
 */
export function compareEntries(a: OutboxEntry, b: OutboxEntry): number {
  if (a.seq !== b.seq) {
    if (a.seq === undefined) return -1;
    if (b.seq === undefined) return 1;
    return a.seq - b.seq;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Validates a stored intervention record (the entry inside is validated like a queued one). */
export function validateIntervention(value: unknown, key?: string, allowedPath: AllowedPath = ANY_PATH): Result<OutboxIntervention, string> {
  if (!isPlainObject(value)) return fail('record is not an object');
  const extra = unknownField(value, new Set(['entry', 'reason', 'at', 'error']));
  if (extra) return fail(`unknown field "${extra}"`);
  const entry = validateEntry(value.entry, key, allowedPath);
  if (!entry.ok) return entry;
  if (value.reason !== 'rejected' && value.reason !== 'retention') return fail('reason is invalid');
  if (typeof value.at !== 'number' || !Number.isFinite(value.at)) return fail('at is not a finite number');
  if (value.error !== undefined && !isErrorInfo(value.error)) return fail('error is invalid');
  return { ok: true, value: value as unknown as OutboxIntervention };
}

function isErrorInfo(value: unknown): value is OutboxErrorInfo {
  return (
    isPlainObject(value) &&
    unknownField(value, ERROR_FIELDS) === undefined &&
    typeof value.code === 'string' &&
    typeof value.message === 'string' &&
    (value.status === undefined || typeof value.status === 'number') &&
    (value.retryAfterMs === undefined || typeof value.retryAfterMs === 'number')
  );
}

function unknownField(value: Record<string, unknown>, allowed: ReadonlySet<string>): string | undefined {
  return Object.keys(value).find((key) => !allowed.has(key));
}

/** Plain JSON only: no functions, Dates, Maps, cycles, non-finite numbers; depth-limited. */
function isJsonValue(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
  if (!isPlainObject(value)) return false;
  return Object.values(value).every((item) => isJsonValue(item, depth + 1));
}

function fail(message: string): { ok: false; error: string } {
  return { ok: false, error: message };
}
