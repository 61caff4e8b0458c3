import {
  STUDENT_HEADER,
  type AnswerResponse,
  type Lesson,
  type LessonSummary,
  type LessonsResponse,
  type Progress,
} from '../../protocol/api';
import type { ApiRequest, ResilienceRuntime } from '../../resilience';
import { openBrowserSocket, tutorSocketUrl, type OpenSocket } from './browserSocket';
import { createTutorConnection } from './tutorConnection';
import type { TutorService, TutorServices } from './types';

export interface RuntimeServicesOptions {
  runtime: ResilienceRuntime;
  /** Prefix of the tutor socket URL; '' for the same origin (the runtime has its own baseUrl for HTTP). */
  baseUrl?: string;
  openSocket?: OpenSocket;
  /**
   * The tutor seam: the runtime's self-healing socket manager (DESIGN §8) plugs in here when it lands.
   * Until then the plain socket client below is used.
   */
  tutor?: TutorService;
  createIdempotencyKey?: () => string;
}

/**
 * The app's services over the resilience runtime: every HTTP call goes through `runtime.api.request`
 * (flags → breaker → retry → timeout). A failure rejects with the runtime's ResilienceError, which carries the
 * `code` and `status` the UI branches on (`describeError`). X-Student-Id comes from the runtime's extraHeaders.
 */
export function createRuntimeServices(options: RuntimeServicesOptions): TutorServices {
  const { runtime } = options;
  const createKey = options.createIdempotencyKey ?? (() => crypto.randomUUID());
  const session = crypto.randomUUID();

  const call = async <T>(request: ApiRequest<T>): Promise<T> => {
    const result = await runtime.api.request(request);
    if (!result.ok) throw result.error;
    // Only a queued answer has no value, and answers are never queued here (outbox not wired yet).
    if (result.value === undefined) throw new TypeError(`${request.op}: the runtime returned no value`);
    return result.value;
  };

  return {
    lessons: {
      list: () => call<LessonSummary[]>({ op: 'lesson_list', method: 'GET', path: '/api/lessons', parse: parseLessons }),
      get: (id) =>
        call<Lesson>({ op: 'lesson_data', method: 'GET', path: `/api/lessons/${encodeURIComponent(id)}`, parse: expectObject<Lesson>('lesson') }),
    },
    answers: {
      submit: async (request) => {
        // A fresh key per submission: the server applies each answer once, and the runtime may retry it safely.
        const response = await call<AnswerResponse>({
          op: 'submit_answer',
          method: 'POST',
          path: '/api/answers',
          body: request,
          idempotencyKey: createKey(),
          parse: expectObject<AnswerResponse>('answer response'),
        });
        return { status: 'checked', ...response };
      },
    },
    progress: {
      get: () => call<Progress>({ op: 'progress', method: 'GET', path: '/api/progress', parse: expectObject<Progress>('progress') }),
    },
    tutor:
      options.tutor ??
      createTutorConnection({
        url: tutorSocketUrl(options.baseUrl ?? '', session),
        session,
        openSocket: options.openSocket ?? openBrowserSocket,
      }),
  };
}

/** The X-Student-Id header for the runtime's extraHeaders. */
export function studentHeaders(studentId: string): () => Readonly<Record<string, string>> {
  const headers = Object.freeze({ [STUDENT_HEADER]: studentId });
  return () => headers;
}

function parseLessons(json: unknown): LessonSummary[] {
  const lessons = (json as Partial<LessonsResponse> | null)?.lessons;
  if (!Array.isArray(lessons)) throw new TypeError('lesson list: "lessons" is not an array');
  return lessons as LessonSummary[];
}

function expectObject<T>(what: string): (json: unknown) => T {
  return (json) => {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError(`${what}: not a JSON object`);
    return json as T;
  };
}
