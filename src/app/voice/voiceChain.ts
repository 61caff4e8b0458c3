import type { FallbackStrategy, IntelligentFallbackSystem } from '../../resilience';
import { speakReply, type SpeechEdge } from './speakReply';

/** Operation type of the spoken-replies chain. */
export const VOICE_SESSION = 'voice_session';

/** The note on a reply that was meant to be spoken but stays text only. */
export const VOICE_UNAVAILABLE_TEXT = 'Voice unavailable — showing text';

/** How a reply reached the student: read aloud, as text only (speech failed), or not at all (speech was stopped). */
export type VoiceDelivery = 'spoken' | 'text' | 'cancelled';

/**
 * The `voice_session` fallback after speech: the reply simply stays as text in the chat (it is already there).
 * The chain's last link, local hints, belongs to `ai_tutoring`, which produced the reply in the first place.
 */
export function textReplyStrategy(): FallbackStrategy<'text'> {
  return {
    name: 'text',
    canHandle: () => true,
    execute: async () => ({ ok: true, value: 'text' }),
  };
}

/**
 * Speaks one reply through the `voice_session` chain: speech first, the text strategy when it fails. Without
 * a runtime (plain services) speech runs on its own and a failure means text. Aborting `signal` (log-out,
 * voice switched off, text-only chosen) stops the speech without falling back or counting against it.
 */
export async function deliverReply(
  fallback: Pick<IntelligentFallbackSystem, 'executeWithFallback'> | null,
  text: string,
  signal: AbortSignal,
  options: { speech?: SpeechEdge; startTimeoutMs?: number } = {},
): Promise<VoiceDelivery> {
  const speak = (inner: AbortSignal | undefined) => speakReply(text, inner, options);
  if (!fallback) {
    const spoken = await speak(signal);
    return spoken.ok ? 'spoken' : signal.aborted ? 'cancelled' : 'text';
  }
  const outcome = await fallback.executeWithFallback<'spoken' | 'text'>(speak, VOICE_SESSION, { signal });
  if (signal.aborted) return 'cancelled';
  return outcome.ok ? outcome.value : 'text';
}
