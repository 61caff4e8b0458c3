import { createHash } from 'node:crypto';
import type { Db } from '../db/database';
import type { NotifyClock } from './notifyClock';
import type { NotifyConfig } from './notifyConfig';
import { createNotifyStore, type KindArrivals, type NoticeItem } from './notifyStore';
import { deliverWebhook, type DeliveryResult } from './webhookDelivery';

/** The JSON body of a webhook call (docs/operations.md, "Webhook notifications", has an example of each). */
export type Notice =
  | { type: 'unresolved'; id: string; sentAt: string; kind: string; unresolvedAfterMs: number; items: NoticeItem[] }
  | ({ type: 'rate'; id: string; sentAt: string; windowMs: number; threshold: number } & KindArrivals);

/** At most this many items in one "unresolved" notice; the rest go out in the kind's next call. */
export const MAX_ITEMS_PER_NOTICE = 100;

export interface NotifierOptions {
  db: Db;
  config: NotifyConfig;
  clock: NotifyClock;
  random?: () => number;
  /** Backoff of retried calls; defaults in webhookDelivery.ts (1 s doubling to 60 s). */
  baseDelayMs?: number;
  /** Calls that failed for good; default console.error. */
  onError?: (message: string) => void;
}

export interface CheckSummary {
  sent: Notice[];
  failed: { notice: Notice; result: DeliveryResult }[];
}

const keyDigest = (items: readonly NoticeItem[]) => createHash('sha256').update(JSON.stringify(items.map((item) => [item.student, item.id]))).digest('hex').slice(0, 16);

/**
 * Decides what to notify and sends it. "Unresolved": an item still open or retrying `unresolvedAfterMs` after the
 * server first heard of it is in exactly one delivered notice (persisted, so checks and restarts do not repeat it;
 * an undelivered notice is tried again at the next check). "Rate": `rateCount` items of one kind first reported
 * within `rateWindowMs`. Either type sends at most one call per kind per `perKindIntervalMs`, also across restarts.
 */
export function createNotifier(options: NotifierOptions) {
  const { config, clock } = options;
  const store = createNotifyStore(options.db);
  const onError = options.onError ?? ((message: string) => console.error('[notify]', message));
  const lifetime = new AbortController();
  let running: Promise<CheckSummary> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const allowed = (topic: string, now: number) => {
    const last = store.topicSentAt(topic);
    return last === undefined || now - last >= config.perKindIntervalMs;
  };

  async function send(topic: string, notice: Notice, summary: CheckSummary): Promise<boolean> {
    const result = await deliverWebhook(notice.id, notice, {
      url: config.webhookUrl,
      ...(config.webhookSecret === undefined ? {} : { secret: config.webhookSecret }),
      maxAttempts: config.maxAttempts,
      clock,
      ...(options.random ? { random: options.random } : {}),
      ...(options.baseDelayMs === undefined ? {} : { baseDelayMs: options.baseDelayMs }),
      signal: lifetime.signal,
    });
    if (lifetime.signal.aborted) return false;
    // The per-kind limit counts calls, delivered or not: a receiver that is down is not hammered every check.
    store.markTopic(topic, clock.now());
    if (result.ok) summary.sent.push(notice);
    else {
      summary.failed.push({ notice, result });
      onError(`webhook ${notice.id} not delivered after ${result.attempts} attempt(s): ${result.error}`);
    }
    return result.ok;
  }

  async function runCheck(): Promise<CheckSummary> {
    const summary: CheckSummary = { sent: [], failed: [] };
    const now = clock.now();
    const byKind = new Map<string, NoticeItem[]>();
    for (const item of store.dueUnresolved(now - config.unresolvedAfterMs, MAX_ITEMS_PER_NOTICE * 20)) {
      byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item]);
    }
    for (const [kind, all] of byKind) {
      const topic = `unresolved:${kind}`;
      if (!allowed(topic, now)) continue;
      const items = all.slice(0, MAX_ITEMS_PER_NOTICE);
      const notice: Notice = { type: 'unresolved', id: `unresolved:${kind}:${keyDigest(items)}`, sentAt: new Date(now).toISOString(), kind, unresolvedAfterMs: config.unresolvedAfterMs, items };
      if (await send(topic, notice, summary)) store.markNotified(items, clock.now());
      if (lifetime.signal.aborted) return summary;
    }
    for (const arrivals of store.arrivalsSince(now - config.rateWindowMs)) {
      const topic = `rate:${arrivals.kind}`;
      if (arrivals.count < config.rateCount || !allowed(topic, now)) continue;
      const notice: Notice = { type: 'rate', id: `rate:${arrivals.kind}:${now}`, sentAt: new Date(now).toISOString(), windowMs: config.rateWindowMs, threshold: config.rateCount, ...arrivals };
      await send(topic, notice, summary);
      if (lifetime.signal.aborted) return summary;
    }
    return summary;
  }

  const check = (): Promise<CheckSummary> => {
    running ??= runCheck().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    /** One pass; a pass already running is joined, not doubled (two passes would send the same notice twice). */
    check,
    /** Checks every `checkIntervalMs` until stop(). */
    start(): void {
      timer ??= setInterval(() => {
        void check().catch((error: unknown) => onError(String(error)));
      }, config.checkIntervalMs);
      timer.unref();
    },
    /** Stops the schedule and cuts any call or backoff in progress; resolves when the current pass has ended. */
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      lifetime.abort();
      await running?.catch(() => undefined);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
