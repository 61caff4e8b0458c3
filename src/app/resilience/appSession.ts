import {
  createResilienceRuntime,
  type RuntimeChaos,
  type BreakerStateStore,
  type Clock,
  type EscalationLog,
  type FetchLike,
  type ResilienceRuntime,
  type SyncStorageLike,
  type WebSocketConstructor,
} from '../../resilience';
import type { SessionApi } from '../identity/sessionApi';
import { createSignInStatus, type SignInStatus } from '../identity/signInStatus';
import { createRuntimeServices, parseLesson, studentHeaders } from '../services/runtimeServices';
import { createLessonFocus } from './lessonFocus';
import type { StudentSession } from '../services/types';
import { answersBatchCodec, isApiPath, replayHeaders } from './answersBatchCodec';
import { describeQueuedAction } from './describeQueuedAction';
import { AI_TUTORING } from './fallback/tutoringFallback';
import { VOICE_SESSION } from '../voice/voiceChain';
import { registerAppFallbacks } from './fallbackChains';
import { readDevBreakerOpenMs, readDevOutboxExclusionOff, readDevPingIntervalMs, readDevPredictorIntervalMs } from './devTools';
import { browserPage, pageHealingConfig, tutorSocketConfig, type PageHandles } from './tutorSocketSetup';

export interface AppSessionOptions {
  studentId: string;
  /** Content of feature-flags.json. */
  flags: unknown;
  /** Dev tools allowed: flag overrides and dev settings are honoured only then. */
  devTools: boolean;
  fetch?: FetchLike;
  /** localStorage-like storage; default the page's localStorage. */
  storage?: SyncStorageLike | null;
  breakerStore?: BreakerStateStore;
  clock?: Clock;
  /** The tutor socket's WebSocket class; default the page's. */
  WebSocketImpl?: WebSocketConstructor;
  /** Location, reload, sessionStorage and chunk-error events of the page; default the real window's. */
  page?: PageHandles;
  /** IndexedDB for the outbox and the response cache; null forces the memory fallback. Default the page's. */
  indexedDB?: IDBFactory | null;
  /** How long a student waits for a verdict before an answer shows as saved offline. Default 8 s. */
  answerWaitMs?: number;
  /** Poll GET /api/flags (ETag, offline cache) and apply served flags live; absent: the bundled file only. */
  servedFlags?: { intervalMs?: number };
  /** Runtime chaos (developer tools only; docs/operations.md, "Runtime chaos"). Ignored without devTools. */
  chaos?: RuntimeChaos;
  /** The server's sign-in endpoints: a 401 refreshes the session through them. Absent: no refresh. */
  sessionApi?: SessionApi;
}

/** A student's session over the runtime, with the escalations its recoveries raised. */
export interface AppSession extends StudentSession {
  readonly runtime: ResilienceRuntime;
  /**
   * What the RecoveryOrchestrator could not recover (the recovery dialog asks the student about it): the
   * runtime's intervention queue (`runtime.escalations`), seen as the session's escalation log.
   */
  readonly escalations: EscalationLog;
  readonly signInStatus: SignInStatus;
}

/**
 * Everything one signed-in student uses: one resilience runtime (userId = student id, X-Student-Id on every
 * request), the app's services over it, and the breaker recovery probe. Failed recoveries are escalated into
 * `escalations` (the orchestrator's `escalation.raised` opens the recovery dialog); an operation that works
 * again is taken off. `dispose()` on log-out stops them all.
 */
export function createAppSession(options: AppSessionOptions): AppSession {
  const storage = options.storage === undefined ? pageStorage() : options.storage;
  const openDurationMs = readDevBreakerOpenMs(storage ?? null, options.devTools);
  const page = options.page ?? browserPage();
  const pingIntervalMs = readDevPingIntervalMs(storage ?? null, options.devTools);
  const signInStatus = createSignInStatus();
  const { sessionApi } = options;
  // The runtime's 401 path: refresh once. A session that ended, or that now belongs to another student (signed
  // in in another tab), needs this student's passphrase: the page then asks for it.
  const refreshSession = sessionApi
    ? async (): Promise<boolean> => {
        const outcome = await sessionApi.refresh();
        if (outcome.kind === 'refreshed' && outcome.student.id === options.studentId) {
          signInStatus.markActive();
          return true;
        }
        if (outcome.kind !== 'unavailable') signInStatus.markEnded();
        return false;
      }
    : undefined;
  const lessonFocus = createLessonFocus(parseLesson);
  const predictorIntervalMs = readDevPredictorIntervalMs(storage ?? null, options.devTools);
  const runtime: ResilienceRuntime = createResilienceRuntime({
    flags: { source: options.flags, allowOverrides: options.devTools, ...(options.servedFlags ? { served: options.servedFlags } : {}) },
    api: { extraHeaders: studentHeaders(options.studentId), ...(options.fetch ? { fetch: options.fetch } : {}) },
    ...(options.chaos && options.devTools ? { chaos: options.chaos } : {}),
    userId: options.studentId,
    storage: { ...(storage === undefined ? {} : { local: storage }), ...(options.indexedDB === undefined ? {} : { indexedDB: options.indexedDB }) },
    breakers: { ...(options.breakerStore ? { store: options.breakerStore } : {}), ...(openDurationMs === undefined ? {} : { defaults: { openDurationMs } }) },
    ...(options.clock ? { clock: options.clock } : {}),
    outbox: {
      batch: answersBatchCodec,
      allowedPath: isApiPath,
      requestHeaders: replayHeaders,
      ...(readDevOutboxExclusionOff(storage ?? null, options.devTools) ? { drainExclusion: 'none' as const } : {}),
    },
    socket: tutorSocketConfig({
      studentId: options.studentId,
      page,
      ...(options.WebSocketImpl ? { WebSocketImpl: options.WebSocketImpl } : {}),
      ...(pingIntervalMs === undefined ? {} : { pingIntervalMs }),
    }),
    healing: { ...pageHealingConfig(page), ...(refreshSession ? { refreshSession } : {}) },
    // Items of the intervention queue go to the server, and admins' decisions (a retry) come back to this browser.
    escalation: { server: true },
    // The tutor's chain stands in for the live socket; spoken replies' chain for the device's speech.
    recovery: { socketFallbackOps: [AI_TUTORING], deviceOnlyFallbackOps: [VOICE_SESSION] },
    predictor: {
      prefetchTargets: lessonFocus.targets,
      // The simplified tutor is a plain HTTP ask: warming it opens the connection it will use and checks the
      // server answers, so a fallback ask after the live tutor fails does not pay the connection set-up.
      warmUp: { warm: () => void runtime.api.request({ op: 'tutor_warm', method: 'GET', path: '/api/health', retry: false, timeoutMs: 2000 }) },
      ...(predictorIntervalMs === undefined ? {} : { intervalMs: predictorIntervalMs }),
    },
  });
  // Failed recoveries go to the runtime's intervention queue, which also takes them off when the operation works again.
  const escalations = runtime.escalations;
  // Saved tutor replies and lesson snapshots go in the page's localStorage (per student, purged at log-out).
  const fallbacks = registerAppFallbacks(runtime, { storage: storage ?? null, userId: options.studentId });
  const services = createRuntimeServices({
    runtime,
    studentId: options.studentId,
    fallbacks,
    lessonFocus,
    ...(options.answerWaitMs === undefined ? {} : { answerWaitMs: options.answerWaitMs }),
  });
  return {
    studentId: options.studentId,
    services,
    runtime,
    escalations,
    describeQueuedAction: (entry) => describeQueuedAction(entry, (lessonId) => fallbacks.snapshots.find(lessonId)?.lesson),
    signInStatus,
    // The response cache, saved tutor replies, lesson snapshots and lesson checkpoints go (another student on this device must not
    // read them); queued answers stay and sync when this student signs in again (the runtime replays only its
    // own user's entries).
    async signOut() {
      fallbacks.purge();
      // Saved lesson copies, lesson checkpoints and intervention items (previews, errors) are this student's too.
      await runtime.purgeUser(options.studentId);
    },
    dispose() {
      fallbacks.dispose();
      services.tutor.close();
      runtime.dispose();
    },
  };
}

function pageStorage(): SyncStorageLike | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
