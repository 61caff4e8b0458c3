import {
  STUDENT_HEADER,
  type Lesson,
  type LessonSummary,
  type LessonsResponse,
  type Progress,
} from '../../protocol/api';
import type { ApiRequest, PrimaryBudget, ResilienceRuntime } from '../../resilience';
import type { AppFallbacks } from '../resilience/fallbackChains';
import { loadLessonWithFallback, rememberProgress } from '../resilience/lessonWithFallback';
import { withTutorFallback } from '../resilience/tutorWithFallback';
import { lessonRequest, type LessonFocus } from '../resilience/lessonFocus';
import { createAnswerSubmission } from './answerSubmission';
import { tutorSocketUrl } from './tutorSocketUrl';
import { createSocketTutorService } from './tutorSocketService';
import type { Loaded, TutorService, TutorServices } from './types';

export interface RuntimeServicesOptions {
  runtime: ResilienceRuntime;
  /** The signed-in student: queued answers belong to them and replay only in their session. */
  studentId: string;
  /**
   * Prefix of the tutor socket URL when the runtime has no socket of its own (`config.socket`); '' for the
   * same origin (the runtime has its own baseUrl for HTTP).
   */
  baseUrl?: string;
  /** The tutor seam; default the runtime's self-healing socket manager. */
  tutor?: TutorService;
  createIdempotencyKey?: () => string;
  /** How long a student waits for a verdict before an answer shows as saved offline. Default 8 s. */
  answerWaitMs?: number;
  /**
   * The app's fallback chains (docs/architecture.md, fallbackChains.ts): lessons fall back to the last local snapshot and
   * the tutor to saved answers, the simplified HTTP tutor and local hints. Without them: the plain paths.
   */
  fallbacks?: AppFallbacks;
  /** Told which lessons are listed and opened, for the predictor's prefetch of the current and next lesson. */
  lessonFocus?: LessonFocus;
}

/**
 * The app's services over the resilience runtime: every HTTP call goes through `runtime.api.request`
 * (flags → breaker → retry → timeout). A failure rejects with the runtime's ResilienceError, which carries the
 * `code` and `status` the UI branches on (`describeError`). X-Student-Id comes from the runtime's extraHeaders.
 * A lesson whose request fails is recovered by `runtime.orchestrator` (`orchestrator.run`: self-healing,
 * breaker, the snapshot, one final retry, escalation to the recovery dialog), and so is a tutor question no
 * path could answer; with the `orchestrator` flag off they take the plain path.
 */
export function createRuntimeServices(options: RuntimeServicesOptions): TutorServices {
  const { runtime } = options;
  const createKey = options.createIdempotencyKey ?? (() => crypto.randomUUID());
  const session = crypto.randomUUID();

  /** A GET whose last good answer is kept per student and shown, with its age, when the server cannot answer. */
  const load = async <T>(request: ApiRequest<T> & { cache: { key: string; mode: 'fallback' } }): Promise<Loaded<T>> => {
    const result = await runtime.api.request(request);
    if (!result.ok) throw result.error;
    if (result.value === undefined) throw new TypeError(`${request.op}: the runtime returned no value`);
    return result.source === 'cache' && result.stale ? { value: result.value, stale: result.stale } : { value: result.value };
  };
  const { fallbacks } = options;
  const tutor =
    options.tutor ??
    createSocketTutorService(runtime.socket ?? runtime.connectSocket({ url: tutorSocketUrl(options.baseUrl ?? '', session), session }));
  const answers = createAnswerSubmission({
    runtime,
    studentId: options.studentId,
    createIdempotencyKey: createKey,
    ...(options.answerWaitMs === undefined ? {} : { waitMs: options.answerWaitMs }),
  });

  return {
    lessons: {
      // Not orchestrated: the list has no chain beyond the response cache, and its error already offers "Try
      // again" (an escalation would only add a second dialog asking the same).
      list: async () => {
        const loaded = await load<LessonSummary[]>({ op: 'lesson_list', method: 'GET', path: '/api/lessons', parse: parseLessons, cache: { key: 'lessons', mode: 'fallback' } });
        options.lessonFocus?.listed(loaded.value.map((lesson) => lesson.id));
        return loaded;
      },
      get: (id) => {
        options.lessonFocus?.opened(id);
        // The request carries the deadline of the student's action (retries and timeouts fit inside it).
        const loadLesson = (budget: PrimaryBudget) => load<Lesson>({ ...lessonRequest(id, parseLesson), deadlineAt: budget.deadlineAt });
        if (fallbacks) return loadLessonWithFallback(runtime, fallbacks.snapshots, id, loadLesson);
        return runtime.orchestrator.run<Loaded<Lesson>>({ op: 'lesson_data', requestKey: id, primary: loadLesson }).then((served) => served.value);
      },
    },
    answers: {
      submit: (request) => answers.submit(request),
      watch: (entryId, onSettled) => answers.watch(entryId, onSettled),
    },
    progress: {
      get: async () => {
        const loaded = await load<Progress>({ op: 'progress', method: 'GET', path: '/api/progress', parse: expectObject<Progress>('progress'), cache: { key: 'progress', mode: 'fallback' } });
        return fallbacks ? rememberProgress(fallbacks.snapshots, loaded) : loaded;
      },
    },
    tutor: fallbacks ? withTutorFallback(tutor, { runtime, answers: fallbacks.answers }) : tutor,
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

/** The lesson parser (also used by the predictor's prefetch, so a prefetched copy is the same value). */
export const parseLesson = expectObject<Lesson>('lesson');

function expectObject<T>(what: string): (json: unknown) => T {
  return (json) => {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError(`${what}: not a JSON object`);
    return json as T;
  };
}
