import type { Clock } from '../core/clock';
import type { OutboxStore } from './outboxStore';

const META_KEY = 'elapsed';
const PERSIST_EVERY_MS = 60_000;

/**
 * A session-independent elapsed-time clock for retention ("measured on a monotonic basis"):
 *
 * - inside a page session it advances with the monotonic clock (`performance.now()`), so wall-clock jumps
 *   (manual changes, NTP steps, a wrong RTC) do not move it;
 * - across sessions it resumes from the persisted reading `{elapsedMs, wallAt}` plus the wall-clock gap
 *   since `wallAt`, clamped at 0 (there is no monotonic clock across page loads). A backward jump while
 *   the app was closed therefore counts nothing; a forward jump while closed counts as time passed.
 *
 * The consequence of the remaining blind spot is bounded: an entry can only reach the intervention list
 * early (still visible, retryable with the same key), never be deleted.
 */
export interface ElapsedClock {
  now(): number;
  /** Saves the reading (throttled unless `force`). Never rejects. */
  persist(force?: boolean): Promise<void>;
}

export async function loadElapsedClock(store: OutboxStore, clock: Clock, monotonicNow: () => number): Promise<ElapsedClock> {
  const saved = await store.readMeta(META_KEY);
  const wallNow = clock.now();
  let baseMs = 0;
  if (isReading(saved)) baseMs = saved.elapsedMs + Math.max(0, wallNow - saved.wallAt);
  const monoStart = monotonicNow();
  const now = () => baseMs + Math.max(0, monotonicNow() - monoStart);
  let lastPersistedMono = -Infinity;

  const elapsed: ElapsedClock = {
    now,
    async persist(force = false) {
      const mono = monotonicNow();
      if (!force && mono - lastPersistedMono < PERSIST_EVERY_MS) return;
      lastPersistedMono = mono;
      await store.writeMeta(META_KEY, { elapsedMs: now(), wallAt: clock.now() });
    },
  };
  await elapsed.persist(true);
  return elapsed;
}

function isReading(value: unknown): value is { elapsedMs: number; wallAt: number } {
  if (typeof value !== 'object' || value === null) return false;
  const { elapsedMs, wallAt } = value as { elapsedMs?: unknown; wallAt?: unknown };
  return typeof elapsedMs === 'number' && Number.isFinite(elapsedMs) && elapsedMs >= 0 && typeof wallAt === 'number' && Number.isFinite(wallAt);
}
