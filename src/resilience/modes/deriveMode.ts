import type { ConnectivityState, RuntimeMode } from '../core/events';
import type { BreakerState } from '../policies/breakerState';

/** The mode the student picked by hand: text-only, or none (null). */
export type StudentModeChoice = 'text-only' | null;
export type PredictionLevel = 'low' | 'elevated' | 'high';

/** What `deriveMode` derives the mode from. */
export interface ModeInputs {
  readonly connectivity: ConnectivityState;
  readonly breakers: Readonly<Record<string, BreakerState>>;
  /**
   * The operation a fallback last served for, while no healthy evidence has come since (a fresh success from
   * the backend it stood in for, or the tutor socket open again); undefined when there is none.
   */
  readonly fallbackAwaitingEvidence: string | undefined;
  /** The predictor's latest level; undefined when the predictor is off. */
  readonly predictionLevel: PredictionLevel | undefined;
  readonly studentChoice: StudentModeChoice;
}

/** The mode `deriveMode` chose, with its reason and what it allows. */
export interface DerivedMode {
  readonly mode: RuntimeMode;
  /** Why, in words a developer panel can show. */
  readonly reason: string;
  /** Live streamed tutor replies over the socket: not offline and not text-only. */
  readonly streamingAllowed: boolean;
  /** Spoken replies and voice input: not when the student chose text-only. */
  readonly voiceAllowed: boolean;
  /** True whenever a degraded input holds, even when another mode wins (offline). */
  readonly degraded: boolean;
}

/**
 * The one place the runtime mode is decided. Precedence: offline (connectivity says so; "unknown"
 * is not offline) > degraded (a breaker open or half-open, a fallback served with no healthy evidence since,
 * or the predictor at "high") > text-only (the student's choice) > online. Degraded wins over text-only so the banner
 * still says the server is in trouble; text-only keeps voice and streaming off in every mode.
 */
export function deriveMode(inputs: ModeInputs): DerivedMode {
  const textOnly = inputs.studentChoice === 'text-only';
  const degradedReason = whyDegraded(inputs);
  const degraded = degradedReason !== undefined;
  const voiceAllowed = !textOnly;
  if (inputs.connectivity === 'offline') return { mode: 'offline', reason: 'connectivity offline', streamingAllowed: false, voiceAllowed, degraded };
  const streamingAllowed = !textOnly;
  if (degradedReason !== undefined) return { mode: 'degraded', reason: degradedReason, streamingAllowed, voiceAllowed, degraded };
  if (textOnly) return { mode: 'text-only', reason: 'student chose text-only', streamingAllowed, voiceAllowed, degraded };
  return { mode: 'online', reason: 'all clear', streamingAllowed, voiceAllowed, degraded };
}

function whyDegraded(inputs: ModeInputs): string | undefined {
  for (const backend in inputs.breakers) {
    const state = inputs.breakers[backend];
    if (state && state.state !== 'closed') return `breaker ${backend} ${state.state === 'open' ? 'open' : 'half-open'}`;
  }
  if (inputs.fallbackAwaitingEvidence !== undefined) return `fallback served (${inputs.fallbackAwaitingEvidence}); no healthy evidence since`;
  if (inputs.predictionLevel === 'high') return 'predicted failure risk high';
  return undefined;
}
