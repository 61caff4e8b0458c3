import type { ErrorCode } from '../core/errors';
import { createListeners } from '../core/listeners';
import { compareEntries, type OutboxEntry, type OutboxIntervention } from './outboxEntry';

/** What the UI shows (snapshot + subscribe). Counts are for the current user only. */
export interface OutboxSnapshot {
  /** False when entries live in memory only (IndexedDB unavailable): "saving offline is off". */
  readonly durable: boolean;
  /** True once stored entries were loaded. */
  readonly ready: boolean;
  readonly draining: boolean;
  /**
   * Replay is paused because the server needs the student to sign in again (401 after a refresh, or a session
   * of another student): entries keep their attempts; `syncNow()` (after signing in) resumes.
   */
  readonly needsSignIn: boolean;
  /** The user's queued work, without the runtime's own background entries (reports to the server). */
  readonly pending: number;
  /** `pending` per scope (background scopes left out). */
  readonly byScope: Readonly<Record<string, number>>;
  /** The manual intervention list: rejected or past retention; `retry(id)` or `discard(id)`. Background scopes left out. */
  readonly interventions: readonly OutboxIntervention[];
  /** Stored records that failed validation (any user); never executed. */
  readonly quarantined: number;
  readonly lastError: { readonly code: ErrorCode; readonly message: string } | undefined;
}

/**
 * The in-memory mirror of the stored outbox for one tab: refreshed from storage before every drain pass and
 * on other tabs' change notices, and updated on this tab's own writes; the snapshot is rebuilt on change so its identity is stable in between.
 */
export function createOutboxState(currentUser: () => string | undefined, isBackgroundScope: (scope: string) => boolean = () => false) {
  // `bytes` is measured when a submit first needs the totals, not on every load of the whole queue.
  const queue = new Map<string, { entry: OutboxEntry; bytes?: number }>();
  const interventions = new Map<string, OutboxIntervention>();
  let quarantined = 0;
  let flags = { durable: false, ready: false, draining: false, needsSignIn: false };
  let lastError: OutboxSnapshot['lastError'];
  let snapshot: OutboxSnapshot | undefined;
  let reportListenerError: (error: unknown) => void = () => undefined;
  const listeners = createListeners<OutboxSnapshot>((error) => reportListenerError(error));

  // Per user, per scope counts kept incrementally: a drain of n entries stays O(n), not O(n²).
  const counts = new Map<string, Map<string, number>>();
  const count = (entry: OutboxEntry, delta: number) => {
    let scopes = counts.get(entry.user);
    if (!scopes) counts.set(entry.user, (scopes = new Map()));
    const next = (scopes.get(entry.scope) ?? 0) + delta;
    if (next > 0) scopes.set(entry.scope, next);
    else scopes.delete(entry.scope);
  };
  const put = (entry: OutboxEntry) => {
    snapshot = undefined;
    drop(entry.id);
    queue.set(entry.id, { entry });
    count(entry, 1);
  };
  const drop = (id: string) => {
    const item = queue.get(id);
    if (item) count(item.entry, -1);
    queue.delete(id);
  };

  // This tab's own changes made while a load of the stored queue is under way: the load may have read storage
  // before one of them was written, so they are applied again on top of what it read (each is idempotent).
  // Another tab's changes come with a change notice, which reads the queue again.
  const journal: { at: number; apply: () => void }[] = [];
  let journaled = 0;
  const openLoads = new Set<number>();
  const record = (apply: () => void) => {
    apply();
    if (openLoads.size > 0) journal.push({ at: journaled++, apply });
  };
  const closeLoad = (mark: number) => {
    openLoads.delete(mark);
    const oldest = Math.min(...openLoads);
    while (journal.length > 0 && (journal[0]?.at ?? 0) < oldest) journal.shift();
  };

  const build = (): OutboxSnapshot => {
    const user = currentUser();
    const byScope: Record<string, number> = {};
    let pending = 0;
    for (const [scope, n] of (user === undefined ? undefined : counts.get(user)) ?? []) {
      // The runtime's own reports are not the student's work: "N pending" must count only what they did.
      if (isBackgroundScope(scope)) continue;
      byScope[scope] = n;
      pending += n;
    }
    // Nor is a refused report theirs to decide on: the reporter drops it (it never shows under "Needs your attention").
    const mine = [...interventions.values()].filter((record) => record.entry.user === user && !isBackgroundScope(record.entry.scope));
    return { ...flags, pending, byScope, interventions: mine, quarantined, lastError };
  };

  const state = {
    snapshot: (): OutboxSnapshot => (snapshot ??= build()),
    subscribe: listeners.subscribe,
    changed(onListenerError: (error: unknown) => void): void {
      if (listeners.size === 0) return;
      reportListenerError = onListenerError;
      listeners.notify(state.snapshot());
    },
    /** A load of the stored queue starts: hand its mark to `replace` (or `abandonLoad` when it failed). */
    beginLoad(): number {
      const mark = journaled;
      openLoads.add(mark);
      return mark;
    },
    abandonLoad: (mark: number): void => closeLoad(mark),
    /** What a load begun at `mark` read, with this tab's changes since `mark` applied again on top. */
    replace(mark: number, entries: readonly OutboxEntry[], held: readonly OutboxIntervention[], quarantinedCount: number): void {
      snapshot = undefined;
      queue.clear();
      counts.clear();
      for (const entry of entries) put(entry);
      interventions.clear();
      for (const record of held) interventions.set(record.entry.id, record);
      quarantined = quarantinedCount;
      for (const change of journal) if (change.at >= mark) change.apply();
      closeLoad(mark);
    },
    upsert: (entry: OutboxEntry): void => record(() => put(entry)),
    remove: (id: string): void =>
      record(() => {
        snapshot = undefined;
        drop(id);
      }),
    intervene: (held: OutboxIntervention): void =>
      record(() => {
        snapshot = undefined;
        drop(held.entry.id);
        interventions.set(held.entry.id, held);
      }),
    intervention: (id: string) => interventions.get(id),
    dropIntervention: (id: string): void =>
      record(() => {
        snapshot = undefined;
        interventions.delete(id);
      }),
    entries: (): OutboxEntry[] => [...queue.values()].map((item) => item.entry).sort(compareEntries),
    pendingFor: (user: string | undefined): number => {
      let total = 0;
      for (const n of (user === undefined ? undefined : counts.get(user))?.values() ?? []) total += n;
      return total;
    },
    totals: () => {
      let bytes = 0;
      for (const item of queue.values()) bytes += (item.bytes ??= byteSize(item.entry));
      return { entries: queue.size, bytes };
    },
    set(patch: Partial<typeof flags>): void {
      snapshot = undefined;
      flags = { ...flags, ...patch };
    },
    setLastError(error: OutboxSnapshot['lastError']): void {
      snapshot = undefined;
      lastError = error;
    },
  };
  return state;
}

export type OutboxState = ReturnType<typeof createOutboxState>;

const encoder = new TextEncoder();
/** Size of a record as JSON, in bytes (what the caps are measured in). */
export function byteSize(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}
