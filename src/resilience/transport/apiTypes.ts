import type { ResilienceError } from '../core/errors';

/** The header that carries a request's idempotency key (the IETF httpapi Idempotency-Key header). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Interactive latency budget (all attempts and waits) of a request that sets none. */
export const DEFAULT_INTERACTIVE_BUDGET_MS = 8_000;

/** HTTP methods the `ApiClient` sends. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request to the `ApiClient`: operation name, method, path, body and per-request resilience options. */
export interface ApiRequest<T = unknown> {
  /** Operation name for events and metrics, e.g. "lessons.list". */
  op: string;
  method: HttpMethod;
  /** Path below the runtime's baseUrl, e.g. "/api/lessons". */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Makes a non-GET request retryable; sent as the Idempotency-Key header. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Per-attempt timeout; default from the client. */
  timeoutMs?: number;
  /** Breaker key; requests to different backends never affect each other. Default "api". */
  backend?: string;
  /**
   * A person asked for this now ("Sync now"): when the backend's breaker is open it turns half-open and this
   * request is its recovery probe, instead of failing fast with CIRCUIT_OPEN until the open period ends.
   */
  probe?: boolean;
  /** Retry profile: a student is waiting (default), background work, or no retries at all. */
  retry?: 'interactive' | 'background' | false;
  /** Interactive latency budget for all attempts and waits together (from when `request` is called). */
  latencyBudgetMs?: number;
  /**
   * Runtime-clock time by which the whole request must be over (the deadline of the student's action, shared
   * with whatever runs before and after it). Each attempt's timeout is clipped to what is left of it, no retry
   * starts past it, and a request whose deadline has passed is not sent (TIMEOUT). Interactive requests
   * without one get `now + latencyBudgetMs` (default 8 s).
   */
  deadlineAt?: number;
  /** Validates/narrows the parsed JSON; a throw is an INVALID_RESPONSE failure. */
  parse?: (json: unknown) => T;
  headers?: Readonly<Record<string, string>>;
  /**
   * Opt-in response cache (GET only, flag `responseCache`): a success is stored under `key` in the current
   * user's namespace; when the network path fails (NETWORK, TIMEOUT, 5xx, CIRCUIT_OPEN) the stored copy is
   * returned as `source: 'cache'` with its staleness.
   */
  cache?: { readonly key: string; readonly mode: 'fallback' };
}

/** Where a successful value came from. Only `network` is produced so far. */
export type ResultSource = 'network' | 'cache' | 'fallback' | 'queued';

interface SuccessBase<T> {
  readonly ok: true;
  readonly value: T;
  readonly durationMs: number;
}

/** A value the server just sent. */
export interface NetworkSuccess<T> extends SuccessBase<T> {
  readonly source: 'network';
  readonly status: number;
  readonly attempts: number;
}
/** Served from the response cache (later issue). */
export interface CacheSuccess<T> extends SuccessBase<T> {
  readonly source: 'cache';
  readonly stale: { readonly ageMs: number; readonly storedAt: number } | false;
}
/** Served by a fallback strategy (later issue). */
export interface FallbackSuccess<T> extends SuccessBase<T> {
  readonly source: 'fallback';
  readonly strategy: string;
}
/** Accepted into the outbox; will sync later (later issue). */
export interface QueuedSuccess<T> extends SuccessBase<T | undefined> {
  readonly source: 'queued';
  readonly entryId: string;
}

/** A successful result, tagged by where the value came from (`source`). */
export type ApiSuccess<T> = NetworkSuccess<T> | CacheSuccess<T> | FallbackSuccess<T> | QueuedSuccess<T>;

/** A failed result: the classified error, how many attempts were made, and whether to fall back now. */
export interface ApiFailure {
  readonly ok: false;
  readonly error: ResilienceError;
  readonly attempts: number;
  readonly durationMs: number;
  /** The caller should use its fallback now (transient failure, breaker open, budget exhausted). */
  readonly fallbackAdvised: boolean;
}

/** What `ApiClient.request` resolves with: a success with its source, or a failure; never a rejection. */
export type ApiResult<T> = ApiSuccess<T> | ApiFailure;

/** The Response surface the client reads; a real Response satisfies it. */
export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** The part of `fetch` the runtime uses; inject one in tests or outside a browser. */
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponse>;
