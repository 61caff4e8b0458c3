import { failureTraits, type ErrorCode, type ResilienceEvent } from '../resilience';

/**
 * When the recovery dialog asks the student something: only when their decision changes the outcome — a
 * recovery the runtime gave up on that can be tried again (or, for the live tutor, switched to text-only).
 * Never while offline (the banner says it, queued answers sync by themselves: nothing to decide), never for an
 * operation whose page already shows its own error and "Try again" (`quietOps`), and never for a blip the
 * runtime healed by itself (healed recoveries emit nothing this model listens to).
 */
export type RecoveryPrompt = { readonly kind: 'escalated'; readonly key: string; readonly code: ErrorCode; readonly op: string };

export interface RecoveryPromptState {
  readonly prompt: RecoveryPrompt | null;
  /** Causes the student already answered: not asked again until things recover. */
  readonly answered: ReadonlySet<string>;
}

export type RecoveryPromptAction =
  | {
      readonly type: 'event';
      readonly event: ResilienceEvent;
      /** Connectivity says offline right now. */
      readonly offline?: boolean;
      /** Operations whose failure the page reports itself (its error and "Try again"): never prompted. */
      readonly quietOps?: ReadonlySet<string>;
    }
  | { readonly type: 'answered' };

export const NO_PROMPT: RecoveryPromptState = { prompt: null, answered: new Set() };

export function recoveryPromptReducer(state: RecoveryPromptState, action: RecoveryPromptAction): RecoveryPromptState {
  if (action.type === 'answered') {
    return state.prompt ? { prompt: null, answered: new Set(state.answered).add(state.prompt.key) } : state;
  }
  const { event } = action;
  switch (event.type) {
    case 'escalation.raised':
      if (action.offline === true || action.quietOps?.has(event.op) === true) return state;
      return ask(state, { kind: 'escalated', key: `escalated:${event.op}:${event.code}`, code: event.code, op: event.op });
    case 'heal.escalated':
      // Only the live tutor connection, where "Switch to text-only" is a real choice. Network and 5xx
      // escalations are not: the banner already says so and queued answers sync by themselves; memory or
      // storage clean-ups are nothing the student can influence. Offline, no choice helps: the banner says it.
      if (!failureTraits(event.code).socket || action.offline === true) return state;
      return ask(state, { kind: 'escalated', key: `healing:${event.code}`, code: event.code, op: 'tutor' });
    case 'connectivity.changed':
      return event.state === 'online' ? NO_PROMPT : state;
    case 'mode.changed':
      // Back to normal: nothing left to decide, and a later outage may ask again.
      return event.mode === 'online' || event.mode === 'text-only' ? NO_PROMPT : state;
    case 'socket.state':
      return event.state === 'open' ? forget(state, (key) => key.startsWith('healing:SOCKET')) : state;
    default:
      return state;
  }
}

/** Whether a prompt is about the live tutor connection (then "Switch to text-only" is a real choice). */
export function isTutorPrompt(prompt: RecoveryPrompt): boolean {
  return (prompt.op === 'tutor' || prompt.op === 'ai_tutoring' || failureTraits(prompt.code).socket);
}

function ask(state: RecoveryPromptState, prompt: RecoveryPrompt): RecoveryPromptState {
  if (state.answered.has(prompt.key) || state.prompt?.key === prompt.key) return state;
  // One question at a time: the one already open stays until answered.
  return state.prompt ? state : { ...state, prompt };
}

function forget(state: RecoveryPromptState, matches: (key: string) => boolean): RecoveryPromptState {
  const prompt = state.prompt && matches(state.prompt.key) ? null : state.prompt;
  const answered = new Set([...state.answered].filter((key) => !matches(key)));
  return { prompt, answered };
}
