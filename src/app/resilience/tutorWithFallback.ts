import { createLiveStreamPolicy, ResilienceError, runWithRecovery, type LiveStreamSettings, type RecoveredRunDeps, type ResilienceRuntime } from '../../resilience';
import type { TutorReply, TutorService } from '../services/types';
import { AI_TUTORING, type TutoringFallbackData, type TutoringFallbackValue } from './fallback/tutoringFallback';
import type { TutorAnswerCache } from './tutorAnswerCache';

export interface TutorFallbackOptions {
  /** With `orchestrator`, a failed live ask is recovered by the RecoveryOrchestrator (the runtime's `runWithRecovery`). */
  runtime: Pick<ResilienceRuntime, 'fallback' | 'flags' | 'modes' | 'socket' | 'clock'> & Pick<RecoveredRunDeps, 'orchestrator'>;
  answers: TutorAnswerCache;
  createId?: () => string;
  /** The live socket's idle limit and when it is skipped (the runtime's defaults: 4 s, 2 failed connections). */
  live?: LiveStreamSettings;
}

/**
 * The tutor with the `ai_tutoring` chain behind it: the live socket first, then a saved answer, the
 * simplified HTTP tutor, local hints. Every reply says where it came from (`source`); live and simplified
 * replies are saved for the cache. A socket that failed to connect twice in a row (or offline mode) is skipped
 * at once rather than waited for (the buffered ask would wait for a reconnect); after a single drop the live
 * ask waits, as the socket usually resumes within a second or two. A live ask with no token for the
 * idle limit hands over to the chain and its late answer is ignored. When streaming is not allowed
 * (text-only, offline) tokens are held back and the reply arrives whole. A question neither the live tutor nor
 * the chain could answer goes to the RecoveryOrchestrator (self-healing, e.g. the socket reconnected → asked
 * live once more; a final retry; escalation to the recovery dialog). Flag `fallback` off: exactly the primary
 * tutor.
 */
export function withTutorFallback(primary: TutorService, options: TutorFallbackOptions): TutorService {
  const { runtime, answers } = options;
  const createId = options.createId ?? (() => crypto.randomUUID());
  const live = createLiveStreamPolicy(runtime.socket, runtime.clock, options.live);

  /**
   * The live ask, with the question's own id. Handing over to the chain (idle limit) cancels it: it leaves the
   * socket's ledger, so a reconnect does not send the server a question someone else has answered.
   */
  const askLive = (id: string, lessonId: string, text: string, onToken: (token: string) => void) =>
    live.run<TutorReply>((progress, signal) =>
      primary.ask(lessonId, text, (token) => {
        if (progress() && runtime.modes.streamingAllowed) onToken(token);
      }, { id, signal }),
    );

  return {
    async ask(lessonId, text, onToken, options) {
      if (!runtime.flags.isEnabled('fallback')) return primary.ask(lessonId, text, onToken, options);
      // A question re-asked after a reload keeps its first id, so the server answers it once.
      const data: TutoringFallbackData = { id: options?.id ?? createId(), lessonId, text };
      const down = runtime.modes.snapshot().mode === 'offline' ? 'offline' : !live.worthTrying() ? 'unreachable' : undefined;
      const served = await runWithRecovery<TutorReply, TutoringFallbackValue, TutoringFallbackData>(runtime, {
        op: AI_TUTORING,
        // The question's identity: a recovery of another question never hands its reply to this one.
        requestKey: data.id,
        fallback: { opType: AI_TUTORING, data },
        primary: () => askLive(data.id, lessonId, text, onToken),
        // The chain answers without waiting for the socket to heal; only a question nothing could answer is
        // recovered (heal, asked once more, escalated to the recovery dialog).
        chainFirst: true,
        ...(down ? { skipPrimary: new ResilienceError('SOCKET_CLOSED', `The tutor socket is ${down}`) } : {}),
      });
      const reply: TutorReply =
        served.from === 'primary' ? served.value : { replyTo: served.value.replyTo ?? data.id, text: served.value.text, source: served.value.source };
      // Saved only as the answer to the question it answered (the reply names its ask id).
      if (reply.source === 'live' || reply.source === 'simplified') answers.rememberReply({ id: data.id, lessonId, question: text }, reply);
      return reply;
    },
    close() {
      live.dispose();
      primary.close();
    },
  };
}
