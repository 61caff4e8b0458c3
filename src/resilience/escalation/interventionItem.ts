import type { Result } from '../core/result';

/** What could not heal itself (docs/architecture.md, Manual intervention queue). */
export type InterventionKind = 'outboxRejected' | 'outboxRetention' | 'recoveryFailed' | 'checkpointCorrupt' | 'quarantined';
/** open → retrying (retry asked) → resolved, or discarded (with a reason); a new failure opens it again. */
export type InterventionStatus = 'open' | 'retrying' | 'resolved' | 'discarded';

/** Every kind of intervention item: what could not heal itself and now needs a person. */
export const INTERVENTION_KINDS: readonly InterventionKind[] = ['outboxRejected', 'outboxRetention', 'recoveryFailed', 'checkpointCorrupt', 'quarantined'];
const STATUSES: readonly InterventionStatus[] = ['open', 'retrying', 'resolved', 'discarded'];

/** The last error of an intervention item: its code, HTTP status and message (redacted of payload). */
export interface InterventionError {
  readonly code: string;
  readonly status?: number;
  readonly message: string;
}

/** Where the stuck work lives: the outbox entry, the checkpointed workflow, the operation, the quarantined key. */
export interface InterventionLinks {
  readonly outboxEntryId?: string;
  readonly workflow?: string;
  readonly op?: string;
  readonly quarantineKey?: string;
  /** Edit and retry: the new outbox entry that replaced the rejected one. */
  readonly replacedBy?: string;
}

/** One item of a student's intervention queue. Plain data: stored as is in IndexedDB. */
export interface InterventionItem {
  /** Derived from the source (`outbox:<entry id>`, `recovery:<op>:<code>`, …): a second sighting updates it. */
  readonly id: string;
  readonly user: string;
  readonly kind: InterventionKind;
  /** Error code or reason, e.g. HTTP_4XX, retention, noValidCheckpoint. */
  readonly reasonCode: string;
  readonly status: InterventionStatus;
  /** Grows with every change: the server keeps one report per (id, version). */
  readonly version: number;
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
  /** Times it was seen failing (an outbox entry: its send attempts). */
  readonly attempts: number;
  readonly lastError?: InterventionError;
  readonly idempotencyKey?: string;
  /** Field names and shapes of the payload, never its free text (see redactPreview). */
  readonly preview?: string;
  readonly links: InterventionLinks;
  readonly discardReason?: string;
}

const ID_LIKE_KEY = /(^id$|Id$|^scope$|^kind$|^step$)/;
const PREVIEW_MAX = 240;

/**
 * A preview that names the payload's fields without its content: identifiers (keys ending in `Id`, `scope`,
 * `kind`, `step`) keep a short value, every other string becomes its length, numbers and booleans their type.
 */
export function redactPreview(method: string, path: string, body: unknown): string {
  const shape = (value: unknown, key: string): string => {
    if (typeof value === 'string') return ID_LIKE_KEY.test(key) && value.length <= 40 ? JSON.stringify(value) : `‹${value.length} chars›`;
    if (typeof value === 'number' || typeof value === 'boolean') return `‹${typeof value}›`;
    if (Array.isArray(value)) return `‹${value.length} items›`;
    if (value === null) return 'null';
    if (typeof value === 'object') return '{…}';
    return '‹?›';
  };
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? Object.entries(body).map(([key, value]) => `${key}: ${shape(value, key)}`) : [];
  const text = `${method} ${path.split('?')[0] ?? ''} {${fields.join(', ')}}`;
  return text.length > PREVIEW_MAX ? `${text.slice(0, PREVIEW_MAX - 1)}…` : text;
}

/** A stored record read back: anything not shaped like an item is refused (quarantined by the store). */
export function validateItem(value: unknown): Result<InterventionItem, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'not an object' };
  const item = value as Record<string, unknown>;
  const text = (name: string, max = 500) => typeof item[name] === 'string' && (item[name] as string).length > 0 && (item[name] as string).length <= max;
  const count = (name: string) => typeof item[name] === 'number' && Number.isFinite(item[name]) && (item[name] as number) >= 0;
  if (!text('id') || !text('user', 128) || !text('reasonCode', 100)) return { ok: false, error: 'id, user or reasonCode missing' };
  if (!INTERVENTION_KINDS.includes(item.kind as InterventionKind)) return { ok: false, error: `unknown kind ${String(item.kind)}` };
  if (!STATUSES.includes(item.status as InterventionStatus)) return { ok: false, error: `unknown status ${String(item.status)}` };
  if (!count('version') || !count('firstSeenAt') || !count('lastSeenAt') || !count('attempts')) return { ok: false, error: 'version, times or attempts invalid' };
  if (typeof item.links !== 'object' || item.links === null) return { ok: false, error: 'links missing' };
  for (const optional of ['idempotencyKey', 'preview', 'discardReason']) {
    if (item[optional] !== undefined && typeof item[optional] !== 'string') return { ok: false, error: `${optional} is not a string` };
  }
  const error = item.lastError as Record<string, unknown> | undefined;
  if (error !== undefined && (typeof error !== 'object' || error === null || typeof error.code !== 'string' || typeof error.message !== 'string')) return { ok: false, error: 'lastError invalid' };
  return { ok: true, value: value as InterventionItem };
}
