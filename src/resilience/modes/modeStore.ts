import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { ConnectivityState, ResilienceEvent } from '../core/events';
import { guard } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import type { FlagName } from '../flags/flagNames';
import type { BreakerState } from '../policies/breakerState';
import { deriveMode, type DerivedMode, type PredictionLevel, type StudentModeChoice } from './deriveMode';

export interface ModeSnapshot extends DerivedMode {
  readonly studentChoice: StudentModeChoice;
}

export interface ModeStore {
  /** Immutable; the same object until the mode, its reason or the choice changes (useSyncExternalStore-safe). */
  snapshot(): ModeSnapshot;
  subscribe(listener: (snapshot: ModeSnapshot) => void): () => void;
  /** The student's "Switch to text-only" (or back, with null); persisted across reloads. */
  setStudentChoice(choice: StudentModeChoice): void;
  readonly streamingAllowed: boolean;
  readonly voiceAllowed: boolean;
  dispose(): void;
}

export interface ModeStoreOptions {
  clock: Clock;
  events: EventBus;
  storage: SyncStorageLike;
  connectivity: { state(): ConnectivityState };
  breakers: { snapshot(): Readonly<Record<string, BreakerState>> };
  flags: { isEnabled(name: FlagName): boolean };
  /** Default 30 s. */
  recentFallbackMs?: number;
  storageKey?: string;
}

export const DEFAULT_MODE_CHOICE_KEY = 'resilience.mode.studentChoice';

const TRIGGERS: ReadonlySet<ResilienceEvent['type']> = new Set([
  'connectivity.changed',
  'breaker.opened',
  'breaker.halfOpened',
  'breaker.closed',
  'fallback.used',
  'prediction',
  'flag.changed',
]);

/** Op types whose fallbacks stand in for a missing device capability, not for a failing backend. */
const DEVICE_ONLY_FALLBACK_OPS: ReadonlySet<string> = new Set(['voice_session']);

/**
 * Keeps the runtime mode current: re-derives it (deriveMode) whenever an input event arrives, when a recent
 * fallback ages out, and when the student changes their choice; emits `mode.changed` on every change of mode.
 */
export function createModeStore(options: ModeStoreOptions): ModeStore {
  const { clock, events, storage, flags } = options;
  const key = options.storageKey ?? DEFAULT_MODE_CHOICE_KEY;
  const recentFallbackMs = options.recentFallbackMs ?? 30_000;
  const listeners = new Set<(snapshot: ModeSnapshot) => void>();
  let studentChoice: StudentModeChoice = storage.getItem(key) === 'text-only' ? 'text-only' : null;
  let lastFallbackAt: number | undefined;
  let predictionLevel: PredictionLevel | undefined;
  let fallbackTimer: TimerHandle | undefined;

  const derive = (): ModeSnapshot => ({
    ...deriveMode({
      connectivity: options.connectivity.state(),
      breakers: options.breakers.snapshot(),
      lastFallbackAt,
      now: clock.now(),
      recentFallbackMs,
      predictionLevel: flags.isEnabled('predictor') ? predictionLevel : undefined,
      studentChoice,
    }),
    studentChoice,
  });
  let current = derive();

  const recompute = () => {
    const next = guard(events, 'modes', derive, () => current);
    if (next.mode === current.mode && next.reason === current.reason && next.studentChoice === current.studentChoice) return;
    const previous = current;
    current = next;
    if (next.mode !== previous.mode) events.emit('mode.changed', { mode: next.mode, previous: previous.mode, reason: next.reason });
    for (const listener of [...listeners]) guard(events, 'modes', () => listener(next), () => undefined);
  };

  const unsubscribe = events.subscribe((event) => {
    if (!TRIGGERS.has(event.type)) return;
    if (event.type === 'fallback.used') {
      // A device-side fallback (speech unavailable → text) says nothing about the server: not degraded.
      if (DEVICE_ONLY_FALLBACK_OPS.has(event.op)) return;
      lastFallbackAt = event.at;
      if (fallbackTimer !== undefined) clock.clearTimeout(fallbackTimer);
      fallbackTimer = clock.setTimeout(() => {
        fallbackTimer = undefined;
        recompute();
      }, recentFallbackMs);
    } else if (event.type === 'prediction') {
      // A predicted risk never puts the page in "Limited mode": that banner says saved copies are being served,
      // which is not yet true. Only the predictor's actions (e.g. the text-only suggestion) reach the student.
      predictionLevel = event.level === 'low' ? 'low' : 'elevated';
    }
    recompute();
  });

  return {
    snapshot: () => current,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    setStudentChoice(choice) {
      studentChoice = choice === 'text-only' ? 'text-only' : null;
      if (studentChoice) storage.setItem(key, studentChoice);
      else storage.removeItem(key);
      recompute();
    },
    get streamingAllowed() {
      return current.streamingAllowed;
    },
    get voiceAllowed() {
      return current.voiceAllowed;
    },
    dispose() {
      unsubscribe();
      listeners.clear();
      if (fallbackTimer !== undefined) clock.clearTimeout(fallbackTimer);
      fallbackTimer = undefined;
    },
  };
}
