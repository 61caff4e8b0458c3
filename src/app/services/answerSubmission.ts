import type { AnswerRequest, AnswerResponse } from '../../protocol/api';
import { failureTraits, ResilienceError, type ApiFailure, type ResilienceEvent, type ResilienceRuntime, type TimerHandle } from '../../resilience';
import type { AnswerResult } from './types';

/** How long a student waits for the verdict before the answer is shown as saved offline (the interactive budget). */
export const ANSWER_WAIT_MS = 8_000;

export interface AnswerSubmissionOptions {
  runtime: ResilienceRuntime;
  studentId: string;
  createIdempotencyKey: () => string;
  waitMs?: number;
}

type Settlement = { kind: 'sent'; response: unknown } | { kind: 'rejected' } | { kind: 'retrying'; delayMs: number; code: string };

/**
 * Failures sent again while the student waits: the server answered and asked us to come back (a 5xx, 429,
 * 409 in flight). A network error is the connectivity monitor's to judge (offline → the outbox waits for the
 * connection), so it is not hammered while the student watches.
 */
const RETRIED_WHILE_WAITING: ReadonlySet<string> = new Set(['HTTP_5XX', 'RATE_LIMITED', 'CONFLICT']);

/** Sends of one answer while the student waits: the first and at most two retries (the interactive profile). */
const MAX_SENDS_WHILE_WAITING = 3;

/**
 * Answers through the durable outbox: the answer is written to IndexedDB first, and only then
 * sent (a drain of its lesson's queue). The wait is one deadline from the moment the student pressed Check:
 * a transient failure while online (a 503) is sent again inside it, after the outbox's short backoff, so the
 * verdict follows without a "saved offline" in between. Only when the deadline is spent, the device is
 * offline, or the server asks to wait longer than what is left (Retry-After) is the answer shown as "Saved
 * offline — will sync", which is true because the write completed. Without a durable outbox
 * (flag off, or IndexedDB unavailable) the answer is sent directly and a failure says it was not sent.
 */
export function createAnswerSubmission(options: AnswerSubmissionOptions) {
  const { runtime, studentId } = options;
  const waitMs = options.waitMs ?? ANSWER_WAIT_MS;

  const sendDirect = async (request: AnswerRequest, savingOfflineOff: boolean): Promise<AnswerResult> => {
    const result = await runtime.api.request<AnswerResponse>({
      op: 'submit_answer',
      method: 'POST',
      path: '/api/answers',
      body: request,
      // A fresh key per submission: the server applies each answer once, and the runtime may retry it safely.
      idempotencyKey: options.createIdempotencyKey(),
      parse: parseAnswerResponse,
    });
    if (!result.ok) throw savingOfflineOff ? notSavedOffline(result) : result.error;
    if (result.value === undefined) throw new ResilienceError('INVALID_RESPONSE', 'submit_answer: no answer from the server');
    return { status: 'checked', ...result.value };
  };

  /** Whether queued answers survive a reload here; loads the outbox first if it has not loaded yet. */
  const savesDurably = async (): Promise<boolean> => {
    if (!runtime.outbox.snapshot().ready) await runtime.outbox.start();
    return runtime.outbox.snapshot().durable;
  };

  const isOffline = () => runtime.flags.isEnabled('connectivity') && runtime.connectivity.isOffline();

  /**
   * Sends the queued entry until it settles (sent or refused) or there is no point waiting any more: the
   * deadline is spent, the device is offline, the failure is not one the server asked us to retry (see
   * RETRIED_WHILE_WAITING), the retries of the interactive profile are used up, or the next try (the outbox's
   * backoff or the server's Retry-After) would start past the deadline.
   */
  const sendWhileWaiting = async (entryId: string, seen: Map<string, Settlement>, deadlineAt: number): Promise<void> => {
    for (let sends = 0; sends < MAX_SENDS_WHILE_WAITING && !isOffline(); sends += 1) {
      const remainingMs = deadlineAt - runtime.clock.now();
      if (remainingMs <= 0) return;
      await withinMs(runtime, remainingMs, runtime.outbox.syncNow());
      const settlement = seen.get(entryId);
      if (settlement?.kind !== 'retrying') return; // settled, or still in flight when the deadline came
      if (!RETRIED_WHILE_WAITING.has(settlement.code) || settlement.delayMs >= deadlineAt - runtime.clock.now()) return;
      await withinMs(runtime, settlement.delayMs, new Promise<never>(() => undefined));
      // The outbox's own timer may have sent it meanwhile.
      if (seen.get(entryId)?.kind !== 'retrying') return;
    }
  };

  return {
    async submit(request: AnswerRequest): Promise<AnswerResult> {
      const deadlineAt = runtime.clock.now() + waitMs;
      if (!runtime.flags.isEnabled('outbox')) return sendDirect(request, false);
      if (!(await savesDurably())) return sendDirect(request, true);
      // Listen before submitting: the entry may be sent before submit's promise is seen to resolve.
      const seen = new Map<string, Settlement>();
      const stop = runtime.events.subscribe((event) => {
        const settlement = settlementOf(event);
        if (settlement) seen.set(settlement.id, settlement.value);
      });
      try {
        let entryId: string;
        try {
          const entry = await runtime.outbox.submit({
            scope: `lesson:${request.lessonId}`,
            user: studentId,
            request: { method: 'POST', path: '/api/answers', body: request },
          });
          entryId = entry.id;
        } catch (error) {
          if (isOutboxSwitchedOff(error)) return sendDirect(request, false);
          throw error; // STORAGE_QUOTA and friends: not saved, and the student is told so
        }
        await sendWhileWaiting(entryId, seen, deadlineAt);
        return resultOf(entryId, seen.get(entryId));
      } finally {
        stop();
      }
    },

    watch(entryId: string, onSettled: (result: AnswerResult) => void): () => void {
      return runtime.events.subscribe((event) => {
        const settlement = settlementOf(event);
        if (settlement?.id !== entryId || settlement.value.kind === 'retrying') return;
        onSettled(resultOf(entryId, settlement.value));
      });
    },
  };
}

function settlementOf(event: ResilienceEvent): { id: string; value: Settlement } | undefined {
  switch (event.type) {
    case 'outbox.sent':
      return { id: event.id, value: { kind: 'sent', response: event.response } };
    case 'outbox.deadLettered':
      return { id: event.id, value: { kind: 'rejected' } };
    case 'outbox.retryScheduled':
      return { id: event.id, value: { kind: 'retrying', delayMs: event.delayMs, code: event.code } };
    default:
      return undefined;
  }
}

function resultOf(entryId: string, settlement: Settlement | undefined): AnswerResult {
  if (settlement?.kind === 'rejected') return { status: 'needsAttention', entryId };
  if (settlement?.kind === 'sent') {
    const response = asAnswerResponse(settlement.response);
    // Applied, but the answer is not one we can read (a proxy, a different server): the verdict shows on reload.
    if (response) return { status: 'checked', ...response };
  }
  return { status: 'queued', entryId };
}

/** Resolves when `work` settles or after `ms`, whichever is first (the runtime clock's timer). */
async function withinMs(runtime: ResilienceRuntime, ms: number, work: Promise<unknown>): Promise<void> {
  let timer: TimerHandle;
  const elapsed = new Promise<void>((resolve) => {
    timer = runtime.clock.setTimeout(resolve, ms);
  });
  try {
    await Promise.race([work.then(() => undefined), elapsed]);
  } finally {
    runtime.clock.clearTimeout(timer);
  }
}

function isOutboxSwitchedOff(error: unknown): boolean {
  return error instanceof Object && (error as { code?: unknown }).code === 'STORAGE_UNAVAILABLE' && ((error as { detail?: { reason?: unknown } }).detail?.reason === 'outboxDisabled');
}

function notSavedOffline(failure: ApiFailure): ResilienceError {
  // Failures a durable outbox would have absorbed; without one they mean "not sent, no connection".
  if (!failureTraits(failure.error.code).unreachable) return failure.error;
  return new ResilienceError('STORAGE_UNAVAILABLE', 'Saving offline is off in this browser and the server could not be reached', {
    retryable: false,
    cause: failure.error,
    detail: { reason: 'savingOfflineOff', network: failure.error.code },
  });
}

export function parseAnswerResponse(json: unknown): AnswerResponse {
  const response = asAnswerResponse(json);
  if (!response) throw new TypeError('answer response: not {correct, feedback, attemptId}');
  return response;
}

function asAnswerResponse(json: unknown): AnswerResponse | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { correct, feedback, attemptId } = json as Record<string, unknown>;
  if (typeof correct !== 'boolean' || typeof feedback !== 'string' || typeof attemptId !== 'string') return undefined;
  return { correct, feedback, attemptId };
}
