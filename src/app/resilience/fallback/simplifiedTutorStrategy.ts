import type { TutorAskResponse } from '../../../protocol/api';
import type { FallbackStrategy, ResilienceRuntime } from '../../../resilience';
import type { TutoringFallbackData, TutoringFallbackValue } from './tutoringFallback';

/** Long enough for the server's non-streaming reply, short enough that local hints still come quickly. */
export const SIMPLIFIED_TIMEOUT_MS = 5_000;

/**
 * Second of the `ai_tutoring` chain: the plain HTTP tutor (`POST /api/tutor/ask`, no streaming), through the
 * API client's breaker and timeout. The ask id is the idempotency key, so a retried ask is answered once.
 * Not tried while offline or while the API breaker is open or half-open (it would fail fast or race the
 * breaker's probe, and be ranked down for an outage that says nothing about it).
 */
export function simplifiedTutorStrategy(
  runtime: Pick<ResilienceRuntime, 'api' | 'connectivity' | 'breakers'>,
  backend = 'api',
): FallbackStrategy<TutoringFallbackValue, TutoringFallbackData> {
  return {
    name: 'simplifiedTutor',
    tier: 2, // a fresh answer from the server, without streaming
    canHandle: () => runtime.connectivity.state() !== 'offline' && (runtime.breakers.snapshot()[backend]?.state ?? 'closed') === 'closed',
    async execute({ data }, signal) {
      const result = await runtime.api.request<TutorAskResponse>({
        op: 'tutor_ask',
        method: 'POST',
        path: '/api/tutor/ask',
        body: { id: data.id, lessonId: data.lessonId, text: data.text },
        idempotencyKey: data.id,
        backend,
        retry: false,
        timeoutMs: SIMPLIFIED_TIMEOUT_MS,
        parse: parseAskResponse,
        ...(signal ? { signal } : {}),
      });
      if (!result.ok) return { ok: false, error: result.error };
      if (result.value === undefined) throw new TypeError('tutor_ask: the runtime returned no value');
      return { ok: true, value: { text: result.value.text, replyTo: result.value.replyTo, source: 'simplified' } };
    },
  };
}

function parseAskResponse(json: unknown): TutorAskResponse {
  const body = json as Partial<TutorAskResponse> | null;
  if (typeof body?.text !== 'string' || typeof body.replyTo !== 'string') throw new TypeError('tutor ask: expected {replyTo, text}');
  return { replyTo: body.replyTo, text: body.text };
}
