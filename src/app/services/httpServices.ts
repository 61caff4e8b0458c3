import {
  IDEMPOTENCY_HEADER,
  STUDENT_HEADER,
  type AnswerResponse,
  type Lesson,
  type LessonsResponse,
  type Progress,
} from '../../protocol/api';
import { fetchJson, type FetchLike } from './fetchJson';
import { openBrowserSocket, tutorSocketUrl, type OpenSocket } from './browserSocket';
import { createTutorConnection } from './tutorConnection';
import type { TutorServices } from './types';

export interface HttpServicesOptions {
  studentId: string;
  /** Prefix of API paths; '' for the same origin the app is served from. */
  baseUrl?: string;
  fetch?: FetchLike;
  openSocket?: OpenSocket;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The default services: plain fetch for the HTTP API and one plain WebSocket for the tutor. */
export function createHttpServices(options: HttpServicesOptions): TutorServices {
  // Wrapped in a lambda so a fetch patched after start-up (tests, service worker shims) is still used.
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? '';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const student = { [STUDENT_HEADER]: options.studentId };
  const session = crypto.randomUUID();

  return {
    lessons: {
      list: async () => {
        const body = await fetchJson<LessonsResponse>(fetchFn, baseUrl, { method: 'GET', path: '/api/lessons', timeoutMs });
        return { value: body.lessons };
      },
      get: async (id) => ({
        value: await fetchJson<Lesson>(fetchFn, baseUrl, { method: 'GET', path: `/api/lessons/${encodeURIComponent(id)}`, timeoutMs }),
      }),
    },
    answers: {
      submit: async (request) => {
        const response = await fetchJson<AnswerResponse>(fetchFn, baseUrl, {
          method: 'POST',
          path: '/api/answers',
          // A fresh key per submission: the server then applies each answer once even if this
          // request is repeated by a proxy or, later, by the outbox replay.
          headers: { ...student, [IDEMPOTENCY_HEADER]: crypto.randomUUID() },
          body: request,
          timeoutMs,
        });
        return { status: 'checked', ...response };
      },
    },
    progress: {
      get: async () => ({ value: await fetchJson<Progress>(fetchFn, baseUrl, { method: 'GET', path: '/api/progress', headers: student, timeoutMs }) }),
    },
    tutor: createTutorConnection({
      url: tutorSocketUrl(baseUrl, session),
      session,
      openSocket: options.openSocket ?? openBrowserSocket,
    }),
  };
}
