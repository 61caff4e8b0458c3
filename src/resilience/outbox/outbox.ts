import type { Clock } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { IdGenerator } from '../core/ids';
import type { ResilienceStorage } from '../core/storage';
import type { ApiClient } from '../transport/apiClient';
import type { DrainLockOptions } from './drainLock';
import type { OutboxChangeFeed } from './outboxChanges';
import { restoresOf, type OutboxEntry } from './outboxEntry';
import { createOutboxState, type OutboxSnapshot } from './outboxState';
import { createOutboxStore } from './outboxStore';
import { buildEntry, checkCaps, type OutboxLimits, type OutboxSubmission } from './outboxSubmit';
import type { OutboxBatchCodec } from './batchCodec';
import type { ReplayPolicy } from './replayPolicy';
import { createOutboxMirror } from './outboxMirror';
import { lazyDrainScheduler } from './lazyDrainScheduler';

/** What one outbox replay did. */
export interface OutboxDrainReport {
  readonly sent: number;
  readonly deadLettered: number;
  /** The current user's queued entries afterwards. */
  readonly remaining: number;
  /** Why nothing was replayed: the flag is off, another tab holds the drain lock, or the student must sign in again. */
  readonly skipped?: 'off' | 'locked' | 'needsSignIn';
}

/**
 * Durable queue of user actions (IndexedDB, memory fallback) replayed in order per scope when the server can be
 * reached.
 */
export interface Outbox {
  /**
   * Stores a user action durably, then returns the entry. Resolves only after the IndexedDB transaction
   * completed (`durable: false` when the memory fallback is in use). Rejects with a ResilienceError:
   * STORAGE_QUOTA (browser quota, or the outbox's size caps; earlier entries stay intact),
   * STORAGE_UNAVAILABLE / STORAGE_CLOSED (storage failed), STORAGE_UNAVAILABLE with detail `outboxDisabled`
   * (flag "outbox" off: send the request directly). A malformed submission throws a TypeError.
   */
  submit(submission: OutboxSubmission): Promise<OutboxEntry & { readonly durable: boolean }>;
  /** One replay (coalesced with a running one). Never rejects. */
  drain(): Promise<OutboxDrainReport>;
  /**
   * "Sync now": like drain() but ignores our own backoff and an open breaker (its request is the breaker's
   * probe); a server's Retry-After is still honoured. Also resumes a replay paused for sign-in (`needsSignIn`);
   * the app calls it once the student signed in again.
   */
  syncNow(): Promise<OutboxDrainReport>;
  /** A service-worker message (e.g. Background Sync fired): drain. */
  notifyServiceWorkerMessage(): void;
  /**
   * Puts an intervention entry back in its queue (same id, same Idempotency-Key) and drains. Rejects with
   * HTTP_4XX (detail `notInIntervention`) when it no longer waits for a retry: another retry (this tab's, another
   * tab's, an admin's) took it first, or it was discarded. A retry never queues an entry twice or loses it.
   */
  retry(id: string): Promise<void>;
  /** Deletes an intervention entry: the student decided to drop it. */
  discard(id: string): Promise<void>;
  snapshot(): OutboxSnapshot;
  subscribe(listener: (snapshot: OutboxSnapshot) => void): () => void;
  /** Loads stored entries and drains; called by the runtime when the flag is on. Idempotent. */
  start(): Promise<void>;
  dispose(): void;
}

export interface OutboxOptions {
  storage: ResilienceStorage;
  api: ApiClient;
  events: EventBus;
  clock: Clock;
  ids: IdGenerator;
  uuid: () => string;
  monotonicNow: () => number;
  policy: ReplayPolicy;
  /** How tabs take turns to drain: built by the drain scheduler (loaded after the first load); 'none' → no exclusion. */
  lock: DrainLockOptions | 'none';
  /** Change notices to and from this student's other tabs. */
  changes: OutboxChangeFeed;
  limits: OutboxLimits;
  scopeConcurrency: number;
  enabled: () => boolean;
  currentUser: () => string | undefined;
  isOffline: () => boolean;
  /** Retry delay when another tab holds the drain lock and work is pending here. */
  lockedRetryMs?: number;
  /** The backend's batch format; none → one request per entry. */
  batchCodec?: OutboxBatchCodec;
  /** Extra headers of an entry's replay (e.g. who it belongs to, so the backend can refuse a foreign one). */
  requestHeaders?: (entry: OutboxEntry) => Readonly<Record<string, string>>;
  /** Which request paths may be queued and replayed (also checked on every stored entry). Default: any same-origin path. */
  allowedPath?: (path: string) => boolean;
  /** Scopes of the runtime's own entries (intervention reports): replayed like any, left out of `pending`. */
  isBackgroundScope?: (scope: string) => boolean;
}

/**
 * The outbox facade: submit, retry and discard of intervention entries, snapshot. Replays are the drain
 * scheduler's (drainScheduler.ts, loaded after the first load: lazyDrainScheduler.ts); keeping the tab's state in step with storage is the mirror's (outboxMirror.ts).
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const { storage, events, clock, currentUser } = options;
  const state = createOutboxState(currentUser, options.isBackgroundScope);
  const store = createOutboxStore(storage, (key, reason) => {
    events.emit('outbox.quarantined', { key, reason });
    reportInternalError(events, 'outbox', new Error(`Quarantined stored outbox record "${key}": ${reason}`));
  }, () => clock.now(), () => options.changes.announce(), options.allowedPath);
  let disposed = false;
  const isDisposed = () => disposed;
  const mirror = createOutboxMirror({ storage, store, state, events, clock, policy: options.policy, monotonicNow: options.monotonicNow, currentUser, disposed: isDisposed });
  const drains = lazyDrainScheduler({ options, state, store, mirror, disposed: isDisposed });
  const { clockReady, refresh, changed, pending } = mirror;
  const start = drains.start;
  const unsubscribeChanges = options.changes.subscribe(drains.onRemoteChange);

  return {
    async submit(submission) {
      if (!options.enabled()) {
        throw new ResilienceError('STORAGE_UNAVAILABLE', 'The outbox is switched off (flag "outbox"): send the request directly', { retryable: false, detail: { reason: 'outboxDisabled' } });
      }
      const retention = await clockReady();
      const entry = buildEntry(submission, { id: options.ids(), uuid: options.uuid, now: clock.now(), mono: retention.now(), allowedPath: options.allowedPath });
      const overCap = checkCaps(entry, state.totals(), options.limits);
      if (overCap) throw overCap;
      const written = await store.insert(entry);
      if (!written.ok) {
        state.setLastError({ code: written.error.code, message: written.error.message });
        changed();
        throw written.error;
      }
      void retention.persist();
      const stored = written.value;
      state.upsert(stored);
      const durable = storage.durable();
      events.emit('outbox.enqueued', { pending: pending(), id: stored.id, scope: stored.scope, durable });
      changed();
      // While known to be offline a pass could only fail, and its reload of the queue would compete with the
      // student's next write; the online trigger drains instead.
      if (stored.user === currentUser() && !options.isOffline()) void start(false);
      return { ...stored, durable };
    },
    drain: () => start(false),
    syncNow: () => start(true),
    notifyServiceWorkerMessage: () => void start(false),
    async retry(id) {
      const record = state.intervention(id);
      if (!record) throw new ResilienceError('HTTP_4XX', `No outbox entry "${id}" needs intervention`, { retryable: false });
      const retention = await clockReady();
      // A fresh retention period and backoff; the id (its place in the scope) and the key stay the same. One more
      // restore: how storage tells this copy from the record it replaces (see OutboxStore.restore).
      const entry: OutboxEntry = { ...record.entry, attempts: 0, nextAttemptAt: clock.now(), createdMono: retention.now(), restores: restoresOf(record.entry) + 1 };
      const restored = await store.restore(entry);
      if (!restored.ok) {
        // Taken by another retry (or discarded) since this tab read it: show what storage holds now.
        await refresh();
        changed();
        throw restored.error;
      }
      state.dropIntervention(id);
      state.upsert(entry);
      changed();
      void start(false);
    },
    async discard(id) {
      const removed = await store.discard(id);
      if (!removed.ok) throw removed.error;
      state.dropIntervention(id);
      changed();
    },
    snapshot: () => state.snapshot(),
    subscribe: (listener) => state.subscribe(listener),
    async start() {
      await clockReady();
      changed();
      void start(false);
    },
    dispose() {
      disposed = true;
      unsubscribeChanges();
      drains.dispose();
    },
  };
}
