import { ResilienceError, type Result } from '../../resilience';

/** The browser's speech edge; either part is missing in browsers (and test DOMs) without speech synthesis. */
export interface SpeechEdge {
  readonly synth: SpeechSynthesis | undefined;
  readonly Utterance: typeof SpeechSynthesisUtterance | undefined;
}

/** A reply that has not started speaking within this long counts as failed (a stuck or voiceless engine). */
export const SPEECH_START_TIMEOUT_MS = 3_000;

/** The page's speechSynthesis, read when called (so a test can install a fake first). */
export function browserSpeech(): SpeechEdge {
  const scope = globalThis as { speechSynthesis?: SpeechSynthesis; SpeechSynthesisUtterance?: typeof SpeechSynthesisUtterance };
  return { synth: scope.speechSynthesis, Utterance: scope.SpeechSynthesisUtterance };
}

export function speechAvailable(edge: SpeechEdge): boolean {
  return edge.synth !== undefined && edge.Utterance !== undefined;
}

/**
 * The primary path of `voice_session`: speaks `text` and resolves once it was spoken to the end. Fails (as a
 * value, never a throw) when speech is missing, the engine reports an error, or nothing starts within
 * `startTimeoutMs`; aborting `signal` stops the speech and resolves ABORTED.
 */
export function speakReply(
  text: string,
  signal: AbortSignal | undefined,
  options: { speech?: SpeechEdge; startTimeoutMs?: number } = {},
): Promise<Result<'spoken', ResilienceError>> {
  const { synth, Utterance } = options.speech ?? browserSpeech();
  if (!synth || !Utterance) return Promise.resolve({ ok: false, error: new ResilienceError('UNKNOWN', 'Speech synthesis is not available') });
  if (signal?.aborted) return Promise.resolve({ ok: false, error: new ResilienceError('ABORTED', 'Speech was cancelled') });

  return new Promise((resolve) => {
    let settled = false;
    let startTimer: ReturnType<typeof setTimeout> | undefined;
    const utterance = new Utterance(text);
    const settle = (result: Result<'spoken', ResilienceError>) => {
      if (settled) return;
      settled = true;
      if (startTimer !== undefined) clearTimeout(startTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onAbort = () => {
      settle({ ok: false, error: new ResilienceError('ABORTED', 'Speech was cancelled') });
      synth.cancel();
    };
    utterance.addEventListener('start', () => {
      if (startTimer !== undefined) clearTimeout(startTimer);
      startTimer = undefined;
    });
    utterance.addEventListener('end', () => settle({ ok: true, value: 'spoken' }));
    utterance.addEventListener('error', (event) => {
      const reason = (event as Partial<SpeechSynthesisErrorEvent>).error ?? 'unknown';
      settle({ ok: false, error: new ResilienceError(signal?.aborted ? 'ABORTED' : 'UNKNOWN', `Speech failed: ${reason}`) });
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    startTimer = setTimeout(() => {
      settle({ ok: false, error: new ResilienceError('TIMEOUT', `Speech did not start within ${options.startTimeoutMs ?? SPEECH_START_TIMEOUT_MS} ms`) });
      synth.cancel();
    }, options.startTimeoutMs ?? SPEECH_START_TIMEOUT_MS);
    try {
      synth.speak(utterance);
    } catch (error) {
      settle({ ok: false, error: new ResilienceError('UNKNOWN', 'Speech synthesis refused the reply', { cause: error }) });
    }
  });
}
