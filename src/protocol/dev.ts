/**
 * Wire shapes of the local server's development endpoints (docs/operations.md):
 * /__chaos, /__stats, /__sentry. They exist only when the server runs with CHAOS=1 outside production.
 * Types only, no behaviour.
 */

export interface HttpChaos {
  /** Share of matching requests answered at once with `status` (0..1). */
  failRate: number;
  /** The next this many matching requests are answered with `status` whatever `failRate` (counts down to 0). */
  failNext: number;
  /** Status of injected failures (400..599); default 503. */
  status: number;
  /** Sent as Retry-After on injected failures; null sends none. */
  retryAfterSeconds: number | null;
  /** Added before matching requests are answered (for POST /api/answers: after the key is reserved). */
  latencyMs: number;
  /** Share of matching requests held open without an answer until blackholing stops or the client gives up. */
  blackholeRate: number;
  /** Share of matching requests processed fully (e.g. the answer applied) whose connection is then destroyed unanswered. */
  dropResponseRate: number;
  /** Faults apply to request paths starting with this; default "/api". Never to dev endpoints or the envelope sink. */
  pathPrefix: string;
}

export interface SocketChaos {
  /** Refuse new tutor socket upgrades with HTTP 503. */
  refuse: boolean;
  /** Send nothing (no frames, no pings) and ignore every incoming frame, without closing: a half-open socket. */
  silent: boolean;
}

export interface ChaosConfig {
  http: HttpChaos;
  socket: SocketChaos;
}

/** Body of POST /__chaos: any subset of the settings, merged into the current ones. */
export interface ChaosUpdate {
  http?: Partial<HttpChaos>;
  socket?: Partial<SocketChaos>;
}

export interface AppliedAnswerRecord {
  key: string;
  student: string;
  lessonId: string;
  exerciseId: string;
  answer: string;
  correct: boolean;
  at: string;
}

/** GET /__stats. Counters restart with the process; `applied`/`appliedKeys` come from the database. */
export interface StatsResponse {
  answers: {
    /** POST /api/answers requests that reached the handler (not failed or held by chaos). */
    received: number;
    /** Answers applied (once per idempotency key). */
    applied: number;
    /** Requests answered from a stored response (Idempotent-Replayed: true). */
    replayed: number;
    /** Requests refused with 4xx other than 409 (validation, key reused with another body). */
    rejected: number;
    /** Requests refused with 409 because the same key was still in flight. */
    conflicts: number;
    /** Idempotency keys reserved right now: requests being processed. */
    inFlight: number;
  };
  /** Every applied answer, in apply order. */
  applied: AppliedAnswerRecord[];
  appliedKeys: string[];
  socket: {
    open: number;
    total: number;
    /** Malformed, binary or oversized frames received (and dropped). */
    framesDropped: number;
    framesIgnoredWhileSilent: number;
    /** Asks that started a reply stream (from the tutor or from a stored reply). */
    asksAnswered: number;
    /** Repeated asks not answered again (still streaming, or re-sent from the session's kept frames). */
    asksDeduplicated: number;
    /** Ask frames received and processed (not while silent), whatever came of them. */
    asksReceived: number;
  };
  tutor: {
    /** Replies the rule-based tutor composed; an ask id is never composed twice. */
    repliesComputed: number;
    httpAsks: number;
  };
  http: {
    requests: number;
    chaosFailures: number;
    chaosBlackholed: number;
    chaosDroppedResponses: number;
  };
}

export interface SentryEnvelopeItem {
  header: Record<string, unknown>;
  /** Parsed JSON when the payload is JSON, else the raw text. */
  payload: unknown;
}

export interface SentryEnvelope {
  header: Record<string, unknown>;
  items: SentryEnvelopeItem[];
}

/** GET /__sentry: envelopes received by the local sink, oldest first (the last 500 are kept). */
export interface SentryEnvelopesResponse {
  envelopes: SentryEnvelope[];
}
