import type { Clock, RandomSource } from '../core/clock';
import { ResilienceError, type ErrorCode } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { FeatureFlags, FlagsSnapshot } from '../flags/featureFlags';
import type { BreakerRegistry } from '../policies/breakerRegistry';
import { breakerVerdict } from '../policies/breakerVerdict';
import type { Admission, CircuitBreaker } from '../policies/circuitBreaker';
import { runWithRetry, type RetryOutcome } from '../policies/retry';
import { backgroundRetryPolicy, interactiveRetryPolicy, type RetryPolicy } from '../policies/retryProfiles';
import type { DeadlineFactory } from '../policies/deadline';
import type { Result } from '../core/result';
import { DEFAULT_INTERACTIVE_BUDGET_MS, type ApiRequest, type ApiResult, type FetchLike } from './apiTypes';
import type { ConnectivityMonitor } from './connectivity';
import { createSessionRenewal } from './sessionRenewal';
import { requestInit, sendOnce, type AttemptSuccess } from './httpAttempt';

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
  /**
   * Renews the sign-in session (the app's POST /api/session/refresh); resolves true when it did. A 401 calls
   * it (one call shared by every request that met a 401 meanwhile) and, when renewed, sends the request once
   * more. Used only with the selfHealing flag on.
   */
  refreshSession?: () => Promise<boolean | void>;
  /** Multiplies every attempt timeout (the predictor's slow-network action lengthens them). Default 1. */
  timeoutScale?: () => number;
}

/** The runtime's HTTP client: flags, breaker, retry and timeout around fetch, with a result instead of a rejection. */
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
  const { clock, random, events, flags, breakers, connectivity, baseUrl, extraHeaders, timeoutScale } = options;
  const fetchImpl = options.fetch;
  const deadlineFor = options.deadline;
  const defaultBackend = options.defaultBackend ?? 'api';
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 10_000;
  const interactiveBudgetMs = options.interactiveBudgetMs ?? DEFAULT_INTERACTIVE_BUDGET_MS;
  const interactivePolicy = interactiveRetryPolicy(interactiveBudgetMs);
  const backgroundPolicy = options.backgroundPolicy ?? backgroundRetryPolicy();

  // The flags a request reads, refreshed only when the flags snapshot changes (it is a new object exactly then).
  let flagsSeen: FlagsSnapshot | undefined;
  let breakerOn = false;
  let timeoutOn = false;
  let retryOn = false;
  let renewOn = false;
  let online: ConnectivityMonitor | undefined;
  const readFlags = (): void => {
    flagsSeen = flags.snapshot();
    breakerOn = flags.isEnabled('circuitBreaker');
    timeoutOn = flags.isEnabled('timeout');
    retryOn = flags.isEnabled('retry');
    renewOn = options.refreshSession !== undefined && flags.isEnabled('selfHealing');
    online = flags.isEnabled('connectivity') ? connectivity : undefined;
  };

  const renewSession = options.refreshSession === undefined ? () => Promise.resolve(false) : createSessionRenewal(options.refreshSession, events);

  const brokenBreaker = (error: unknown): undefined => {
    reportInternalError(events, 'circuitBreaker', error);
    return undefined; // a broken breaker behaves as if its flag were off
  };

  const fail = <T>(request: ApiRequest<T>, backend: string, startedAt: number, error: ResilienceError, attempts: number, fallbackAdvised: boolean): ApiResult<T> => {
    const endedAt = clock.now();
    const durationMs = endedAt - startedAt;
    events.emit('request.failed', { backend, op: request.op, status: error.status, code: error.code, durationMs, attempts, fallbackAdvised }, endedAt);
    return { ok: false, error, attempts, durationMs, fallbackAdvised };
  };

  /** One attempt: deadline, fetch, parse, connectivity evidence. Events and timing are the caller's. */
  const attemptOnce = async <T>(request: ApiRequest<T>, backend: string, timeoutMs: number | undefined, now: number): Promise<Result<AttemptSuccess<T>, ResilienceError>> => {
    const deadline = timeoutMs === undefined ? undefined : deadlineFor(timeoutMs, request.signal, now);
    const init = requestInit(request, extraHeaders, deadline === undefined ? request.signal : deadline.signal);
    const result = await sendOnce(fetchImpl, baseUrl + request.path, init, deadline, clock, backend, request.parse);
    if (deadline !== undefined) deadline.dispose();
    if (online !== undefined) reportEvidence(online, result.ok ? undefined : result.error.code);
    return result;
  };

  const emitAttempted = (backend: string, op: string, attempt: number, result: Result<AttemptSuccess<unknown>, ResilienceError>, durationMs: number, at: number): void => {
    if (result.ok) events.emit('request.attempted', { backend, op, attempt, ok: true, status: result.value.status, code: undefined, durationMs }, at);
    else events.emit('request.attempted', { backend, op, attempt, ok: false, status: result.error.status, code: result.error.code, durationMs }, at);
  };

  /**
   * The pipeline after admission. The happy path is one attempt, then the breaker record and the events, all
   * on two clock readings (start, end); the retry machinery is entered only after a failed first attempt.
   */
  const send = async <T>(request: ApiRequest<T>, backend: string, startedAt: number, breaker: CircuitBreaker | undefined, admission: Admission | undefined): Promise<ApiResult<T>> => {
    if (admission !== undefined && admission.kind === 'reject') return fail(request, backend, startedAt, admission.error, 0, true);
    const probeTimeoutMs = admission !== undefined && admission.kind === 'probe' ? admission.timeoutMs : undefined;
    const endAt = deadlineOf(request, startedAt);
    const requestTimeoutMs = timeoutScale === undefined ? (request.timeoutMs ?? defaultTimeoutMs) : (request.timeoutMs ?? defaultTimeoutMs) * timeoutScale();
    let timeoutMs = timeoutOn
      ? probeTimeoutMs === undefined
        ? requestTimeoutMs
        : Math.min(requestTimeoutMs, probeTimeoutMs)
      : probeTimeoutMs; // a probe keeps its own timeout even with the timeout flag off
    if (endAt !== undefined) {
      // A student is waiting: no attempt may outlast the request's deadline (a hung request must not keep them past it).
      if (endAt <= startedAt) {
        if (breaker !== undefined && admission !== undefined) recordOutcome(breaker, admission, 'ABORTED', startedAt);
        return fail(request, backend, startedAt, new ResilienceError('TIMEOUT', `The deadline of "${request.op}" passed before it was sent`, { backend }), 0, true);
      }
      if (timeoutMs !== undefined) timeoutMs = Math.min(timeoutMs, endAt - startedAt);
    }

    let first: Result<AttemptSuccess<T>, ResilienceError>;
    try {
      first = await attemptOnce(request, backend, timeoutMs, startedAt);
    } catch (error) {
      // Only building the request can throw (a body JSON.stringify rejects); the breaker admission is still released.
      if (breaker !== undefined && admission !== undefined) recordOutcome(breaker, admission, 'UNKNOWN', clock.now());
      throw error;
    }
    const endedAt = clock.now();
    const durationMs = endedAt - startedAt;
    const listened = events.hasListeners(); // without listeners no event object is built
    if (listened) emitAttempted(backend, request.op, 1, first, durationMs, endedAt);
    if (first.ok) {
      if (breaker !== undefined && admission !== undefined) recordOutcome(breaker, admission, undefined, endedAt);
      const { status } = first.value;
      if (listened) events.emit('request.succeeded', { backend, op: request.op, status, durationMs, attempts: 1 }, endedAt);
      return { ok: true, value: first.value.value, source: 'network', status, attempts: 1, durationMs };
    }
    return afterFailedFirst(request, backend, startedAt, endAt, breaker, admission, timeoutMs, probeTimeoutMs, first.error);
  };

  /** Off the happy path: retries (when allowed), then the breaker record and the outcome events. */
  const afterFailedFirst = async <T>(
    request: ApiRequest<T>,
    backend: string,
    startedAt: number,
    endAt: number | undefined,
    breaker: CircuitBreaker | undefined,
    admission: Admission | undefined,
    timeoutMs: number | undefined,
    probeTimeoutMs: number | undefined,
    firstError: ResilienceError,
  ): Promise<ApiResult<T>> => {
    const { op } = request;
    let status = 0;
    let outcome: RetryOutcome<T> | undefined;
    try {
      // 401: the session ended or its token was rotated. Refresh once, then send once more.
      if (firstError.status === 401 && renewOn && !request.signal?.aborted && (await renewSession())) {
        const againAt = clock.now();
        const again = await attemptOnce(request, backend, timeoutMs, againAt);
        if (events.hasListeners()) emitAttempted(backend, op, 2, again, clock.now() - againAt, clock.now());
        if (again.ok) status = again.value.status;
        outcome = again.ok
          ? { ok: true, value: again.value.value, attempts: 2 }
          : { ok: false, error: again.error, attempts: 2, stopReason: 'notRetryable', fallbackAdvised: again.error.retryable };
      }
      const retrying = outcome === undefined && probeTimeoutMs === undefined && request.retry !== false && retryOn && isIdempotent(request);
      if (outcome !== undefined) {
        // settled by the session refresh above
      } else if (!retrying) outcome = { ok: false, error: firstError, attempts: 1, stopReason: 'notRetryable', fallbackAdvised: firstError.retryable };
      else {
        const attempt = async (attemptNumber: number): Promise<Result<T, ResilienceError>> => {
          const attemptStartedAt = clock.now();
          const attemptTimeoutMs = endAt === undefined || timeoutMs === undefined ? timeoutMs : Math.max(1, Math.min(timeoutMs, endAt - attemptStartedAt));
          const result = await attemptOnce(request, backend, attemptTimeoutMs, attemptStartedAt);
          if (events.hasListeners()) {
            const at = clock.now();
            emitAttempted(backend, op, attemptNumber, result, at - attemptStartedAt, at);
          }
          if (!result.ok) return result;
          status = result.value.status;
          return { ok: true, value: result.value.value };
        };
        const policy = request.retry === 'background' ? backgroundPolicy : endAt === undefined ? interactivePolicy : { ...interactivePolicy, maxElapsedMs: Math.max(0, endAt - startedAt) };
        const onRetry = (next: number, delayMs: number, reason: ErrorCode) => events.emit('retry.scheduled', { backend, op, attempt: next, delayMs, reason });
        const first: Result<T, ResilienceError> = { ok: false, error: firstError };
        outcome = await runWithRetry(attempt, policy, { clock, random, signal: request.signal, offline: online, onRetry }, { result: first, startedAt });
        if (!outcome.ok) events.emit('retry.stopped', { backend, op, attempts: outcome.attempts, reason: outcome.stopReason });
      }
    } finally {
      if (breaker !== undefined && admission !== undefined) {
        recordOutcome(breaker, admission, outcome === undefined ? 'UNKNOWN' : outcome.ok ? undefined : outcome.error.code, clock.now());
      }
    }
    if (!outcome.ok) return fail(request, backend, startedAt, outcome.error, outcome.attempts, outcome.fallbackAdvised);
    const endedAt = clock.now();
    const durationMs = endedAt - startedAt;
    events.emit('request.succeeded', { backend, op, status, durationMs, attempts: outcome.attempts }, endedAt);
    return { ok: true, value: outcome.value, source: 'network', status, attempts: outcome.attempts, durationMs };
  };

  /** When the request must be over: its own deadline, else (a student waiting) the interactive budget from now. */
  const deadlineOf = (request: ApiRequest<unknown>, startedAt: number): number | undefined => {
    const interactive = request.retry === undefined || request.retry === 'interactive';
    const budgetEnd = interactive ? startedAt + (request.latencyBudgetMs ?? interactiveBudgetMs) : undefined;
    if (request.deadlineAt === undefined) return budgetEnd;
    return budgetEnd === undefined ? request.deadlineAt : Math.min(request.deadlineAt, budgetEnd);
  };

  return {
    request<T>(request: ApiRequest<T>): Promise<ApiResult<T>> {
      const startedAt = clock.now();
      const backend = request.backend ?? defaultBackend;
      if (request.signal?.aborted) return Promise.resolve(fail(request, backend, startedAt, aborted(backend, request.signal), 0, false));
      if (flags.snapshot() !== flagsSeen) readFlags();
      if (!breakerOn) return send(request, backend, startedAt, undefined, undefined);

      let breaker: CircuitBreaker;
      let admission: Admission | Promise<Admission>;
      try {
        breaker = breakers.get(backend);
        if (request.probe === true) breaker.probeNow();
        admission = breaker.admit();
      } catch (error) {
        return send(request, backend, startedAt, brokenBreaker(error), undefined);
      }
      if (!(admission instanceof Promise)) return send(request, backend, startedAt, breaker, admission);
      // Only a half-open probe waiting for the cross-tab lease gets here.
      return admission.then(
        (admitted) => send(request, backend, startedAt, breaker, admitted),
        (error: unknown) => send(request, backend, startedAt, brokenBreaker(error), undefined),
      );
    },
  };

  function recordOutcome(breaker: CircuitBreaker, admission: Admission, code: ErrorCode | undefined, now: number): void {
    try {
      // While the device is known to be offline a network error says nothing about the backend: counting it
      // would open the breaker and hold every replay for the open period once the device is back.
      const verdict = code === 'NETWORK' && online?.state() === 'offline' ? 'ignore' : breakerVerdict(code);
      breaker.record(admission, verdict, now);
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

/** GET/HEAD always; anything else only with an Idempotency-Key. */
function isIdempotent(request: ApiRequest<unknown>): boolean {
  return RETRYABLE_METHODS.has(request.method) || request.idempotencyKey !== undefined;
}

function aborted(backend: string, signal: AbortSignal): ResilienceError {
  return new ResilienceError('ABORTED', 'The request was aborted before it was sent', { backend, cause: signal.reason });
}
