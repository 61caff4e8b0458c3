import { ResilienceError, isResilienceError, type ErrorCode } from './errors';
import { parseRetryAfterMs } from './retryAfter';

/** The parts of a fetch Response that classification reads (a real Response satisfies it). */
export interface ResponseLike {
  readonly status: number;
  readonly ok?: boolean;
  readonly statusText?: string;
  readonly headers?: { get(name: string): string | null };
}

/** Extra facts `classify` uses: the current time (for Retry-After dates), the backend and a parsed error body. */
export interface ClassifyContext {
  /** Clock reading used to turn a Retry-After HTTP-date into a delay. Without it, dates are ignored. */
  nowMs?: number;
  backend?: string;
  /** Server error body already read from the response (e.g. ApiErrorBody). */
  detail?: unknown;
}

/**
 * Decides the error code of anything that went wrong: a thrown value (fetch TypeError, DOMException,
 * ChunkLoadError…) or a non-2xx response. The one place that knows browser error names; everything else
 * branches on the resulting `code`. Never throws.
 */
export function classify(errorOrResponse: unknown, context: ClassifyContext = {}): ResilienceError {
  if (isResilienceError(errorOrResponse)) {
    return context.backend && !errorOrResponse.backend ? errorOrResponse.withBackend(context.backend) : errorOrResponse;
  }
  if (isResponseLike(errorOrResponse)) return classifyResponse(errorOrResponse, context);
  return classifyThrown(errorOrResponse, context);
}

function isResponseLike(value: unknown): value is ResponseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

function classifyResponse(response: ResponseLike, context: ClassifyContext): ResilienceError {
  const { status } = response;
  const retryAfterHeader = response.headers?.get('retry-after');
  const retryAfterMs =
    context.nowMs === undefined
      ? secondsOnly(retryAfterHeader)
      : parseRetryAfterMs(retryAfterHeader, context.nowMs);
  const serverMessage = messageOf(context.detail);
  const message = `HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}${serverMessage ? `: ${serverMessage}` : ''}`;
  const base = { status, backend: context.backend, detail: context.detail, retryAfterMs };
  return new ResilienceError(codeForStatus(status), message, base);
}

function codeForStatus(status: number): ErrorCode {
  if (status >= 500) return 'HTTP_5XX';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 408) return 'TIMEOUT';
  if (status === 401 || status === 403) return 'AUTH';
  if (status === 409) return 'CONFLICT';
  if (status >= 400) return 'HTTP_4XX';
  // A 1xx/2xx/3xx reaching classification means the caller could not use it (e.g. an opaque redirect).
  return 'INVALID_RESPONSE';
}

function secondsOnly(header: string | null | undefined): number | undefined {
  return header != null && /^\s*\d+\s*$/.test(header) ? Number(header.trim()) * 1000 : undefined;
}

function messageOf(detail: unknown): string | undefined {
  if (typeof detail !== 'object' || detail === null) return undefined;
  const inner = (detail as { error?: { message?: unknown } }).error;
  return typeof inner?.message === 'string' ? inner.message : undefined;
}

const CHUNK_MESSAGE =
  /Loading (CSS )?chunk [\w-]+ failed|Failed to fetch dynamically imported module|error loading dynamically imported module|Importing a module script failed/i;
const STORAGE_LOST_MESSAGE = /connection to Indexed Database server lost|database connection is closing/i;

function classifyThrown(thrown: unknown, context: ClassifyContext): ResilienceError {
  const name = nameOf(thrown);
  const message = thrown instanceof Error || isNamed(thrown) ? String((thrown as { message?: unknown }).message ?? '') : String(thrown);
  const make = (code: ErrorCode, text = message || code) =>
    new ResilienceError(code, text, { cause: thrown, backend: context.backend });

  // Chunk errors first: "Failed to fetch dynamically imported module" is a TypeError, not a network failure.
  if (name === 'ChunkLoadError' || CHUNK_MESSAGE.test(message)) return make('CHUNK_LOAD');
  if (name === 'TimeoutError') return make('TIMEOUT');
  if (name === 'AbortError') return make('ABORTED');
  if (name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED') return make('STORAGE_QUOTA');
  if (name === 'InvalidStateError' || STORAGE_LOST_MESSAGE.test(message)) return make('STORAGE_CLOSED');
  if (name === 'SecurityError') return make('STORAGE_UNAVAILABLE');
  // fetch rejects with a TypeError on network failure: "Failed to fetch" (Chromium), "NetworkError when
  // attempting to fetch resource." (Firefox), "Load failed" (Safari), "fetch failed" (Node/undici).
  if (name === 'TypeError') return make('NETWORK');
  if (name === 'SyntaxError') return make('INVALID_RESPONSE');
  if (name === 'RangeError' && /out of memory|allocation failed/i.test(message)) return make('MEMORY_PRESSURE');
  return make('UNKNOWN');
}

function isNamed(value: unknown): value is { name: string } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}

function nameOf(value: unknown): string | undefined {
  return isNamed(value) ? value.name : undefined;
}
