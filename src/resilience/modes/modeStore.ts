import type { Clock } from '../core/clock';
import { createListeners } from '../core/listeners';
import type { EventBus } from '../core/eventBus';
import type { ConnectivityState, ResilienceEvent } from '../core/events';
import { guard, reportInternalError } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import type { FlagName } from '../flags/flagNames';
import type { BreakerState } from '../policies/breakerState';
import { deriveMode, type DerivedMode, type PredictionLevel, type StudentModeChoice } from './deriveMode';

/** Immutable view of the `ModeStore`. */
export interface ModeSnapshot extends DerivedMode {
  readonly studentChoice: StudentModeChoice;
  /** Degraded (also) because a fallback served and no healthy evidence has come since: worth a check. */
  readonly awaitingEvidence: boolean;
}

/** The current runtime mode, derived from connectivity, breakers, fallbacks, prediction and the student's choice. */
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
  /**
   * Op types whose fallbacks stand in for the live socket: only the socket open again is evidence they are no
   * longer needed (or a fresh HTTP success while it is open). Default none.
   */
  socketFallbackOps?: readonly string[];
  /**
   * Op types whose fallbacks stand in for a missing device capability (e.g. speech), not for a failing backend:
   * they never make the mode degraded. Default none.
   */
  deviceOnlyFallbackOps?: readonly string[];
  storageKey?: string;
}

export const DEFAULT_MODE_CHOICE_KEY = 'resilience.mode.studentChoice';

const TRIGGERS: ReadonlySet<ResilienceEvent['type']> = new Set([
  'connectivity.changed',
  'breaker.opened',
  'breaker.halfOpened',
  'breaker.closed',
  'fallback.used',
  'request.succeeded',
  'socket.state',
  'prediction',
  'flag.changed',
]);

/**
 * Keeps the runtime mode current: re-derives it (deriveMode) whenever an input event arrives and when the
 * student changes their choice; emits `mode.changed` on every change of mode. A fallback keeps the mode
 * degraded until the evidence says the backend it stood in for is healthy again — a request that succeeded
 * afterwards (for the tutor socket's fallbacks: the socket open again, or a success while it is open) — not
 * for a fixed time.
 */
export function createModeStore(options: ModeStoreOptions): ModeStore {
  const { events, storage, flags } = options;
  const key = options.storageKey ?? DEFAULT_MODE_CHOICE_KEY;
  const socketFallbackOps = new Set(options.socketFallbackOps ?? []);
  const deviceOnlyFallbackOps = new Set(options.deviceOnlyFallbackOps ?? []);
  const listeners = createListeners<ModeSnapshot>((error) => reportInternalError(events, 'modes', error));
  let studentChoice: StudentModeChoice = storage.getItem(key) === 'text-only' ? 'text-only' : null;
  // The op a fallback last served for, per what it stood in for, until healthy evidence for that arrives.
  let awaitingHttp: string | undefined;
  let awaitingSocket: string | undefined;
  let socketOpen = false;
  let predictionLevel: PredictionLevel | undefined;

  const derive = (): ModeSnapshot => {
    const fallbackAwaitingEvidence = awaitingHttp ?? awaitingSocket;
    return {
      ...deriveMode({
        connectivity: options.connectivity.state(),
        breakers: options.breakers.snapshot(),
        fallbackAwaitingEvidence,
        predictionLevel: flags.isEnabled('predictor') ? predictionLevel : undefined,
        studentChoice,
      }),
      studentChoice,
      awaitingEvidence: fallbackAwaitingEvidence !== undefined,
    };
  };
  let current = derive();

  const recompute = () => {
    const next = guard(events, 'modes', derive, () => current);
    if (next.mode === current.mode && next.reason === current.reason && next.studentChoice === current.studentChoice && next.awaitingEvidence === current.awaitingEvidence) return;
    const previous = current;
    current = next;
    if (next.mode !== previous.mode) events.emit('mode.changed', { mode: next.mode, previous: previous.mode, reason: next.reason });
    listeners.notify(next);
  };

  const unsubscribe = events.subscribe((event) => {
    if (!TRIGGERS.has(event.type)) return;
    switch (event.type) {
      case 'fallback.used':
        // A device-side fallback (speech unavailable → text) says nothing about the server: not degraded.
        if (deviceOnlyFallbackOps.has(event.op)) return;
        if (socketFallbackOps.has(event.op)) awaitingSocket = event.op;
        else awaitingHttp = event.op;
        break;
      case 'request.succeeded':
        // The hot path: nothing to do unless a fallback is waiting for this evidence.
        if (awaitingHttp === undefined && (awaitingSocket === undefined || !socketOpen)) return;
        awaitingHttp = undefined;
        if (socketOpen) awaitingSocket = undefined;
        break;
      case 'socket.state':
        socketOpen = event.state === 'open';
        if (socketOpen) awaitingSocket = undefined;
        break;
      case 'prediction':
        // A predicted risk never puts the page in "Limited mode": that banner says saved copies are being served,
        // which is not yet true. Only the predictor's actions (e.g. the text-only suggestion) reach the student.
        predictionLevel = event.level === 'low' ? 'low' : 'elevated';
        break;
    }
    recompute();
  });

  return {
    snapshot: () => current,
    subscribe: listeners.subscribe,
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
    },
  };
}
