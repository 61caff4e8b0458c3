import type { TimerHandle } from '../core/clock';
import { ResilienceError } from '../core/errors';
import { reportInternalError } from '../core/guard';
import { createBatchReplay } from './batchReplay';
import { runDrainPass } from './drainPass';
import type { OutboxDrainReport, OutboxOptions } from './outbox';
import type { OutboxMirror } from './outboxMirror';
import type { OutboxState } from './outboxState';
import type { OutboxStore } from './outboxStore';
import { createDrainLock, type DrainLock } from './drainLock';
import { REPLAY_OP } from './replayPolicy';

export interface DrainSchedulerParts {
  options: OutboxOptions;
  state: OutboxState;
  store: OutboxStore;
  mirror: OutboxMirror;
  /** True once the runtime was disposed: no pass, no timer, no reload any more. */
  disposed: () => boolean;
}

/** The outbox's replays (what `createOutbox` drives). */
export interface DrainScheduler {
  /** A drain (`force`: "Sync now"), coalesced with the one running. Never rejects. */
  start(force: boolean): Promise<OutboxDrainReport>;
  /** Another tab changed the queue: reload it (and drain) unless this tab's own pass will see it. */
  onRemoteChange(): void;
  /** Stops the running pass and the timer; call after `disposed()` became true. */
  dispose(): void;
}

/**
 * When and how the queue is replayed: one drain at a time (later requests coalesce into a follow-up pass),
 * the cross-tab drain lock, the backoff timer for the earliest due entry, and the reload on another tab's
 * change notice. Each pass is a {@link runDrainPass}.
 */
export function createDrainScheduler(parts: DrainSchedulerParts): DrainScheduler {
  const { options, state, store, mirror } = parts;
  const { api, events, clock, policy, currentUser } = options;
  const lock: DrainLock = options.lock === 'none' ? { tryAcquire: async () => ({ release() {} }) } : createDrainLock(options.lock);
  const { clockReady, refresh, changed, pending } = mirror;
  const isDisposed = parts.disposed;
  // One per runtime: it remembers a backend without the batch endpoint (404/405) and then replays one at a time.
  const batch = createBatchReplay({ api, op: REPLAY_OP, codec: options.batchCodec, requestHeaders: options.requestHeaders });
  const abort = new AbortController();
  let running: Promise<OutboxDrainReport> | undefined;
  let followUp: 'none' | 'drain' | 'force' = 'none';
  let timer: TimerHandle | undefined;
  /** True while this tab holds the drain lock. */
  let holding = false;
  let noticeRefresh: Promise<void> | undefined;
  let noticeAgain = false;
  // The server's answer to each entry sent in the current pass, handed to `outbox.sent` (then forgotten).
  const responses = new Map<string, unknown>();
  // Read through a function: triggers change it while a pass awaits, which control-flow narrowing cannot see.
  const pendingFollowUp = () => followUp;

  async function pass(force: boolean, signal: AbortSignal): Promise<{ sent: number; deadLettered: number; needsSignIn: boolean }> {
    const retention = await clockReady();
    if (isDisposed()) return { sent: 0, deadLettered: 0, needsSignIn: false };
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
        const result = await api.request({ op: REPLAY_OP, method, path, body, idempotencyKey: entry.idempotencyKey, ...(options.requestHeaders ? { headers: options.requestHeaders(entry) } : {}), retry: false, ...(force ? { probe: true } : {}), signal });
        if (result.ok) responses.set(entry.id, result.value);
        return result.ok ? { ok: true } : { ok: false, error: result.error };
      },
      onSent: (sent) => {
        for (const { entry, response: batchResponse } of sent) {
          state.remove(entry.id);
          // A single request's answer was kept in `responses`; an answer from a batch comes with the call.
          const response = responses.has(entry.id) ? responses.get(entry.id) : batchResponse;
          responses.delete(entry.id);
          events.emit('outbox.sent', { pending: pending(), id: entry.id, scope: entry.scope, attempts: entry.attempts + 1, response });
        }
        changed(); // once per acknowledged batch: subscribers get the count after it, not one snapshot per entry
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
      // Nothing of this student's queued (read without the lock): no pass, no lock, no lease timer. When this
      // tab already knows of queued work it goes straight for the lock: the pass reloads the queue under it.
      await clockReady();
      const known = state.pendingFor(currentUser()) > 0;
      if (!known) await refresh();
      if (isDisposed() || state.pendingFor(currentUser()) === 0) continue;
      // Stops this pass on dispose, or if another tab took the (storage) lease over.
      const passAbort = new AbortController();
      const stop = () => passAbort.abort(new ResilienceError('ABORTED', 'The drain stopped'));
      const lease = await lock.tryAcquire(stop).catch((error: unknown) => {
        reportInternalError(events, 'outbox', error);
        return { release() {} }; // a broken lock API behaves like a lone tab
      });
      if (!lease) {
        // What this tab knew may be stale (another tab may have sent it): read storage before reporting.
        if (known) await refresh();
        if (isDisposed() || state.pendingFor(currentUser()) === 0) continue;
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
    } while (pendingFollowUp() !== 'none' && !isDisposed());
    const remaining = pending();
    if (!skipped || totals.sent > 0) events.emit('outbox.drained', { sent: totals.sent, pending: remaining, remaining, deadLettered: totals.deadLettered });
    schedule(skipped === 'locked');
    changed();
    return { ...totals, remaining, ...(skipped ? { skipped } : {}) };
  }

  function start(force: boolean): Promise<OutboxDrainReport> {
    if (isDisposed() || !options.enabled()) return Promise.resolve({ sent: 0, deadLettered: 0, remaining: pending(), skipped: 'off' });
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
    if (isDisposed() || !options.enabled()) return;
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
      } while (noticeAgain && !isDisposed());
      if (!running) schedule(true);
    })()
      .catch((error: unknown) => reportInternalError(events, 'outbox', error))
      .finally(() => {
        if (noticeRefresh === current) noticeRefresh = undefined;
      });
    noticeRefresh = current;
  }

  /** Arms one timer for the earliest due entry; none while offline (the online trigger drains). */
  function schedule(locked: boolean): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    if (isDisposed() || options.isOffline() || state.snapshot().needsSignIn) return;
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
    start,
    onRemoteChange,
    dispose(): void {
      abort.abort(new ResilienceError('ABORTED', 'The runtime was disposed'));
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
