import type { ErrorCode } from './errors';
import type { ChaosKey, ChaosKind } from '../chaos/chaosScenarios';

/** How one recovery ended, as the `recovery.finished` event reports it (the value itself stays with the caller). */
export interface RecoveryFinished {
  readonly status: 'healed' | 'circuit_open' | 'recovered' | 'failed';
  /** What worked: set for healed and recovered. */
  readonly method?: 'self_healing' | 'fallback' | 'retry';
  /** The healing or fallback strategy that worked. */
  readonly strategy?: string;
  /** A manual-intervention item was raised. */
  readonly escalated: boolean;
  /** The failure that started the recovery. */
  readonly code: ErrorCode;
  readonly durationMs: number;
  /** Concurrent calls that shared this recovery. */
  readonly callers: number;
}

/**
 * Every event the runtime emits, keyed by `type`. Payloads carry only serialisable data so the
 * React store, the monitor and the predictor can all consume the same stream. Entries marked "later issue" are
 * reserved now so consumers can be written against the final union.
 */
export interface ResilienceEventMap {
  'request.attempted': {
    backend: string;
    op: string;
    attempt: number;
    ok: boolean;
    status?: number;
    code?: ErrorCode;
    durationMs: number;
  };
  'request.succeeded': { backend: string; op: string; status: number; durationMs: number; attempts: number };
  'request.failed': {
    backend: string;
    op: string;
    status?: number;
    code: ErrorCode;
    durationMs: number;
    attempts: number;
    /** True when the caller should go to its fallback now (e.g. Retry-After beyond the latency budget). */
    fallbackAdvised: boolean;
  };
  'retry.scheduled': { backend: string; op: string; attempt: number; delayMs: number; reason: ErrorCode };
  'retry.stopped': { backend: string; op: string; attempts: number; reason: RetryStopReason };
  'breaker.opened': { backend: string; reason: string; reopenAt: number };
  'breaker.halfOpened': { backend: string; reason: string };
  'breaker.closed': { backend: string; reason: string };
  'connectivity.changed': { state: ConnectivityState; previous: ConnectivityState; reason: string };
  'mode.changed': { mode: RuntimeMode; previous: RuntimeMode; reason: string };
  'flag.changed': { flag: string; enabled: boolean; source: 'override' | 'file' | 'served' };
  /** Runtime chaos injected a fault (docs/operations.md, "Runtime chaos"); dev builds only. */
  'chaos.injected': { key: ChaosKey; kind: ChaosKind; target: string; seq: number; scenario: string; seed: number; status?: number; latencyMs?: number; jumpMs?: number };
  'storage.degraded': { store: string; reason: string };
  'runtime.internalError': { subsystem: string; message: string; error: unknown };
  // Later issues (healing, fallback, orchestrator, outbox, socket, predictor):
  'heal.attempted': { strategy: string; code: ErrorCode };
  'heal.succeeded': { strategy: string; code: ErrorCode };
  'heal.failed': { strategy: string; code: ErrorCode; message: string };
  'fallback.used': { op: string; strategy: string; stale: boolean };
  'fallback.exhausted': { op: string };
  'recovery.started': { op: string; code: ErrorCode };
  'recovery.finished': { op: string; result: RecoveryFinished };
  /** A recovery failed and needs a person: a manual-intervention item was raised (notification for the UI). */
  'escalation.raised': { id: string; op: string; code: ErrorCode; message: string };
  /** The student asked to try again (recovery dialog): pages showing an error or a saved copy reload. */
  'recovery.retryRequested': { by: 'student' };
  /** `pending` counts the current user's queued entries after the change. */
  'outbox.enqueued': { pending: number; id: string; scope: string; durable: boolean };
  /**
   * The server acknowledged the entry (2xx, including an idempotent replay) and it was deleted. `response` is
   * the server's parsed JSON answer (e.g. the verdict on a queued answer), so the UI can show the real outcome.
   */
  'outbox.sent': { pending: number; id: string; scope: string; attempts: number; response?: unknown };
  /** A retryable failure: the entry stays at its scope's head until `delayMs` has passed. */
  'outbox.retryScheduled': { id: string; scope: string; attempts: number; delayMs: number; code: ErrorCode };
  /** Moved to the manual intervention list (never dropped): a non-retryable answer or past retention. */
  'outbox.deadLettered': { pending: number; deadLettered: number; id: string; scope: string; reason: OutboxInterventionReason; code?: ErrorCode };
  /** `pending` and `remaining` are the same count (the current user's queued entries after the pass). */
  'outbox.drained': { sent: number; pending: number; remaining: number; deadLettered: number };
  'outbox.progress': { done: number; total: number };
  /** A stored record failed validation: moved to the quarantine store, never executed. */
  'outbox.quarantined': { key: string; reason: string };
  'cache.stored': { op: string; key: string };
  /** A cached copy answered because the network path failed (also reported as `fallback.used`). */
  'cache.served': { op: string; key: string; ageMs: number };
  'cache.purged': { entries: number };
  /** A write-behind of a successful response failed (the caller already had its result). */
  'cache.writeFailed': { op: string; key: string; code: ErrorCode; message: string };
  /** Least recently used copies removed to keep a student's cache within its bounds. */
  'cache.evicted': { entries: number; reason: 'bounds' };
  'socket.state': { state: 'connecting' | 'open' | 'stale' | 'closed' };
  /** The tutor socket was lost and tries again after `delayMs` (jittered). */
  'socket.reconnectScheduled': { attempt: number; delayMs: number; reason: string };
  /** Self-healing gave up on an error type: attempts capped in the window, or no strategy can act now. */
  'heal.escalated': { code: ErrorCode; reason: string; attempts: number };
  /** The memory-cleanup strategy ran the registered evictors. */
  'heal.memoryFreed': { entries: number; bytes: number; evictors: number };
  /** One evaluation of the error predictor (flag `predictor`): the score, its level and what explains it. */
  prediction: { score: number; level: PredictedRiskLevel; factors: readonly PredictedRiskFactor[]; scorer: string; reason: string };
  /** A preventive action was put in force (level reached) or undone (risk fell); `detail` says what it did. */
  'prediction.action': { action: string; change: 'applied' | 'undone'; level: PredictedRiskLevel; detail: string };
  /** The predictor suggests (active) or stops suggesting text-only mode; the UI offers it, never forces it. */
  'prediction.suggestion': { suggestion: 'text-only'; active: boolean; reason: string };
  /** A checkpoint's commit marker is durable (`bytes`: length of its canonical JSON). */
  'checkpoint.saved': { workflow: string; seq: number; step: number; kind: 'step' | 'progress' | 'emergency'; bytes: number };
  /** A workflow resumed from a checkpoint at boot (`quarantined`: newer ones refused on the way). */
  'checkpoint.restored': { workflow: string; seq: number; step: number; quarantined: number };
  /** A stored checkpoint failed validation: moved to the quarantine store, never used. */
  'checkpoint.quarantined': { workflow: string; seq: number; reason: string };
  /** Checkpoints existed and none was valid: the workflow starts afresh (escalation). */
  'checkpoint.escalated': { workflow: string; quarantined: number; reason: 'noValidCheckpoint' };
  /** A restore crashed the app twice: its checkpoints were quarantined and this boot starts clean. */
  'checkpoint.skipped': { workflow: string; seq: number; reason: 'crashLoop' };
  'checkpoint.rolledBack': { workflow: string; seq: number; removed: number };
  /** Retention removed old checkpoints (keep last N per workflow and all younger than D days). */
  'checkpoint.cleaned': { removed: number };
}

export type PredictedRiskLevel = 'low' | 'medium' | 'high' | 'critical';
export interface PredictedRiskFactor {
  readonly name: string;
  /** What the factor added to the score (0..1). */
  readonly weight: number;
  readonly detail: string;
}
/** Why an outbox entry needs a person: the server rejected it, or it outlived its retention. */
export type OutboxInterventionReason = 'rejected' | 'retention';
/** What the connectivity monitor believes: online, offline, or unknown (no evidence yet; not treated as offline). */
export type ConnectivityState = 'online' | 'offline' | 'unknown';
/** The mode the UI shows; precedence offline > degraded > text-only > online (see `deriveMode`). */
export type RuntimeMode = 'online' | 'degraded' | 'text-only' | 'offline';
/** Why a retry loop stopped before success (reported with the retry events). */
export type RetryStopReason =
  | 'notRetryable'
  | 'exhausted'
  | 'maxElapsed'
  | 'retryAfterBeyondBudget'
  | 'aborted'
  | 'offline';

/** The name of a resilience event, e.g. "retry.scheduled"; a key of `ResilienceEventMap`. */
export type ResilienceEventType = keyof ResilienceEventMap;

/** One event: its `type`, its `at` timestamp from the runtime clock, and its payload. */
export type ResilienceEvent = {
  [K in ResilienceEventType]: { readonly type: K; readonly at: number } & Readonly<ResilienceEventMap[K]>;
}[ResilienceEventType];

/** The event of one type `K`, narrowed from `ResilienceEvent`. */
export type EventOfType<K extends ResilienceEventType> = Extract<ResilienceEvent, { type: K }>;
