/**
 * The one seam between the tutoring app and the outside world. Components receive a `TutorServices`
 * through React context and never call fetch or WebSocket themselves, so the default implementation
 * (plain HTTP + a simple socket) can be swapped for the resilience runtime without touching them.
 *
 * Failures reject with an error object carrying a stable `code` (codes, e.g. NETWORK,
 * HTTP_5XX, SOCKET_CLOSED) and an optional HTTP `status`; the UI words them with `describeError`.
 */
import type { AnswerRequest, Lesson, LessonSummary, Progress } from '../../protocol/api';
import type { OutboxEntry, ResilienceRuntime } from '../../resilience';
import type { SignInStatus } from '../identity/signInStatus';

/**
 * What became of a submitted answer: checked by the server now, kept durably to be sent later, or refused by
 * the server after it was saved (it waits in "Needs your attention" for the student to retry or discard).
 */
export type AnswerResult =
  | { status: 'checked'; correct: boolean; feedback: string; attemptId: string }
  | { status: 'queued'; entryId: string }
  | { status: 'needsAttention'; entryId: string };

/** How old a saved copy is when the server could not be reached and the app shows it instead. */
export interface Staleness {
  readonly ageMs: number;
  /** Wall clock when it was saved. */
  readonly storedAt: number;
}

/** Loaded data, and whether it is a saved copy rather than the server's current answer. */
export interface Loaded<T> {
  readonly value: T;
  /** Set when the server could not be reached and a saved copy is shown. */
  readonly stale?: Staleness;
}

/**
 * Where a tutor reply came from. Only `live` exists today; the others are the fallbacks of
 * docs/architecture.md (`ai_tutoring` chain) so the chat can already say honestly what the student is reading.
 */
export type ReplySource = 'live' | 'cache' | 'simplified' | 'local-hint';

export interface TutorReply {
  /** The ask id the reply answers. */
  replyTo: string;
  /** The whole reply; authoritative over the tokens streamed before it. */
  text: string;
  source: ReplySource;
}

export interface LessonService {
  list(): Promise<Loaded<LessonSummary[]>>;
  get(id: string): Promise<Loaded<Lesson>>;
}

export interface AnswerService {
  /** Resolves once the answer was checked or durably queued; rejects if it was neither. */
  submit(request: AnswerRequest): Promise<AnswerResult>;
  /**
   * Follows a queued answer: `onSettled` gets its real outcome (checked, or needs attention) when it syncs in
   * this tab. Returns the unsubscribe function. Absent when answers are never queued.
   */
  watch?(entryId: string, onSettled: (result: AnswerResult) => void): () => void;
}

export interface ProgressService {
  get(): Promise<Loaded<Progress>>;
}

export interface TutorAskOptions {
  /** The ask id (idempotency key); default a fresh one. The reply's `replyTo` names it. */
  readonly id?: string;
  /** Aborting cancels the ask: it rejects with ABORTED and is never re-sent (e.g. a fallback answered instead). */
  readonly signal?: AbortSignal;
}

export interface TutorService {
  /**
   * Asks the tutor a question about a lesson. `onToken` receives each streamed piece of the reply in
   * order (it may never be called when a reply arrives whole); the promise resolves with the full reply.
   * `options.id` re-asks a question by the id it was first asked with (after a reload): the socket
   * answers an id once, so the reply is not duplicated.
   */
  ask(lessonId: string, text: string, onToken: (token: string) => void, options?: TutorAskOptions): Promise<TutorReply>;
  /** Releases the connection and rejects unfinished asks; final (the session is ending). */
  close(): void;
}

/** All I/O of the app for one student; created per student and replaced on log-out/log-in. */
export interface TutorServices {
  lessons: LessonService;
  answers: AnswerService;
  progress: ProgressService;
  tutor: TutorService;
}

/** Builds the services for one student (the id goes out as the X-Student-Id header). */
export type CreateServices = (studentId: string) => TutorServices;

/** What one signed-in student uses; created at sign-in and disposed at log-out (or a switch of student). */
export interface StudentSession {
  readonly studentId: string;
  readonly services: TutorServices;
  /** The student's resilience runtime, when the services run over one (the banner and dev panel need it). */
  readonly runtime?: ResilienceRuntime;
  /** A queued action in the student's words ("Needs your attention"), with lesson titles this session knows. */
  describeQueuedAction?(entry: OutboxEntry): string;
  /** Whether the server still accepts this student's sign-in (ended: the "Sign in again" form shows). */
  readonly signInStatus?: SignInStatus;
  /**
   * Log-out: forgets what this student's session keeps on the device that another student must not see
   * (the response cache). Queued answers stay: they sync when this student signs in again.
   */
  signOut?(): Promise<void>;
  /** Closes sockets, timers and listeners. The session must not be used afterwards. */
  dispose(): void;
}

/**
 * Builds a student's session; a promise when its code loads lazily (the app's main.tsx): the app shows its header
 * and "Loading…" meanwhile, and a failed load with Try again.
 */
export type CreateSession = (studentId: string) => StudentSession | Promise<StudentSession>;
