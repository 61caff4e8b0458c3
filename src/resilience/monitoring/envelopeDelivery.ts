import type { Clock, TimerHandle } from '../core/clock';
import type { EnvelopeStore } from './envelopeStore';
import type { ScrubRules } from './scrubData';
import { scrubEnvelopeText } from './scrubTelemetry';

/** POSTs one envelope; resolves to the HTTP status, rejects when the request could not be made at all. */
export type PostEnvelope = (body: string) => Promise<number>;

export interface EnvelopeDeliveryOptions {
  readonly store: EnvelopeStore;
  readonly post: PostEnvelope;
  readonly clock: Clock;
  /** Today's scrubbing rules, applied to every envelope as it is sent (stored ones included). */
  readonly rules: () => ScrubRules;
  /** Reports envelopes the full store refused, once delivery works again (e.g. as a metric). */
  readonly reportDrops: (dropped: number) => void;
  /** Runs a drain pass exclusively across tabs (Web Locks); default: no cross-tab exclusion. */
  readonly exclusive?: (pass: () => Promise<void>) => Promise<void>;
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /** Errors of the store itself (quota, closed database): reported, never thrown. */
  readonly onError: (error: unknown) => void;
}

/** Durable telemetry delivery: envelopes are stored first, then sent with backoff when online. */
export interface EnvelopeDelivery {
  /** Stores the envelope durably (or counts it dropped), then tries to send what waits. */
  enqueue(body: string): Promise<void>;
  /** The device is online (or may be): try now, with the backoff reset. */
  online(): void;
  /** Resolves true once a drain pass finished with nothing left, false after `timeoutMs`. */
  flush(timeoutMs: number): Promise<boolean>;
  dispose(): void;
}

/**
 * Our own durable path for telemetry: every envelope is written to the store before any attempt, and deleted
 * only after the sink answered (2xx, or a 4xx other than 429 that retrying would not change). Network errors,
 * 429 and 5xx keep it and retry with backoff, or at once when the runtime says the device is online.
 */
export function createEnvelopeDelivery(options: EnvelopeDeliveryOptions): EnvelopeDelivery {
  const { store, clock } = options;
  const minMs = options.retryMinMs ?? 2_000;
  const maxMs = options.retryMaxMs ?? 60_000;
  const exclusive = options.exclusive ?? ((pass: () => Promise<void>) => pass());
  let delayMs = minMs;
  let timer: TimerHandle | null = null;
  let draining: Promise<boolean> | null = null;
  let again = false;
  let disposed = false;

  const schedule = (): void => {
    if (disposed || timer !== null) return;
    timer = clock.setTimeout(() => {
      timer = null;
      kick();
    }, delayMs);
    delayMs = Math.min(maxMs, delayMs * 2);
  };

  /** One pass; true when the store is empty at its end. */
  const pass = async (): Promise<boolean> => {
    let empty = false;
    await exclusive(async () => {
      for (;;) {
        const batch = await store.peek(10);
        if (batch.length === 0) {
          empty = true;
          break;
        }
        for (const stored of batch) {
          if (disposed) return;
          const body = scrubEnvelopeText(stored.body, options.rules());
          if (body !== null) {
            let status: number;
            try {
              status = await options.post(body);
            } catch {
              return schedule();
            }
            if (status === 429 || status >= 500) return schedule();
          }
          await store.remove(stored.seq);
        }
      }
      delayMs = minMs;
      const dropped = await store.takeDrops();
      if (dropped > 0) options.reportDrops(dropped);
    });
    return empty;
  };

  const kick = (): Promise<boolean> => {
    if (disposed) return Promise.resolve(false);
    if (draining) {
      again = true;
      return draining;
    }
    draining = pass()
      .catch((error: unknown) => {
        options.onError(error);
        schedule();
        return false;
      })
      .finally(() => {
        draining = null;
        if (again) {
          again = false;
          void kick();
        }
      });
    return draining;
  };

  return {
    async enqueue(body) {
      try {
        await store.push(body);
      } catch (error) {
        options.onError(error);
        return;
      }
      void kick();
    },
    online() {
      delayMs = minMs;
      if (timer !== null) {
        clock.clearTimeout(timer);
        timer = null;
      }
      void kick();
    },
    flush(timeoutMs) {
      return new Promise<boolean>((resolve) => {
        const handle = clock.setTimeout(() => resolve(false), timeoutMs);
        // A pass already running may have read the store before the caller's last enqueue: wait it out and
        // judge by a pass that starts now.
        const settle = async (): Promise<boolean> => {
          while (draining) await draining;
          return kick();
        };
        void settle().then((empty) => {
          clock.clearTimeout(handle);
          resolve(empty);
        });
      });
    },
    dispose() {
      disposed = true;
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      store.close();
    },
  };
}
