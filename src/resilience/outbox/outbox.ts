import type { Clock, TimerHandle } from '../core/clock';
import { ResilienceError } from '../core/errors';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { IdGenerator } from '../core/ids';
import type { ResilienceStorage } from '../core/storage';
import type { ApiClient } from '../transport/apiClient';
import type { DrainLock } from './drainLock';
import type { OutboxChangeFeed } from './outboxChanges';
import { loadElapsedClock, type ElapsedClock } from './elapsedClock';
import { restoresOf, type OutboxEntry, type OutboxIntervention } from './outboxEntry';
import { createOutboxState, type OutboxSnapshot } from './outboxState';
import { createOutboxStore } from './outboxStore';
import { buildEntry, checkCaps, type OutboxLimits, type OutboxSubmission } from './outboxSubmit';
import { runDrainPass } from './drainPass';
import { createBatchReplay } from './batchReplay';
import type { OutboxBatchCodec } from './batchCodec';
import type { ReplayPolicy } from './replayPolicy';

export const REPLAY_OP = 'outbox.replay';

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
   * "Sync now": like drain() but ignores our own backoff (a server's Retry-After is still honoured). Also
   * resumes a replay paused for sign-in (`needsSignIn`); the app calls it once the student signed in again.
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
  lock: DrainLock;
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

/** The outbox policy layer: submit, replay triggers' target, backoff timer, intervention list, snapshot. */
export function createOutbox(options: OutboxOptions): Outbox {
  const { storage, api, events, clock, policy, lock, currentUser } = options;
  const state = createOutboxState(currentUser, options.isBackgroundScope);
  const store = createOutboxStore(storage, (key, reason) => {
    events.emit('outbox.quarantined', { key, reason });
    reportInternalError(events, 'outbox', new Error(`Quarantined stored outbox record "${key}": ${reason}`));
  }, () => clock.now(), () => options.changes.announce(), options.allowedPath);
  const abort = new AbortController();
  // One per runtime: it remembers a backend without the batch endpoint (404/405) and then replays one at a time.
  const batch = createBatchReplay({ api, op: REPLAY_OP, codec: options.batchCodec, requestHeaders: options.requestHeaders });
  let elapsed: Promise<ElapsedClock> | undefined;
  let running: Promise<OutboxDrainReport> | undefined;
  let followUp: 'none' | 'drain' | 'force' = 'none';
  let timer: TimerHandle | undefined;
  let disposed = false;
  /** True while this tab holds the drain lock. */
  let holding = false;
  let noticeRefresh: Promise<void> | undefined;
  let noticeAgain = false;
  // The server's answer to each entry sent in the current pass, handed to `outbox.sent` (then forgotten).
  const responses = new Map<string, unknown>();

  // Read through a function: triggers change it while a pass awaits, which control-flow narrowing cannot see.
  const pendingFollowUp = () => followUp;
  const changed = () => state.changed((error) => reportInternalError(events, 'outbox', error));
  const pending = () => state.pendingFor(currentUser());
  const clockReady = () => (elapsed ??= storage.ready().then(async (durable) => {
    state.set({ durable });
    await refresh();
    return loadElapsedClock(store, clock, options.monotonicNow);
  }));

  /** Reloads from storage (other tabs write too) and moves entries past retention to the intervention list. */
  async function refresh(retention?: ElapsedClock): Promise<void> {
    if (disposed) return; // a disposed runtime (a closed tab) must not touch storage any more
    // A submit, retry or discard of this tab made while the load ran may be missing from what it read: the
    // state applies those again on top of it (see OutboxState.replace), so a save is never hidden from the count.
    const mark = state.beginLoad();
    const loaded = await store.load();
    if (!loaded.ok) {
      state.abandonLoad(mark);
      state.setLastError({ code: loaded.error.code, message: loaded.error.message });
      reportInternalError(events, 'outbox', loaded.error);
      return;
    }
    state.replace(mark, loaded.value.queue, loaded.value.interventions, loaded.value.quarantined);
    state.set({ ready: true });
    if (!retention) return;
    for (const entry of loaded.value.queue) {
      if (!policy.isExpired(entry, retention.now())) continue;
      await intervene({ entry, reason: 'retention', at: clock.now() });
    }
  }

  async function intervene(record: OutboxIntervention): Promise<void> {
    const moved = await store.moveToIntervention(record);
    if (!moved.ok) return reportInternalError(events, 'outbox', moved.error);
    state.intervene(record);
    events.emit('outbox.deadLettered', { pending: pending(), deadLettered: state.snapshot().interventions.length, id: record.entry.id, scope: record.entry.scope, reason: record.reason, code: record.error?.code });
    changed();
  }

  async function pass(force: boolean, signal: AbortSignal): Promise<{ sent: number; deadLettered: number; needsSignIn: boolean }> {
    const retention = await clockReady();
    if (disposed) return { sent: 0, deadLettered: 0, needsSignIn: false };
    await refresh(retention);
    void retention.persist();
    const user = currentUser();
    const entries = state.entries().filter((entry) => entry.user === user);
    return runDrainPass({
      entries, store, policy, clock, force, batch,
      scopeConcurrency: options.scopeConcurrency,
      signal,
      send: async (entry, signal) => {
        const { method, path, body } = entry.request;
        const result = await api.request({ op: REPLAY_OP, method, path, body, idempotencyKey: entry.idempotencyKey, ...(options.requestHeaders ? { headers: options.requestHeaders(entry) } : {}), retry: false, signal });
        if (result.ok) responses.set(entry.id, result.value);
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      },
      onSent: (entry, batchResponse) => {
        state.remove(entry.id);
        // A single request's answer was kept in `responses`; an answer from a batch comes with the call.
        const response = responses.has(entry.id) ? responses.get(entry.id) : batchResponse;
        responses.delete(entry.id);
        events.emit('outbox.sent', { pending: pending(), id: entry.id, scope: entry.scope, attempts: entry.attempts + 1, response });
        changed();
      },
      onRetry: (entry, delayMs) => {
        state.upsert(entry);
        if (entry.lastError) {
          state.setLastError({ code: entry.lastError.code, message: entry.lastError.message });
          events.emit('outbox.retryScheduled', { id: entry.id, scope: entry.scope, attempts: entry.attempts, delayMs, code: entry.lastError.code });
        }
        changed();
      },
      onIntervention: (record) => {
        state.intervene(record);
        events.emit('outbox.deadLettered', { pending: pending(), deadLettered: state.snapshot().interventions.length, id: record.entry.id, scope: record.entry.scope, reason: record.reason, code: record.error?.code });
        changed();
      },
      onProgress: (done, total) => events.emit('outbox.progress', { done, total }),
    });
  }

  async function drainLoop(force: boolean): Promise<OutboxDrainReport> {
    const totals = { sent: 0, deadLettered: 0 };
    let skipped: OutboxDrainReport['skipped'];
    let nextForce = force;
    do {
      followUp = 'none';
      // Nothing of this student's queued (read without the lock): no pass, no lock, no lease timer.
      await clockReady();
      await refresh();
      if (disposed || state.pendingFor(currentUser()) === 0) continue;
      // Stops this pass on dispose, or if another tab took the (storage) lease over.
      const passAbort = new AbortController();
      const stop = () => passAbort.abort(new ResilienceError('ABORTED', 'The drain stopped'));
      const lease = await lock.tryAcquire(stop).catch((error: unknown) => {
        reportInternalError(events, 'outbox', error);
        return { release() {} }; // a broken lock API behaves like a lone tab
      });
      if (!lease) {
        skipped = 'locked';
        break;
      }
      holding = true;
      abort.signal.addEventListener('abort', stop);
      state.set({ draining: true });
      changed();
      try {
        const report = await pass(nextForce, passAbort.signal);
        totals.sent += report.sent;
        totals.deadLettered += report.deadLettered;
        if (report.needsSignIn) {
          state.set({ needsSignIn: true }); // follow-ups wait too: only signing in again helps
          break;
        }
      } finally {
        abort.signal.removeEventListener('abort', stop);
        holding = false;
        lease.release();
        state.set({ draining: false });
      }
      nextForce = pendingFollowUp() === 'force';
    } while (pendingFollowUp() !== 'none' && !disposed);
    const remaining = pending();
    if (!skipped || totals.sent > 0) events.emit('outbox.drained', { sent: totals.sent, pending: remaining, remaining, deadLettered: totals.deadLettered });
    schedule(skipped === 'locked');
    changed();
    return { ...totals, remaining, ...(skipped ? { skipped } : {}) };
  }

  function start(force: boolean): Promise<OutboxDrainReport> {
    if (disposed || !options.enabled()) return Promise.resolve({ sent: 0, deadLettered: 0, remaining: pending(), skipped: 'off' });
    // Paused for sign-in: triggers (online, visibility, timers) would only meet the same 401; "Sync now" resumes.
    if (state.snapshot().needsSignIn && !force && !running) return Promise.resolve({ sent: 0, deadLettered: 0, remaining: pending(), skipped: 'needsSignIn' });
    if (force && state.snapshot().needsSignIn) {
      state.set({ needsSignIn: false });
      changed();
    }
    if (running) {
      if (followUp !== 'force') followUp = force ? 'force' : 'drain';
      return running;
    }
    const current = drainLoop(force).catch((error: unknown): OutboxDrainReport => {
      reportInternalError(events, 'outbox', error);
      return { sent: 0, deadLettered: 0, remaining: pending() };
    }).finally(() => {
      if (running === current) running = undefined;
    });
    running = current;
    return current;
  }

  /**
   * Another tab wrote to the queue. While this tab drains, its next pass reloads (a follow-up pass); otherwise
   * reload now (coalesced) so the snapshot shows the student's whole queue, and look again after a while in
   * case the tab that wrote closes before it has drained (the drain lock decides who replays).
   */
  function onRemoteChange(): void {
    if (disposed || !options.enabled()) return;
    if (holding) {
      if (followUp === 'none') followUp = 'drain';
      return;
    }
    if (noticeRefresh) {
      noticeAgain = true;
      return;
    }
    const current = (async () => {
      await clockReady();
      do {
        noticeAgain = false;
        await refresh();
        changed();
      } while (noticeAgain && !disposed);
      if (!running) schedule(true);
    })()
      .catch((error: unknown) => reportInternalError(events, 'outbox', error))
      .finally(() => {
        if (noticeRefresh === current) noticeRefresh = undefined;
      });
    noticeRefresh = current;
  }
  const unsubscribeChanges = options.changes.subscribe(onRemoteChange);

  /** Arms one timer for the earliest due entry; none while offline (the online trigger drains). */
  function schedule(locked: boolean): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (disposed || options.isOffline() || state.snapshot().needsSignIn) return;
    const user = currentUser();
    const now = clock.now();
    let waitMs = policy.headsDueInMs(state.entries().filter((entry) => entry.user === user), now);
    if (waitMs === Infinity) return;
    if (locked) waitMs = Math.max(waitMs, options.lockedRetryMs ?? 5_000);
    else if (waitMs === 0) return; // due now but left alone: the pass was aborted or a store write failed
    timer = clock.setTimeout(() => {
      timer = undefined;
      void start(false);
    }, waitMs);
  }

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
      abort.abort(new ResilienceError('ABORTED', 'The runtime was disposed'));
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
