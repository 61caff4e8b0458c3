import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { STUDENT_HEADER } from '../src/protocol/api';
import type { ChaosConfig } from '../src/protocol/dev';
import { defaultChaosConfig } from './chaos/chaosConfig';
import { createBlackhole } from './chaos/httpChaos';
import { createAttemptLimiter, DEFAULT_SIGN_IN_LIMITS, type SignInLimits } from './auth/attemptLimiter';
import { createAuthenticator } from './auth/authenticator';
import { readSessionToken } from './auth/sessionCookie';
import { createAnswerStore } from './db/answerStore';
import { createSessionStore } from './db/sessionStore';
import { openDatabase, wipeDatabase } from './db/database';
import { createIdempotencyStore } from './db/idempotencyStore';
import { createProgressStore } from './db/progressStore';
import { createTutorReplyStore } from './db/tutorReplyStore';
import { createInterventionStore } from './db/interventionStore';
import { adminRoutes } from './routes/adminRoutes';
import { interventionRoutes } from './routes/interventionRoutes';
import { createDispatcher } from './http/dispatcher';
import { createIdempotentExecutor } from './idempotency';
import { createBatchExecutor } from './idempotentBatch';
import { answerBatchRoute } from './routes/answerBatchRoute';
import { answerRoutes } from './routes/answerRoutes';
import { devRoutes } from './routes/devRoutes';
import { createFlagsSource } from './flags/flagsSource';
import { flagsDevRoutes, flagsRoutes } from './routes/flagsRoutes';
import { lessonRoutes } from './routes/lessonRoutes';
import { progressRoutes } from './routes/progressRoutes';
import { sessionRoutes } from './routes/sessionRoutes';
import { tutorRoutes } from './routes/tutorRoutes';
import { createSentrySink, ENVELOPE_PATH } from './sentry/sentrySink';
import { createSocketHub } from './socket/socketHub';
import { createStaticFiles } from './static/staticFiles';
import { withAdminPage } from './static/adminPage';
import { createCounters } from './stats';
import { createTutorService } from './tutor/tutorService';
import { createNotifier } from './notify/notifier';
import { systemClock, type NotifyClock } from './notify/notifyClock';
import { validateNotifyConfig, type NotifyConfig } from './notify/notifyConfig';

/** Default session lifetime: a school day. */
export const DEFAULT_SESSION_TTL_SECONDS = 8 * 60 * 60;
/** Who a tutor socket acts for in test mode when it carries neither a session nor X-Student-Id. */
export const TEST_STUDENT = 'test';

export interface TutorServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Where the SQLite database lives; created if missing. */
  dataDir: string;
  /** The served feature flags file (GET /api/flags); default DATA_DIR/feature-flags.json, else the bundled one. */
  flagsFile?: string;
  /** The built app to serve (with SPA fallback); null or missing directory serves nothing. */
  staticDir?: string | null;
  /** Enables the development endpoints (chaos, stats, reset, Sentry sink) unless `production`. */
  chaos?: boolean;
  /** Production mode: development endpoints answer 404 even with `chaos`. */
  production?: boolean;
  /** Delay between streamed tutor tokens; default 40. */
  tokenDelayMs?: number;
  /** Interval of server pings on the tutor socket; default 15000. */
  pingIntervalMs?: number;
  /** Random source for chaos decisions; default Math.random. */
  random?: () => number;
  /** How long a session lasts after sign-in or its last refresh, in seconds; default 8 h (SESSION_TTL). */
  sessionTtlSeconds?: number;
  /** Sign-in attempt limits; defaults in DEFAULT_SIGN_IN_LIMITS. */
  signInLimits?: Partial<SignInLimits>;
  /**
   * Test switch: X-Student-Id selects the student without a session (and a tutor socket without either acts
   * for TEST_STUDENT). Set only by tests/helpers/server.ts; refused with `production`.
   */
  trustStudentHeader?: boolean;
  /** Wall clock of sessions and attempt limits; default Date.now (tests inject one). */
  now?: () => number;
  /** ADMIN_TOKEN: the admin API (/admin/api/…) exists only when set; requests need it as a Bearer token. */
  adminToken?: string;
  /** Webhook notifications (NOTIFY_WEBHOOK_URL and friends); unset → no notifier runs. */
  notify?: NotifyConfig;
  /** The notifier's clock (now and backoff sleeps); default the system clock (tests inject a fake one). */
  notifyClock?: NotifyClock;
  /** Unexpected errors (bugs), for logging; default console.error. */
  onError?: (error: unknown) => void;
}

export interface TutorServer {
  url: string;
  host: string;
  port: number;
  /** Whether /__chaos, /__stats, /__reset and the Sentry sink are on. */
  devEndpoints: boolean;
  httpServer: Server;
  /** Stops listening, cuts sockets and open requests, closes the database. Idempotent. */
  close(): Promise<void>;
}

/** Starts the local tutoring server; resolves once it is listening. */
export async function createTutorServer(options: TutorServerOptions): Promise<TutorServer> {
  if (options.trustStudentHeader && options.production) {
    throw new Error('trustStudentHeader is a test switch and is refused in production (NODE_ENV=production).');
  }
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => Date.now());
  const devEndpoints = Boolean(options.chaos) && !options.production;
  const onError = options.onError ?? ((error: unknown) => console.error('[tutor-server]', error));
  const db = openDatabase(options.dataDir);
  const answers = createAnswerStore(db);
  const progress = createProgressStore(db);
  const counters = createCounters();
  const keys = createIdempotencyStore(db);
  const sessions = createSessionStore(db);
  const interventions = createInterventionStore(db, now);
  const notifier = options.notify
    ? createNotifier({ db, config: validateNotifyConfig(options.notify), clock: options.notifyClock ?? systemClock, onError: (message) => onError(new Error(message)) })
    : null;
  const auth = createAuthenticator({ sessions, now, trustStudentHeader: Boolean(options.trustStudentHeader) });
  const limits = { ...DEFAULT_SIGN_IN_LIMITS, ...options.signInLimits };
  const nameFailures = createAttemptLimiter(limits.failuresPerName, limits.windowMs, now);
  const addressFailures = createAttemptLimiter(limits.failuresPerAddress, limits.windowMs, now);
  const lifetime = new AbortController();
  const blackhole = createBlackhole();
  const sentry = createSentrySink();
  let chaos: ChaosConfig = defaultChaosConfig();

  const setChaos = (next: ChaosConfig): void => {
    chaos = next;
    if (next.http.blackholeRate === 0) blackhole.releaseAll('released');
  };
  const tutor = createTutorService(createTutorReplyStore(db), () => {
    counters.tutor.repliesComputed += 1;
  });
  const hub = createSocketHub({
    tutor,
    counters,
    chaos: () => chaos.socket,
    tokenDelayMs: options.tokenDelayMs ?? 40,
    pingIntervalMs: options.pingIntervalMs ?? 15_000,
    authenticate(req) {
      const bare = readSessionToken(req) === undefined && req.headers[STUDENT_HEADER.toLowerCase()] === undefined;
      return options.trustStudentHeader && bare ? TEST_STUDENT : auth.requireStudent(req);
    },
  });
  const flagsSource = createFlagsSource(options.flagsFile ?? join(options.dataDir, 'feature-flags.json'));
  const apiRoutes = [
    ...flagsRoutes(flagsSource),
    ...lessonRoutes(),
    ...sessionRoutes({ sessions, now, ttlMs: (options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS) * 1000, nameFailures, addressFailures }),
    ...answerRoutes({ execute: createIdempotentExecutor(db, keys), answers, progress, counters, auth }),
    answerBatchRoute({ executeBatch: createBatchExecutor(db, keys), answers, progress, counters, onError, auth }),
    ...progressRoutes(progress, auth),
    ...tutorRoutes(tutor, counters, auth),
    ...interventionRoutes(interventions, auth),
  ];
  const dev = devRoutes({
    getChaos: () => chaos,
    setChaos,
    resetChaos: () => setChaos(defaultChaosConfig()),
    resetAll() {
      setChaos(defaultChaosConfig());
      wipeDatabase(db);
      nameFailures.clear();
      addressFailures.clear();
      Object.assign(counters, createCounters());
      hub.reset();
      sentry.clear();
    },
    counters: () => counters,
    answers,
    inFlightKeys: () => keys.countInFlight(),
    hub,
    sentry,
    expireSessions: () => sessions.expireAll(now()),
  });

  const dispatch = createDispatcher({
    apiRoutes,
    devRoutes: devEndpoints ? [...dev, ...flagsDevRoutes(flagsSource)] : null,
    sinkRoutes: devEndpoints ? sentry.routes : null,
    sinkPath: ENVELOPE_PATH,
    adminRoutes: options.adminToken ? adminRoutes(interventions, options.adminToken, now) : null,
    staticFiles: options.staticDir ? withAdminPage(createStaticFiles(options.staticDir), Boolean(options.adminToken)) : null,
    chaos: () => (devEndpoints ? chaos.http : null),
    blackhole,
    random: options.random ?? Math.random,
    counters,
    lifetime: lifetime.signal,
    onError,
  });
  const httpServer = createServer((req, res) => void dispatch(req, res));
  httpServer.on('upgrade', (req, socket, head) => hub.handleUpgrade(req, socket, head));

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 8787, host, () => resolve());
    });
  } catch (error) {
    db.close();
    throw error;
  }
  notifier?.start();
  const port = (httpServer.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      lifetime.abort();
      await notifier?.stop();
      blackhole.releaseAll('gone');
      await hub.close();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      db.close();
    })();
    return closing;
  };

  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, host, port, devEndpoints, httpServer, close };
}
