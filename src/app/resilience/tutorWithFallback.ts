import { ResilienceError, runWithRecovery, type RecoveredRunDeps, type ResilienceRuntime } from '../../resilience';
import type { TutorReply, TutorService } from '../services/types';
import { AI_TUTORING, type TutoringFallbackData, type TutoringFallbackValue } from './fallback/tutoringFallback';
import type { TutorAnswerCache } from './tutorAnswerCache';

/** How long a live ask may stay silent (no token) before the chain takes over (the socket may be stuck). */
export const PRIMARY_ASK_TIMEOUT_MS = 4_000;
/** Failed connections in a row after which a live ask is not even tried. */
export const MAX_FAILED_CONNECTIONS = 2;

export interface TutorFallbackOptions {
  /** With `orchestrator`, a failed live ask is recovered by the RecoveryOrchestrator (the runtime's `runWithRecovery`). */
  runtime: Pick<ResilienceRuntime, 'fallback' | 'flags' | 'modes' | 'socket' | 'clock'> & Pick<RecoveredRunDeps, 'orchestrator'>;
  answers: TutorAnswerCache;
  createId?: () => string;
  primaryTimeoutMs?: number;
}

/**
 * The tutor with the `ai_tutoring` chain behind it: the live socket first, then a saved answer, the
 * simplified HTTP tutor, local hints. Every reply says where it came from (`source`); live and simplified
 * replies are saved for the cache. A socket that failed to connect twice in a row (or offline mode) is skipped
 * at once rather than waited for (the buffered ask would wait for a reconnect); after a single drop the live
 * ask waits, as the socket usually resumes within a second or two. A live ask with no token for
 * `primaryTimeoutMs` hands over to the chain and its late answer is ignored. When streaming is not allowed
 * (text-only, offline) tokens are held back and the reply arrives whole. A question neither the live tutor nor
 * the chain could answer goes to the RecoveryOrchestrator (self-healing, e.g. the socket reconnected → asked
 * live once more; a final retry; escalation to the recovery dialog). Flag `fallback` off: exactly the primary
 * tutor.
 */
export function withTutorFallback(primary: TutorService, options: TutorFallbackOptions): TutorService {
  const { runtime, answers } = options;
  const createId = options.createId ?? (() => crypto.randomUUID());
  const timeoutMs = options.primaryTimeoutMs ?? PRIMARY_ASK_TIMEOUT_MS;
  // Connections lost or refused since the socket was last open: one is a drop that usually heals within a
  // second or two (the buffered ask is then answered live); two or more is an outage not worth waiting for.
  let failedConnections = 0;
  const unsubscribe = runtime.socket?.subscribe((snapshot) => {
    if (snapshot.state === 'open') failedConnections = 0;
    else if (snapshot.state === 'closed') failedConnections += 1;
  });

  /**
   * The live ask, with the question's own id. Handing over to the chain (idle limit) cancels it: it leaves the
   * socket's ledger, so a reconnect does not send the server a question someone else has answered.
   */
  const askLive = (id: string, lessonId: string, text: string, onToken: (token: string) => void) =>
    new Promise<TutorReply>((resolve, reject) => {
      let settled = false;
      const cancel = new AbortController();
      const giveUp = () => {
        settled = true;
        const error = new ResilienceError('TIMEOUT', `The live tutor sent nothing for ${timeoutMs} ms`);
        cancel.abort(error);
        reject(error);
      };
      // An idle limit, not a total one: a long reply that keeps streaming (even across a quick reconnect) is
      // never cut off; a socket that goes quiet hands over.
      let timer = runtime.clock.setTimeout(giveUp, timeoutMs);
      const forward = (token: string) => {
        if (settled) return;
        runtime.clock.clearTimeout(timer);
        timer = runtime.clock.setTimeout(giveUp, timeoutMs);
        if (runtime.modes.streamingAllowed) onToken(token);
      };
      primary.ask(lessonId, text, forward, { id, signal: cancel.signal }).then(
        (reply) => {
          if (settled) return;
          settled = true;
          runtime.clock.clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          runtime.clock.clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  return {
    async ask(lessonId, text, onToken, options) {
      if (!runtime.flags.isEnabled('fallback')) return primary.ask(lessonId, text, onToken, options);
      // A question re-asked after a reload keeps its first id, so the server answers it once.
      const data: TutoringFallbackData = { id: options?.id ?? createId(), lessonId, text };
      const down = runtime.modes.snapshot().mode === 'offline' ? 'offline' : failedConnections >= MAX_FAILED_CONNECTIONS ? 'unreachable' : undefined;
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
      unsubscribe?.();
      primary.close();
    },
  };
}
