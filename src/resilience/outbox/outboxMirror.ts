import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { ResilienceStorage } from '../core/storage';
import { loadElapsedClock, type ElapsedClock } from './elapsedClock';
import type { OutboxIntervention } from './outboxEntry';
import type { OutboxState } from './outboxState';
import type { OutboxStore } from './outboxStore';
import type { ReplayPolicy } from './replayPolicy';

export interface OutboxMirrorOptions {
  storage: ResilienceStorage;
  store: OutboxStore;
  state: OutboxState;
  events: EventBus;
  clock: Clock;
  policy: ReplayPolicy;
  monotonicNow: () => number;
  currentUser: () => string | undefined;
  /** True once the runtime was disposed (a closed tab): storage is not touched any more. */
  disposed: () => boolean;
}

/**
 * Keeps the tab's state in step with the stored queue: the first load (with the elapsed clock for
 * retention), reloads (other tabs write too), entries past retention moved to the intervention list, and the
 * notifications of each change.
 */
export function createOutboxMirror(options: OutboxMirrorOptions) {
  const { storage, store, state, events, clock, policy, currentUser } = options;
  let elapsed: Promise<ElapsedClock> | undefined;
  const changed = () => state.changed((error) => reportInternalError(events, 'outbox', error));
  const pending = () => state.pendingFor(currentUser());
  /** Storage opened, the queue loaded once, the elapsed clock read: resolves the clock (once per runtime). */
  const clockReady = () => (elapsed ??= storage.ready().then(async (durable) => {
    state.set({ durable });
    await refresh();
    return loadElapsedClock(store, clock, options.monotonicNow);
  }));

  /** Reloads from storage (other tabs write too) and moves entries past retention to the intervention list. */
  async function refresh(retention?: ElapsedClock): Promise<void> {
    if (options.disposed()) return; // a disposed runtime (a closed tab) must not touch storage any more
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

  return { clockReady, refresh, intervene, changed, pending };
}

export type OutboxMirror = ReturnType<typeof createOutboxMirror>;
