import type { ApiErrorBody } from '../../protocol/api';
import { ServiceError, codeForStatus } from './serviceError';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/**
 * Sends one JSON request and resolves with the parsed body of a 2xx response. Everything else
 * rejects with a ServiceError: NETWORK/TIMEOUT when no response came, a status-derived code (with the
 * server's message) for an error response, INVALID_RESPONSE for a body that is not JSON.
 */
export async function fetchJson<T>(fetchFn: FetchLike, baseUrl: string, request: JsonRequest): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetchFn(baseUrl + request.path, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    throw new ServiceError(timedOut ? 'TIMEOUT' : 'NETWORK', timedOut ? 'Request timed out' : 'Network error', { cause });
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw new ServiceError(codeForStatus(response.status), serverMessage(body) ?? `HTTP ${response.status}`, {
      status: response.status,
    });
  }
  if (body === undefined) throw new ServiceError('INVALID_RESPONSE', 'The server sent a response that is not JSON');
  return body as T;
}

function serverMessage(body: unknown): string | undefined {
  const error = (body as Partial<ApiErrorBody> | undefined)?.error;
  return typeof error?.message === 'string' ? error.message : undefined;
}
