import { scrubText, scrubUrl } from './scrubText';

/** What the deep scrubber knows beyond its patterns. */
export interface ScrubRules {
  /** Known personal values (the student's name and id): removed wherever they appear as words. */
  readonly sensitive: readonly string[];
}

/**
 * Keys whose values are personal or secret whatever they look like: replaced by "[redacted]". Matched on the
 * lower-cased key with `-`/`_` removed.
 */
const REDACTED_KEYS = new Set([
  'studentname', 'username', 'fullname', 'firstname', 'lastname', 'email', 'user', 'studentid', 'userid',
  'answer', 'answers', 'text', 'question', 'prompt', 'reply', 'body', 'payload', 'response',
  'password', 'secret', 'token', 'accesstoken', 'refreshtoken', 'authorization', 'auth', 'cookie', 'cookies',
  'headers', 'querystring', 'query', 'fragment', 'ipaddress', 'ip', 'session', 'sessionid', 'idempotencykey',
  'apikey', 'input', 'args', 'arguments',
]);

/** Structural keys Sentry needs verbatim (ids it generated itself, never personal). */
const VERBATIM_KEYS = new Set(['event_id', 'trace_id', 'span_id', 'parent_span_id', 'sent_at', 'timestamp', 'start_timestamp', 'type', 'level', 'platform', 'dsn', 'public_key', 'sample_rand', 'sample_rate', 'sampled']);

const URL_KEYS = new Set(['url', 'from', 'to', 'filename', 'abs_path', 'href', 'referrer', 'referer']);

const normalise = (key: string): string => key.toLowerCase().replace(/[-_.]/g, '');

/** True when the value under `key` must not be sent at all. */
export function isRedactedKey(key: string): boolean {
  return REDACTED_KEYS.has(normalise(key)) || key.toLowerCase().startsWith('user.');
}

/**
 * A deep copy of `value` with every string scrubbed: values under personal keys redacted, URLs stripped of
 * query and fragment, free text pattern-scrubbed; objects under personal keys emptied. Cycles and depth beyond 12 become "[…]". Never throws.
 */
export function scrubData(value: unknown, rules: ScrubRules, key = '', depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') {
    if (VERBATIM_KEYS.has(key)) return value;
    if (key !== '' && isRedactedKey(key)) return '[redacted]';
    return URL_KEYS.has(key.toLowerCase()) ? scrubText(scrubUrl(value), rules.sensitive) : scrubText(value, rules.sensitive);
  }
  if (value === null || typeof value !== 'object') {
    if (key !== '' && isRedactedKey(key) && value !== null && value !== undefined && typeof value !== 'boolean') return '[redacted]';
    return value;
  }
  if (depth > 12 || seen.has(value)) return '[…]';
  seen.add(value);
  if (key !== '' && isRedactedKey(key)) return Array.isArray(value) ? [] : {};
  if (Array.isArray(value)) return value.map((item) => scrubData(item, rules, '', depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
    out[scrubText(name, rules.sensitive)] = scrubData(inner, rules, name, depth + 1, seen);
  }
  return out;
}
