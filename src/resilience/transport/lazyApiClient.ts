import { ResilienceError } from '../core/errors';
import { reportInternalError } from '../core/guard';
import { loadDeferred } from '../flags/loadWithFlag';
import type { ApiClient } from './apiClient';
import type { ApiClientParts } from './apiClientWiring';
import { DEFAULT_INTERACTIVE_BUDGET_MS, type ApiRequest, type ApiResult } from './apiTypes';
import { requestInit, sendOnce } from './httpAttempt';

/** Loads the API client's code (the afterFirstLoad chunk in a build). */
export type LoadApiClient = () => Promise<{ createRuntimeApiClient(parts: ApiClientParts): { client: ApiClient; dispose(): void } }>;

/**
 * The runtime's API client without its pipeline in the first load: the breaker admission, retry with backoff,
 * shared deadlines and session renewal (~4 KB gz) are imported at start-up, after the first load. Once they are
 * there every request goes straight to the real client. A request made meanwhile waits for the code, in call
 * order, and keeps its own clock: an interactive one's latency budget counts from the call (the wait is part of
 * it); the caller's abort answers ABORTED at once and the request is never sent. A failed load is reported
 * (`runtime.internalError`, subsystem `api`) and the waiting requests are sent as with the client's flags off:
 * once, with no timeout, retry or breaker; the next request tries the load again.
 */
export function lazyApiClient(parts: ApiClientParts, load: LoadApiClient = () => import('../afterFirstLoad')): ApiClient & { dispose(): void } {
  const { clock, events } = parts;
  const budgetMs = parts.interactiveBudgetMs ?? DEFAULT_INTERACTIVE_BUDGET_MS;
  let built: { dispose(): void } | undefined;
  let disposed = false;
  const report = (error: unknown) => reportInternalError(events, 'api', error);
  const { calls, code } = loadDeferred({
    load,
    what: 'the API client code',
    report,
    build(module) {
      const runtimeClient = module.createRuntimeApiClient(parts);
      built = runtimeClient;
      return runtimeClient.client;
    },
  });

  /** A request answered without the real client: aborted by its caller, or the runtime disposed meanwhile. */
  const unsent = <T>(request: ApiRequest<T>, startedAt: number, message: string, cause?: unknown): ApiResult<T> => {
    const backend = request.backend ?? 'api';
    const durationMs = clock.now() - startedAt;
    events.emit('request.failed', { backend, op: request.op, code: 'ABORTED', durationMs, attempts: 0, fallbackAdvised: false });
    return { ok: false, error: new ResilienceError('ABORTED', message, { backend, cause }), attempts: 0, durationMs, fallbackAdvised: false };
  };

  /** Flag-off behaviour when the code would not load: one plain attempt, no timeout, retry or breaker. */
  const sendPlain = async <T>(request: ApiRequest<T>, startedAt: number): Promise<ApiResult<T>> => {
    const backend = request.backend ?? 'api';
    const init = requestInit(request, parts.extraHeaders, request.signal);
    const result = await sendOnce(parts.fetch, parts.baseUrl + request.path, init, undefined, clock, backend, request.parse);
    const durationMs = clock.now() - startedAt;
    if (result.ok) return { ok: true, value: result.value.value, source: 'network', status: result.value.status, attempts: 1, durationMs };
    return { ok: false, error: result.error, attempts: 1, durationMs, fallbackAdvised: result.error.retryable };
  };

  const waitForCode = <T>(request: ApiRequest<T>): Promise<ApiResult<T>> => {
    const startedAt = clock.now();
    const { signal } = request;
    if (signal?.aborted) return Promise.resolve(unsent(request, startedAt, 'The request was aborted before it was sent', signal.reason));
    const interactive = request.retry === undefined || request.retry === 'interactive';
    const budgetEnd = startedAt + (request.latencyBudgetMs ?? budgetMs);
    const kept = interactive ? { ...request, deadlineAt: Math.min(request.deadlineAt ?? budgetEnd, budgetEnd) } : request;
    return new Promise<ApiResult<T>>((resolve, reject) => {
      let settled = false;
      let handedOver = false;
      const settle = (result: ApiResult<T>) => {
        settled = true;
        resolve(result);
      };
      const onAbort = () => {
        if (!settled) settle(unsent(request, startedAt, 'The request was aborted before it was sent', signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      calls
        .ask((client) => {
          // Handed over: from here the real client answers the caller's abort itself.
          signal?.removeEventListener('abort', onAbort);
          if (settled) return undefined;
          handedOver = true;
          return client.request(kept);
        })
        .then(
          (result) => {
            if (!settled && result !== undefined) settle(result);
          },
          (error: unknown) => {
            signal?.removeEventListener('abort', onAbort);
            if (settled) return;
            // The real client rejects only when the request cannot be built (a body JSON.stringify rejects).
            if (handedOver) reject(error);
            else if (disposed) settle(unsent(request, startedAt, 'The runtime was disposed before the request was sent'));
            else sendPlain(kept, startedAt).then(settle, reject);
          },
        );
    });
  };

  return {
    request<T>(request: ApiRequest<T>): Promise<ApiResult<T>> {
      const client = calls.current();
      return client === undefined ? waitForCode(request) : client.request(request);
    },
    dispose() {
      disposed = true;
      code.dispose();
      built?.dispose();
      calls.dispose();
    },
  };
}
