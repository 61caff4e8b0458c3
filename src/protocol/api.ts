/**
 * Wire contract of the tutoring server's HTTP API (docs/operations.md).
 * Shared by the server, the runtime and the app; types only, no behaviour.
 */

/** Header naming the student a request acts for. Data (progress, answers) is kept per student. */
export const STUDENT_HEADER = 'X-Student-Id';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export interface LessonSummary {
  id: string;
  title: string;
  summary: string;
  exerciseCount: number;
}

export interface Exercise {
  id: string;
  prompt: string;
  /** Hints from gentle to explicit; never the answer itself. */
  hints: string[];
}

export interface Lesson extends LessonSummary {
  /** Short explanation of the topic, shown above the exercises. */
  introduction: string;
  exercises: Exercise[];
}

export interface LessonsResponse {
  lessons: LessonSummary[];
}

export interface AnswerRequest {
  lessonId: string;
  exerciseId: string;
  answer: string;
}

export interface AnswerResponse {
  correct: boolean;
  feedback: string;
  attemptId: string;
}

export interface LessonProgress {
  /** Exercise ids answered correctly at least once. */
  completed: string[];
  attempts: number;
}

export interface Progress {
  student: string;
  lessons: Record<string, LessonProgress>;
  updatedAt: string;
}

export interface ProgressUpdate {
  lessons: Record<string, LessonProgress>;
}

export interface TutorAskRequest {
  /** Idempotency key of the question: asking twice with the same id returns the same reply. */
  id: string;
  lessonId: string;
  text: string;
}

export interface TutorAskResponse {
  replyTo: string;
  text: string;
}

export interface HealthResponse {
  status: 'ok';
  time: string;
}

/** Every error response of the API has this body. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** Sign-in sessions (docs/operations.md, "Sign-in sessions"). */
export const SESSION_PATH = '/api/session';
export const SESSION_REFRESH_PATH = '/api/session/refresh';
/** The HttpOnly cookie that carries the session token. */
export const SESSION_COOKIE = 'tutor_session';

/** POST /api/session: sign in, claiming the name with this passphrase when it is new. */
export interface SignInRequest {
  name: string;
  passphrase: string;
}

/** What POST /api/session, POST /api/session/refresh and GET /api/session answer. */
export interface SessionResponse {
  student: { id: string; name: string };
  /** When the session ends unless refreshed (ISO 8601). */
  expiresAt: string;
  /** True when this sign-in claimed the name. */
  claimed?: boolean;
}

/** Batch replay of queued answers (the outbox): each item behaves exactly like one POST /api/answers. */
export const ANSWERS_BATCH_PATH = '/api/answers/batch';
export const MAX_BATCH_ITEMS = 50;
/** Body limit of the batch endpoint (other endpoints: 16 KiB). */
export const BATCH_BODY_LIMIT_BYTES = 256 * 1024;

export interface AnswerBatchItem {
  idempotencyKey: string;
  body: AnswerRequest;
  /**
   * Optional ordering chain: a later item of the same scope is not processed (424 `PRECEDING_ITEM_PENDING`)
   * once an earlier one of that scope ended "not done yet" (409 or 5xx), so a chain is never applied out of order.
   */
  scope?: string;
}

export interface AnswerBatchRequest {
  items: AnswerBatchItem[];
}

export interface AnswerBatchItemResult {
  idempotencyKey: string;
  /** What POST /api/answers would have answered for this item alone. */
  status: number;
  /** AnswerResponse on 2xx, else ApiErrorBody. */
  body: AnswerResponse | ApiErrorBody;
  /** True when the stored response of an earlier request with this key was returned (nothing applied). */
  replayed: boolean;
  /** Where the single endpoint would send Retry-After (409 in flight). */
  retryAfterSeconds?: number;
}

export interface AnswerBatchResponse {
  results: AnswerBatchItemResult[];
}
