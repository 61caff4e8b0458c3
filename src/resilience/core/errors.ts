import { failureTraits } from './failureTraits';

/**
 * The runtime's one error type. Everything branches on `code`, never on message text, and
 * {@link isResilienceError} recognises errors by shape so it works across realms and bundles.
 */

export const ERROR_CODES = [
  'NETWORK',
  'TIMEOUT',
  'ABORTED',
  'HTTP_5XX',
  'RATE_LIMITED',
  'HTTP_4XX',
  'AUTH',
  'CONFLICT',
  'CIRCUIT_OPEN',
  'SOCKET_CLOSED',
  'SOCKET_STALE',
  'STORAGE_UNAVAILABLE',
  'STORAGE_CLOSED',
  'STORAGE_QUOTA',
  'CHUNK_LOAD',
  'MEMORY_PRESSURE',
  'INVALID_RESPONSE',
  'UNKNOWN',
] as const;

/** One of `ERROR_CODES`: the failure classes every subsystem agrees on. */
export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);


/** Optional facts of a `ResilienceError`; `retryable` overrides the default of its code. */
export interface ResilienceErrorOptions {
  retryable?: boolean;
  status?: number;
  retryAfterMs?: number;
  backend?: string;
  cause?: unknown;
  /** Parsed error body from the server (e.g. ApiErrorBody), for display and diagnostics. */
  detail?: unknown;
}

/**
 * The one error type of the runtime: a failure code, whether a retry may fix it (default per code), and optional
 * HTTP status, Retry-After, backend and server detail.
 */
export class ResilienceError extends Error {
  override readonly name = 'ResilienceError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly backend: string | undefined;
  readonly detail: unknown;

  constructor(code: ErrorCode, message: string, options: ResilienceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? failureTraits(code).retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.backend = options.backend;
    this.detail = options.detail;
  }

  /** A copy tagged with the backend it came from (errors are immutable values). */
  withBackend(backend: string): ResilienceError {
    if (this.backend === backend) return this;
    return new ResilienceError(this.code, this.message, { ...this.options(), backend });
  }

  toJSON(): Record<string, unknown> {
    const { cause: _cause, ...rest } = this.options();
    return { name: this.name, code: this.code, message: this.message, ...rest };
  }

  private options(): ResilienceErrorOptions {
    return {
      retryable: this.retryable,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      backend: this.backend,
      cause: this.cause,
      detail: this.detail,
    };
  }
}

/** True for any ResilienceError, including one from another realm or bundle copy (checked by shape). */
export function isResilienceError(value: unknown): value is ResilienceError {
  if (value instanceof ResilienceError) return true;
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { name?: unknown; code?: unknown; retryable?: unknown };
  return (
    candidate.name === 'ResilienceError' &&
    typeof candidate.code === 'string' &&
    KNOWN_CODES.has(candidate.code) &&
    typeof candidate.retryable === 'boolean'
  );
}

/** True when `value` is a ResilienceError with one of the given codes. */
export function hasErrorCode(value: unknown, ...codes: ErrorCode[]): value is ResilienceError {
  return isResilienceError(value) && codes.includes(value.code);
}
