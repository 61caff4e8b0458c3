import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { ResilienceEvent } from '../core/events';
import { reportInternalError } from '../core/guard';
import type { FeatureFlags } from '../flags/featureFlags';
import type { Outbox } from '../outbox/outbox';
import type { OutboxIntervention } from '../outbox/outboxEntry';
import { createEscalationLog, type EscalationLog } from './escalationLog';
import { redactPreview, type InterventionItem, type InterventionKind } from './interventionItem';
import type { InterventionStore } from './interventionStore';
import { isReportPath } from './reportNames';

/**
 * The student's manual intervention queue (flag `escalation`): what cannot heal itself, persisted per student,
 * with the actions a person takes on it. It is also the orchestrator's escalator and the session's
 * escalation log (`items()`, `resolve(op)`), which the recovery dialog reads.
 */
export interface InterventionQueue extends EscalationLog {
  /** Resolves once the stored items of the student are loaded. Never rejects. */
  ready(): Promise<void>;
  /** Every item of the student (also resolved and discarded ones), oldest first. */
  list(): readonly InterventionItem[];
  /** Items that still need the student: open or being retried ("Needs your attention"). */
  needsAttention(): readonly InterventionItem[];
  /** Told of every changed item after it was stored (the server reporter). Returns the unsubscribe function. */
  onItemChanged(listener: (item: InterventionItem) => void): () => void;
  /** Retry now: an outbox entry goes back in its queue (same key); a failed recovery asks the page to try again. */
  retryNow(id: string): Promise<void>;
  /** A rejected answer corrected: a new outbox entry (new Idempotency-Key) with `body`; the rejected one goes. */
  editAndRetry(id: string, body: unknown): Promise<void>;
  /** Dropped on purpose; `reason` (required) is kept with it. An outbox entry is deleted. */
  discard(id: string, reason: string): Promise<void>;
  /** Marked as dealt with. */
  resolveItem(id: string): Promise<void>;
  /** Log-out: the student's items leave this device. */
  purgeUser(user: string): Promise<void>;
  dispose(): void;
}

export interface InterventionQueueOptions {
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  outbox: Outbox;
  store: InterventionStore;
  userId: string | undefined;
  /** Bus events of before the queue existed (its code loaded after them), handled first as if heard live. */
  replay?: readonly ResilienceEvent[];
}

type Sighting = Omit<InterventionItem, 'user' | 'status' | 'version' | 'firstSeenAt' | 'lastSeenAt' | 'attempts'> & { attempts?: number };

export function createInterventionQueue(options: InterventionQueueOptions): InterventionQueue {
  const { clock, events, flags, outbox, store, userId } = options;
  const log = createEscalationLog();
  const items = new Map<string, InterventionItem>();
  const listeners = new Set<() => void>();
  const itemListeners = new Set<(item: InterventionItem) => void>();
  let writes: Promise<unknown> = Promise.resolve();
  let disposed = false;

  const loaded = (userId === undefined ? Promise.resolve([]) : store.load(userId)).then(
    (stored) => stored.forEach((item) => items.set(item.id, item)),
    (error: unknown) => reportInternalError(events, 'escalation', new Error(`Loading the intervention queue failed: ${String(error)}`)),
  );
  writes = loaded;

  const notify = () => listeners.forEach((listener) => listener());
  /** Serialised after the load and every earlier change; a storage failure keeps the item in memory and is reported. */
  const change = (id: string, next: (current: InterventionItem | undefined) => InterventionItem | undefined): Promise<void> => {
    const run = writes.then(async () => {
      if (disposed) return;
      const updated = next(items.get(id));
      if (!updated) return;
      items.set(id, updated);
      notify();
      try {
        await store.put(updated);
      } catch (error) {
        reportInternalError(events, 'escalation', new Error(`Storing intervention "${id}" failed: ${String(error)}`));
      }
      itemListeners.forEach((listener) => listener(updated));
    });
    writes = run.catch(() => undefined);
    return run;
  };

  const seen = (sighting: Sighting) => {
    if (userId === undefined || !flags.isEnabled('escalation')) return;
    const now = clock.now();
    void change(sighting.id, (current) => ({
      ...current,
      ...sighting,
      user: userId,
      status: 'open',
      version: (current?.version ?? 0) + 1,
      firstSeenAt: current?.firstSeenAt ?? now,
      lastSeenAt: now,
      // Times seen failing: the first sighting takes the source's count (an entry's send attempts), later ones add one.
      attempts: current ? current.attempts + 1 : (sighting.attempts ?? 1),
      links: { ...current?.links, ...sighting.links },
    }));
  };

  const setStatus = (id: string, status: InterventionItem['status'], extra: Partial<InterventionItem> = {}) =>
    change(id, (current) => (current ? { ...current, ...extra, status, version: current.version + 1, lastSeenAt: clock.now() } : undefined));

  const fromOutbox = (entryId: string, kind: InterventionKind): Sighting | undefined => {
    const found: OutboxIntervention | undefined = outbox.snapshot().interventions.find((intervention) => intervention.entry.id === entryId);
    if (!found) return undefined;
    const { entry } = found;
    // A report of an item that the server refused is dropped by the reporter, never an item itself (no loop).
    if (isReportPath(entry.request.path)) return undefined;
    const error = found.error ?? entry.lastError;
    return {
      id: `outbox:${entry.id}`,
      kind,
      reasonCode: error?.code ?? found.reason,
      attempts: entry.attempts,
      idempotencyKey: entry.idempotencyKey,
      preview: redactPreview(entry.request.method, entry.request.path, entry.request.body),
      links: { outboxEntryId: entry.id },
      ...(error ? { lastError: { code: error.code, message: error.message, ...(error.status === undefined ? {} : { status: error.status }) } } : {}),
    };
  };

  const resolveOp = (op: string) => {
    log.resolve(op);
    for (const item of items.values()) if (item.kind === 'recoveryFailed' && item.links.op === op && item.status !== 'resolved' && item.status !== 'discarded') void setStatus(item.id, 'resolved');
  };

  const onEvent = (event: ResilienceEvent) => {
    switch (event.type) {
      case 'outbox.deadLettered': {
        const sighting = fromOutbox(event.id, event.reason === 'rejected' ? 'outboxRejected' : 'outboxRetention');
        if (sighting) seen(sighting);
        return;
      }
      case 'outbox.sent':
        for (const item of items.values()) {
          const linked = item.links.outboxEntryId === event.id || item.links.replacedBy === event.id;
          if (linked && (item.status === 'open' || item.status === 'retrying')) void setStatus(item.id, 'resolved');
        }
        return;
      case 'outbox.quarantined':
        seen({ id: `quarantine:${event.key}`, kind: 'quarantined', reasonCode: 'invalidRecord', lastError: { code: 'QUARANTINED', message: event.reason }, links: { quarantineKey: event.key } });
        return;
      case 'checkpoint.quarantined':
        seen({ id: `checkpoint:${event.workflow}`, kind: 'checkpointCorrupt', reasonCode: 'quarantined', lastError: { code: 'CHECKPOINT_INVALID', message: event.reason }, links: { workflow: event.workflow } });
        return;
      case 'checkpoint.escalated':
        seen({ id: `checkpoint:${event.workflow}`, kind: 'checkpointCorrupt', reasonCode: event.reason, lastError: { code: 'CHECKPOINT_INVALID', message: `${event.quarantined} checkpoints quarantined, none valid` }, links: { workflow: event.workflow } });
        return;
      case 'escalation.raised':
        seen({ id: `recovery:${event.op}:${event.code}`, kind: 'recoveryFailed', reasonCode: event.code, lastError: { code: event.code, message: event.message }, links: { op: event.op } });
        return;
      case 'request.succeeded':
        resolveOp(event.op);
        return;
      case 'recovery.finished':
        if (recovered(event.result)) resolveOp(event.op);
        return;
      default:
        return;
    }
  };
  const hear = (event: ResilienceEvent) => {
    try {
      onEvent(event);
    } catch (error) {
      reportInternalError(events, 'escalation', error);
    }
  };
  options.replay?.forEach(hear);
  const unsubscribe = events.subscribe(hear);

  // Retry and edit-and-retry run one at a time (a student's click and an admin's command can meet), so one
  // sees what the other did: an answer edited and retried is not also retried under its old key, or the reverse.
  let actions: Promise<unknown> = Promise.resolve();
  const act = <T>(step: () => Promise<T>): Promise<T> => {
    const run = actions.then(step);
    actions = run.catch(() => undefined);
    return run;
  };

  const existing = async (id: string): Promise<InterventionItem> => {
    await writes;
    const item = items.get(id);
    if (!item) throw new TypeError(`No intervention item "${id}".`);
    return item;
  };

  return {
    escalate: (item) => log.escalate(item),
    items: () => log.items(),
    resolve: resolveOp,
    subscribe(listener) {
      listeners.add(listener);
      const stopLog = log.subscribe(listener);
      return () => {
        listeners.delete(listener);
        stopLog();
      };
    },
    ready: () => loaded,
    list: () => [...items.values()].sort((a, b) => a.firstSeenAt - b.firstSeenAt),
    needsAttention: () => [...items.values()].filter((item) => item.status === 'open' || item.status === 'retrying').sort((a, b) => a.firstSeenAt - b.firstSeenAt),
    onItemChanged(listener) {
      itemListeners.add(listener);
      return () => void itemListeners.delete(listener);
    },
    retryNow: (id) => act(async () => {
      const item = await existing(id);
      // Edited and retried already: the corrected answer replaced the rejected one, which must not go as well.
      if (item.links.replacedBy !== undefined) throw new TypeError(`"${id}" was edited and retried: its corrected answer is on its way.`);
      if (item.links.outboxEntryId !== undefined && (item.kind === 'outboxRejected' || item.kind === 'outboxRetention')) {
        await outbox.retry(item.links.outboxEntryId);
        await setStatus(id, 'retrying');
      } else if (item.kind === 'recoveryFailed') {
        await setStatus(id, 'retrying');
        events.emit('recovery.retryRequested', { by: 'student' });
      } else throw new TypeError(`A ${item.kind} item cannot be retried: discard or resolve it.`);
    }),
    editAndRetry: (id, body) => act(async () => {
      const item = await existing(id);
      const entryId = item.links.outboxEntryId;
      const found = outbox.snapshot().interventions.find((intervention) => intervention.entry.id === entryId);
      if (item.kind !== 'outboxRejected' || !found) throw new TypeError('Only an answer the server rejected can be edited and retried.');
      const { entry } = found;
      // A new key: the server refused the old one's content, and the same key with another body would be refused as reuse.
      const replacement = await outbox.submit({ scope: entry.scope, user: entry.user, request: { ...entry.request, body } });
      if (replacement.id !== entry.id) await outbox.discard(entry.id);
      await setStatus(id, 'retrying', { links: { ...item.links, replacedBy: replacement.id }, preview: redactPreview(entry.request.method, entry.request.path, body) });
      void outbox.drain();
    }),
    async discard(id, reason) {
      const why = reason.trim();
      if (why.length === 0 || why.length > 500) throw new TypeError('Discarding needs a reason (1 to 500 characters).');
      const item = await existing(id);
      const entryId = item.links.outboxEntryId;
      if (entryId !== undefined && outbox.snapshot().interventions.some((intervention) => intervention.entry.id === entryId)) await outbox.discard(entryId);
      await setStatus(id, 'discarded', { discardReason: why });
    },
    async resolveItem(id) {
      await existing(id);
      await setStatus(id, 'resolved');
    },
    async purgeUser(user) {
      await writes;
      if (user === userId) items.clear();
      notify();
      await store.purgeUser(user);
    },
    dispose() {
      disposed = true;
      unsubscribe();
      listeners.clear();
      itemListeners.clear();
      store.close();
    },
  };
}

/** A `recovery.finished` result where the operation itself worked again (healed, or the final retry). */
function recovered(result: unknown): boolean {
  const summary = result as { status?: unknown; method?: unknown } | null;
  return summary?.status === 'healed' || (summary?.status === 'recovered' && summary.method === 'retry');
}
