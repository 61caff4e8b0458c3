import { IDEMPOTENCY_HEADER } from '../../protocol/api';
import type { Clock, RandomSource } from '../core/clock';
import { ResilienceError, type ErrorCode } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { FeatureFlags } from '../flags/featureFlags';
import type { BreakerRegistry } from '../policies/breakerRegistry';
import { breakerVerdict } from '../policies/breakerVerdict';
import type { Admission, CircuitBreaker } from '../policies/circuitBreaker';
import { runWithRetry, type RetryOutcome } from '../policies/retry';
import { backgroundRetryPolicy, interactiveRetryPolicy, type RetryPolicy } from '../policies/retryProfiles';
import type { DeadlineFactory } from '../policies/timeout';
import type { Result } from '../core/result';
import type { ApiRequest, ApiResult, FetchLike } from './apiTypes';
import type { ConnectivityMonitor } from './connectivity';
import { sendOnce } from './httpAttempt';

export interface ApiClientOptions {
  baseUrl: string;
  fetch: FetchLike;
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  flags: FeatureFlags;
  breakers: BreakerRegistry;
  deadline: DeadlineFactory;
  connectivity?: ConnectivityMonitor;
  defaultBackend?: string;
  defaultTimeoutMs?: number;
  /** Interactive latency budget (all attempts and waits) when a request sets none. */
  interactiveBudgetMs?: number;
  backgroundPolicy?: RetryPolicy;
  /** Headers added to every request, e.g. X-Student-Id; read per request. */
  extraHeaders?: () => Readonly<Record<string, string>>;
}

export interface ApiClient {
  /**
   * Sends a request through flags → breaker(backend) → retry → timeout → fetch. Always resolves (never
   * rejects): a value with its provenance, or a ResilienceError with `fallbackAdvised`. With every flag off it
   * sends exactly what plain fetch would, once.
   */
  request<T = unknown>(request: ApiRequest<T>): Promise<ApiResult<T>>;
}

const RETRYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/** Creates the API client; only the runtime's composition root should call this. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { clock, random, events, flags, breakers, connectivity } = options;
  const defaultBackend = options.defaultBackend ?? 'api';
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
  const interactiveBudgetMs = options.interactiveBudgetMs ?? 8_000;
  const interactivePolicy = interactiveRetryPolicy(interactiveBudgetMs);
  const backgroundPolicy = options.backgroundPolicy ?? backgroundRetryPolicy();

  type Gate = { breaker: CircuitBreaker; admission: Admission };
  /** Sync on the hot path; a Promise only when a half-open probe waits for the cross-tab lease. */
  const admit = (backend: string): Gate | Promise<Gate | undefined> | undefined => {
    try {
      const breaker = breakers.get(backend);
      const pending = breaker.admit();
      if (!(pending instanceof Promise)) return { breaker, admission: pending };
      return pending.then(
        (admission) => ({ breaker, admission }),
        (error: unknown) => brokenBreaker(error),
      );
    } catch (error) {
      return brokenBreaker(error);
    }
  };
  const brokenBreaker = (error: unknown): undefined => {
    reportInternalError(events, 'circuitBreaker', error);
    return undefined; // a broken breaker behaves as if its flag were off
  };

  const buildInit = (request: ApiRequest<unknown>, signal: AbortSignal | undefined): RequestInit => {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.extraHeaders?.(), ...request.headers };
    if (request.idempotencyKey !== undefined) headers[IDEMPOTENCY_HEADER] = request.idempotencyKey;
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }
    if (signal) init.signal = signal;
    return init;
  };

  const fail = <T>(request: ApiRequest<T>, backend: string, startedAt: number, error: ResilienceError, attempts: number, fallbackAdvised: boolean): ApiResult<T> => {
    const durationMs = clock.now() - startedAt;
    events.emit('request.failed', { backend, op: request.op, status: error.status, code: error.code, durationMs, attempts, fallbackAdvised });
    return { ok: false, error, attempts, durationMs, fallbackAdvised };
  };

  return {
    async request<T>(request: ApiRequest<T>): Promise<ApiResult<T>> {
      const startedAt = clock.now();
      const backend = request.backend ?? defaultBackend;
      const { op } = request;
      const url = options.baseUrl + request.path;
      if (request.signal?.aborted) return fail(request, backend, startedAt, aborted(backend, request.signal), 0, false);

      let gate = flags.isEnabled('circuitBreaker') ? admit(backend) : undefined;
      if (gate instanceof Promise) gate = await gate;
      if (gate?.admission.kind === 'reject') return fail(request, backend, startedAt, gate.admission.error, 0, true);
      const probeTimeoutMs = gate?.admission.kind === 'probe' ? gate.admission.timeoutMs : undefined;
      const timeoutMs = flags.isEnabled('timeout')
        ? Math.min(request.timeoutMs ?? defaultTimeoutMs, probeTimeoutMs ?? Infinity)
        : probeTimeoutMs; // a probe keeps its own timeout even with the timeout flag off
      const online = flags.isEnabled('connectivity') ? connectivity : undefined;

      let status = 0;
      const attempt = async (attemptNumber: number): Promise<Result<T, ResilienceError>> => {
        const attemptStartedAt = clock.now();
        const deadline = timeoutMs === undefined ? undefined : options.deadline(timeoutMs, request.signal, attemptStartedAt);
        const init = buildInit(request, deadline ? deadline.signal : request.signal);
        const result = await sendOnce(options.fetch, url, init, deadline, clock, backend, request.parse);
        deadline?.dispose();
        if (online) reportEvidence(online, result.ok ? undefined : result.error.code);
        if (events.hasListeners()) {
          const error = result.ok ? undefined : result.error;
          const durationMs = clock.now() - attemptStartedAt;
          events.emit('request.attempted', { backend, op, attempt: attemptNumber, ok: result.ok, status: result.ok ? result.value.status : error?.status, code: error?.code, durationMs });
        }
        if (!result.ok) return result;
        status = result.value.status;
        return { ok: true, value: result.value.value };
      };

      let outcome: RetryOutcome<T> | undefined;
      try {
        const first = await attempt(1);
        const retrying = !first.ok && probeTimeoutMs === undefined && request.retry !== false && flags.isEnabled('retry') && isIdempotent(request);
        if (first.ok) outcome = { ok: true, value: first.value, attempts: 1 };
        else if (!retrying) outcome = { ok: false, error: first.error, attempts: 1, stopReason: 'notRetryable', fallbackAdvised: first.error.retryable };
        else {
          // The retry machinery stays off the happy path: it is entered only after a failed first attempt.
          const policy = request.retry === 'background' ? backgroundPolicy : request.latencyBudgetMs === undefined ? interactivePolicy : { ...interactivePolicy, maxElapsedMs: request.latencyBudgetMs };
          const onRetry = (next: number, delayMs: number, reason: ErrorCode) => events.emit('retry.scheduled', { backend, op, attempt: next, delayMs, reason });
          outcome = await runWithRetry(attempt, policy, { clock, random, signal: request.signal, offline: online, onRetry }, { result: first, startedAt });
          if (!outcome.ok) events.emit('retry.stopped', { backend, op, attempts: outcome.attempts, reason: outcome.stopReason });
        }
      } finally {
        if (gate) recordOutcome(gate, outcome === undefined ? 'UNKNOWN' : outcome.ok ? undefined : outcome.error.code);
      }

      if (!outcome.ok) return fail(request, backend, startedAt, outcome.error, outcome.attempts, outcome.fallbackAdvised);
      const durationMs = clock.now() - startedAt;
      events.emit('request.succeeded', { backend, op, status, durationMs, attempts: outcome.attempts });
      return { ok: true, value: outcome.value, source: 'network', status, attempts: outcome.attempts, durationMs };
    },
  };

  function recordOutcome(gate: Gate, code: ErrorCode | undefined): void {
    try {
      gate.breaker.record(gate.admission, breakerVerdict(code));
    } catch (error) {
      reportInternalError(events, 'circuitBreaker', error);
    }
  }

  function reportEvidence(monitor: ConnectivityMonitor, code: ErrorCode | undefined): void {
    try {
      if (code === undefined) monitor.reportSuccess();
      else if (code === 'NETWORK') monitor.reportNetworkFailure();
    } catch (error) {
      reportInternalError(events, 'connectivity', error);
    }
  }
}

/** DESIGN §5: GET/HEAD always; anything else only with an Idempotency-Key. */
function isIdempotent(request: ApiRequest<unknown>): boolean {
  return RETRYABLE_METHODS.has(request.method) || request.idempotencyKey !== undefined;
}

function aborted(backend: string, signal: AbortSignal): ResilienceError {
  return new ResilienceError('ABORTED', 'The request was aborted before it was sent', { backend, cause: signal.reason });
}
