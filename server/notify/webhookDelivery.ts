import type { NotifyClock } from './notifyClock';
import { SIGNATURE_HEADER, signWebhook } from './webhookSignature';

/** How one call ended: delivered (2xx), refused for good (another 4xx), or given up after the last attempt. */
export type DeliveryResult =
  | { ok: true; attempts: number; status: number }
  | { ok: false; attempts: number; status?: number; error: string };

export interface DeliveryOptions {
  url: string;
  secret?: string;
  maxAttempts: number;
  clock: NotifyClock;
  /** Random source of the jitter; default Math.random. */
  random?: () => number;
  /** First retry waits about this long; each further one twice as long, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** One request's time limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const RETRIABLE = (status: number) => status >= 500 || status === 429 || status === 408;

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries of many servers spread out. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const step = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}

/** Retry-After in seconds (the HTTP-date form is rare from webhook receivers and is treated as absent). */
function retryAfterMs(response: Response): number | undefined {
  const raw = response.headers.get('retry-after');
  const seconds = raw === null ? NaN : Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * POSTs `payload` as JSON, signed afresh on every attempt (so the timestamp is current), with `X-Tutor-Delivery`
 * naming the notice (a receiver dedupes on it). Network errors, timeouts, 408, 429 and 5xx are retried up to
 * `maxAttempts` in all; other answers end the call. Never throws: the result says what happened.
 */
export async function deliverWebhook(deliveryId: string, payload: unknown, options: DeliveryOptions): Promise<DeliveryResult> {
  const body = JSON.stringify(payload);
  const random = options.random ?? Math.random;
  const baseMs = options.baseDelayMs ?? 1_000;
  const maxMs = options.maxDelayMs ?? 60_000;
  let last: { status?: number; error: string } = { error: 'not attempted' };
  for (let attempt = 1; attempt <= options.maxAttempts; attempt += 1) {
    let waitMs: number | undefined;
    try {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'tutor-server-notify', 'X-Tutor-Delivery': deliveryId, 'X-Tutor-Attempt': String(attempt) };
      if (options.secret !== undefined) headers[SIGNATURE_HEADER] = signWebhook(options.secret, body, Math.floor(options.clock.now() / 1000));
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      const response = await fetch(options.url, { method: 'POST', headers, body, signal, redirect: 'error' });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      last = { status: response.status, error: `HTTP ${response.status}` };
      if (!RETRIABLE(response.status)) return { ok: false, attempts: attempt, ...last };
      waitMs = response.status === 429 ? retryAfterMs(response) : undefined;
    } catch (error) {
      if (options.signal?.aborted) return { ok: false, attempts: attempt, error: 'stopped' };
      last = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    if (attempt === options.maxAttempts) break;
    const delayMs = Math.min(maxMs, waitMs ?? backoffDelayMs(attempt, baseMs, maxMs, random));
    try {
      await options.clock.sleep(delayMs, options.signal);
    } catch {
      return { ok: false, attempts: attempt, error: 'stopped' };
    }
  }
  return { ok: false, attempts: options.maxAttempts, ...last };
}
