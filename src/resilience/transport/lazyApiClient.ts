import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import type { ApiClient } from './apiClient';
import type { ApiClientParts } from './apiClientWiring';
import { DEFAULT_INTERACTIVE_BUDGET_MS, type ApiRequest, type ApiResult } from './apiTypes';
import { requestInit, sendOnce } from './httpAttempt';

/** Where the real client comes from: the loaded one, or an ask made on it once its code is there. */
export interface ApiClientSource {
  current(): ApiClient | undefined;
  /** Rejects when the load in flight fails (or the runtime is disposed). */
  ask<R>(act: (client: ApiClient) => R | Promise<R>): Promise<R>;
  disposed(): boolean;
}

/**
 * The runtime's API client while its code loads (outbox/lazyStorageServices.ts loads it with the outbox and
 * the response cache). Once the code is there every request goes straight to the real client. A request made
 * meanwhile waits for it, in call order, and keeps its own clock: an interactive one's latency budget counts
 * from the call (the wait is part of it); the caller's abort answers ABORTED at once and the request is never
 * sent. When the load fails, the waiting requests are sent as with the client's flags off: once, with no
 * timeout, retry, breaker or cache (`sendPlain`).
 */
export function lazyApiClient(options: {
  clock: Clock;
  events: EventBus;
  interactiveBudgetMs: number | undefined;
  source: ApiClientSource;
  sendPlain: <T>(request: ApiRequest<T>, startedAt: number) => Promise<ApiResult<T>>;
}): ApiClient {
  const { clock, events, source, sendPlain } = options;
  const budgetMs = options.interactiveBudgetMs ?? DEFAULT_INTERACTIVE_BUDGET_MS;

  /** A request answered without the real client: aborted by its caller, or the runtime disposed meanwhile. */
  const unsent = <T>(request: ApiRequest<T>, startedAt: number, message: string, cause?: unknown): ApiResult<T> => {
    const backend = request.backend ?? 'api';
    const durationMs = clock.now() - startedAt;
    events.emit('request.failed', { backend, op: request.op, code: 'ABORTED', durationMs, attempts: 0, fallbackAdvised: false });
    return { ok: false, error: new ResilienceError('ABORTED', message, { backend, cause }), attempts: 0, durationMs, fallbackAdvised: false };
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
      source
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
            else if (source.disposed()) settle(unsent(request, startedAt, 'The runtime was disposed before the request was sent'));
            else sendPlain(kept, startedAt).then(settle, reject);
          },
        );
    });
  };

  return {
    request<T>(request: ApiRequest<T>): Promise<ApiResult<T>> {
      const client = source.current();
      return client === undefined ? waitForCode(request) : client.request(request);
    },
  };
}

/** Flag-off behaviour when the code would not load: one plain attempt, no timeout, retry, breaker or cache. */
export function plainSender(parts: Pick<ApiClientParts, 'clock' | 'fetch' | 'baseUrl' | 'extraHeaders'>) {
  return async <T>(request: ApiRequest<T>, startedAt: number): Promise<ApiResult<T>> => {
    const backend = request.backend ?? 'api';
    const init = requestInit(request, parts.extraHeaders, request.signal);
    const result = await sendOnce(parts.fetch, parts.baseUrl + request.path, init, undefined, parts.clock, backend, request.parse);
    const durationMs = parts.clock.now() - startedAt;
    if (result.ok) return { ok: true, value: result.value.value, source: 'network', status: result.value.status, attempts: 1, durationMs };
    return { ok: false, error: result.error, attempts: 1, durationMs, fallbackAdvised: result.error.retryable };
  };
}
