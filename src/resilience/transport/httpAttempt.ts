import { classify } from '../core/classify';
import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { Result } from '../core/result';
import type { Deadline } from '../policies/deadline';
import { IDEMPOTENCY_KEY_HEADER, type ApiRequest, type FetchLike, type FetchResponse } from './apiTypes';

export interface AttemptSuccess<T> {
  readonly value: T;
  readonly status: number;
}

/**
 * One HTTP attempt: fetch, then parse. Non-2xx responses are classified (with the JSON error body and
 * Retry-After); a 2xx whose body is not what `parse` expects is INVALID_RESPONSE. Never throws.
 */
export async function sendOnce<T>(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  deadline: Deadline | undefined,
  clock: Clock,
  backend: string,
  parse: ((json: unknown) => T) | undefined,
): Promise<AttemptResult<T>> {
  try {
    const response = await fetchImpl(url, init);
    if (!response.ok) return await failedResponse(response, clock, backend);
    return parsedBody(await readBody(response, init.method), response.status, parse, backend);
  } catch (thrown) {
    return thrownFailure(thrown, deadline, backend);
  }
}

/** The fetch init of a request: JSON in and out, the client's extra headers, then the request's own. */
export function requestInit(request: ApiRequest<unknown>, extraHeaders: (() => Readonly<Record<string, string>>) | undefined, signal: AbortSignal | undefined): RequestInit {
  let headers: Record<string, string> = { Accept: 'application/json' };
  if (extraHeaders !== undefined) headers = Object.assign(headers, extraHeaders());
  if (request.headers !== undefined) headers = Object.assign(headers, request.headers);
  if (request.idempotencyKey !== undefined) headers[IDEMPOTENCY_KEY_HEADER] = request.idempotencyKey;
  const init: RequestInit = { method: request.method, headers };
  if (request.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(request.body);
  }
  if (signal) init.signal = signal;
  return init;
}

export type AttemptResult<T> = Result<AttemptSuccess<T>, ResilienceError>;

/** A 2xx body through the caller's `parse`: a throw is INVALID_RESPONSE. */
export function parsedBody<T>(raw: unknown, status: number, parse: ((json: unknown) => T) | undefined, backend: string): AttemptResult<T> {
  if (!parse) return { ok: true, value: { value: raw as T, status } };
  try {
    return { ok: true, value: { value: parse(raw), status } };
  } catch (cause) {
    return { ok: false, error: invalid(backend, cause) };
  }
}

/** A non-2xx answer, classified with its JSON error body and Retry-After. */
export async function failedResponse(response: FetchResponse, clock: Clock, backend: string): Promise<AttemptResult<never>> {
  const detail = await readErrorBody(response);
  return { ok: false, error: classify(response, { nowMs: clock.now(), backend, detail }) };
}

/** fetch or the body read threw: TIMEOUT when our deadline fired, else classified (abort, network, …). */
export function thrownFailure(thrown: unknown, deadline: Deadline | undefined, backend: string): AttemptResult<never> {
  if (deadline?.timedOut()) {
    return { ok: false, error: new ResilienceError('TIMEOUT', `No response from "${backend}" in time`, { backend, cause: thrown }) };
  }
  return { ok: false, error: classify(thrown, { backend }) };
}

/** The 2xx body: JSON only (throws SyntaxError on another content type); undefined for 204/205/HEAD. */
export function readBody(response: FetchResponse, method: string | undefined): Promise<unknown> | undefined {
  if (response.status === 204 || response.status === 205 || method === 'HEAD') return undefined;
  // The API speaks JSON only; a 200 text/html is typically a captive portal or a misrouted proxy page.
  const type = response.headers.get('content-type');
  if (type !== null && !type.includes('json')) throw new SyntaxError(`Expected JSON, got "${type}"`);
  return response.json();
}

async function readErrorBody(response: FetchResponse): Promise<unknown> {
  try {
    const type = response.headers.get('content-type');
    return type?.includes('json') ? await response.json() : undefined;
  } catch {
    return undefined; // an unreadable error body does not change the classification
  }
}

function invalid(backend: string, cause: unknown): ResilienceError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new ResilienceError('INVALID_RESPONSE', `Unexpected response from "${backend}": ${message}`, { backend, cause });
}
