/** Public API of the resilience runtime. Explicit named exports only (STYLE "Names and comments"). */

// Composition root
export { createResilienceRuntime } from './runtime';
export type { ResilienceRuntime, ResilienceRuntimeConfig } from './runtime';

// Core contracts
export type { Clock, RandomSource, TimerHandle } from './core/clock';
export { systemClock, systemRandom } from './core/clock';
export type { EventBus, EventListener } from './core/eventBus';
export type {
  ResilienceEvent,
  ResilienceEventMap,
  ResilienceEventType,
  EventOfType,
  ConnectivityState,
  RuntimeMode,
  RetryStopReason,
} from './core/events';
export { ResilienceError, ERROR_CODES, isResilienceError, hasErrorCode } from './core/errors';
export type { ErrorCode, ResilienceErrorOptions } from './core/errors';
export { classify } from './core/classify';
export type { ClassifyContext, ResponseLike } from './core/classify';
export { parseRetryAfterMs } from './core/retryAfter';
export type { Result } from './core/result';
export { guard, guardAsync } from './core/guard';
export type { IdGenerator } from './core/ids';
export type { SyncStorageLike } from './core/syncStorage';
export { memoryStorage } from './core/syncStorage';

// Feature flags
export { FLAG_NAMES, SAFE_DEFAULT_FLAGS } from './flags/flagNames';
export type { FlagName } from './flags/flagNames';
export { CHAOS_SCENARIOS, parseChaosParam, type ChaosRule, type ChaosSettings } from './chaos/chaosScenarios';
export type { FeatureFlags, FlagState, FlagsSnapshot } from './flags/featureFlags';
export type { FlagDefinition, FlagMessage } from './flags/validateFlags';
export { validateFlags } from './flags/validateFlags';

// Policies: standalone factories that compose (wrap(retry(), circuitBreaker(), timeout()))
export { wrap } from './policies/policy';
export type { Policy, PolicyContext, Operation } from './policies/policy';
export { retry } from './policies/retryPolicy';
export type { RetryOptions } from './policies/retryPolicy';
export { circuitBreaker } from './policies/breakerPolicy';
export type { CircuitBreakerPolicy, CircuitBreakerPolicyOptions } from './policies/breakerPolicy';
export { timeout } from './policies/timeoutPolicy';
export type { TimeoutOptions } from './policies/timeoutPolicy';
export type { BreakerState } from './policies/breakerState';
export type { BreakerRegistry, BreakerSettings, BreakerSnapshot } from './policies/breakerRegistry';
export { DEFAULT_BREAKER_SETTINGS } from './policies/breakerRegistry';
export type { CircuitBreaker } from './policies/circuitBreaker';
export type { BreakerStateStore, MemoryBreakerHub } from './policies/breakerStore';
export { createMemoryBreakerStore, createMemoryBreakerHub } from './policies/breakerStore';
export { createBrowserBreakerStore } from './policies/browserBreakerStore';
export type { BrowserBreakerStoreOptions, BroadcastChannelLike } from './policies/browserBreakerStore';
export type { LockManagerLike } from './policies/probeLeases';
export type { TripRule, TripRuleFactory } from './policies/tripRules';
export { consecutiveFailures, failuresInWindow } from './policies/tripRules';
export type { Backoff } from './policies/backoff';
export { exponentialBackoff } from './policies/backoff';
export type { RetryPolicy } from './policies/retryProfiles';
export { backgroundRetryPolicy, interactiveRetryPolicy } from './policies/retryProfiles';

// Transport
export type { ApiClient } from './transport/apiClient';
export type {
  ApiRequest,
  ApiResult,
  ApiSuccess,
  ApiFailure,
  NetworkSuccess,
  CacheSuccess,
  FallbackSuccess,
  QueuedSuccess,
  ResultSource,
  HttpMethod,
  FetchLike,
  FetchResponse,
} from './transport/apiTypes';
export type { ConnectivityMonitor, ConnectivityEventSource } from './transport/connectivity';

// Tutor socket (DESIGN §8)
export { createTutorSocket, STALE_CLOSE_CODE } from './transport/tutorSocket';
export type {
  TutorSocket,
  TutorSocketOptions,
  TutorSocketSnapshot,
  TutorSocketStats,
  AskRequest,
  AskOptions,
  WebSocketLike,
  WebSocketConstructor,
  OnlineEventSource,
} from './transport/socket/socketTypes';
export type { TutorReplyValue } from './transport/socket/askLedger';
export { reconnectBackoff, DEFAULT_RECONNECT_BACKOFF } from './transport/socket/reconnectBackoff';
export type { ReconnectBackoff, ReconnectBackoffOptions } from './transport/socket/reconnectBackoff';

// Outbox and response cache (DESIGN §6)
export type { Outbox, OutboxDrainReport } from './outbox/outbox';
export type { OutboxEntry, OutboxIntervention, OutboxRequest, OutboxMethod, OutboxErrorInfo } from './outbox/outboxEntry';
export type { OutboxSubmission, OutboxLimits } from './outbox/outboxSubmit';
export { DEFAULT_OUTBOX_LIMITS } from './outbox/outboxSubmit';
export type { OutboxSnapshot } from './outbox/outboxState';
export type { OutboxConfig } from './outbox/outboxWiring';
export type { VisibilitySource } from './outbox/outboxTriggers';
export type { ResponseCache, CachedResponse, CacheBounds, CachePutOutcome } from './cache/responseCache';
export { DEFAULT_CACHE_BOUNDS } from './cache/responseCache';
export { reopenAndRetryOnce } from './core/storageDatabase';
export type { OutboxInterventionReason } from './core/events';

// Self-healing (DESIGN §7)
export type { SelfHealingSystem } from './healing/selfHealingSystem';
export type { HealingStrategy, HealingContext, HealOutcome } from './healing/healingTypes';
export type { HealingConfig } from './healing/healingWiring';
export type { EvictorRegistry, Evictor, Eviction } from './healing/evictors';
export { installChunkErrorHandler } from './healing/chunkErrorHandler';
export type { ChunkErrorSource } from './healing/chunkErrorHandler';
export { CHUNK_RELOAD_KEY, createReloadGuard } from './healing/reloadGuard';
export type { ReloadGuard, ReloadGuardOptions } from './healing/reloadGuard';
export type { TutorSocketConfig } from './transport/tutorSocketWiring';

// Fallback, recovery orchestration and modes (DESIGN §7)
export type { IntelligentFallbackSystem } from './fallback/fallbackSystem';
export type {
  FallbackStrategy,
  FallbackContext,
  FallbackRequest,
  FallbackOutcome,
  FallbackAttempt,
  StrategyResult,
  StrategyMetrics,
  PrimaryOperation,
} from './fallback/fallbackTypes';
export type { RecoveryOrchestrator } from './orchestrator/recoveryOrchestrator';
export type {
  RecoveryContext,
  RecoveryBudget,
  RetryOperation,
  RecoveryResult,
  RecoveryRecord,
  RecoveryMethod,
  EscalationItem,
  Escalator,
  Healer,
  Predictor,
  PredictionSnapshot,
} from './orchestrator/recoveryTypes';
export type { RecoveryMetrics, MethodMetrics } from './orchestrator/recoveryLedger';
export type { RecoveryConfig } from './orchestrator/recoveryWiring';
export type { ModeStore, ModeSnapshot } from './modes/modeStore';
export { deriveMode } from './modes/deriveMode';
export type { ModeInputs, DerivedMode, StudentModeChoice } from './modes/deriveMode';

// Monitoring (docs/operations.md, Monitoring)
export type { Monitoring, MonitoringConfig } from './monitoring/monitoringWiring';
export type { ResilienceMonitor } from './monitoring/resilienceMonitor';
export type { MonitorMetrics, MonitorWindow } from './monitoring/monitorMetrics';
export type { TelemetryBridge, TelemetryBreadcrumb, TelemetryContext, TelemetryAttributes } from './monitoring/telemetryBridge';
export { METRIC } from './monitoring/eventTelemetry';
export { scrubEvent, scrubBreadcrumb, scrubMetric } from './monitoring/scrubTelemetry';
export type { ScrubRules } from './monitoring/scrubData';
export { createEnvelopeDelivery } from './monitoring/envelopeDelivery';
export type { EnvelopeDelivery, PostEnvelope } from './monitoring/envelopeDelivery';
export { createIndexedDbEnvelopeStore, createMemoryEnvelopeStore } from './monitoring/envelopeStore';
export type { EnvelopeStore } from './monitoring/envelopeStore';

// Checkpoints (docs/architecture.md, Checkpoints)
export type { CheckpointService } from './checkpoint/checkpoints';
export type { Workflow, WorkflowDefinition, ResumeResult } from './checkpoint/workflow';
export type { Checkpoint, CheckpointInfo, Verdict } from './checkpoint/checkpointLog';
export type { CheckpointKind, CorruptionReason } from './checkpoint/checkpointRecord';
export type { CheckpointConfig } from './checkpoint/checkpointWiring';
export type { RetentionPolicy } from './checkpoint/retention';
export { decideWorkflowRecovery } from './orchestrator/workflowRecovery';
export type { WorkflowRecoveryDecision, WorkflowStepFailure, WorkflowDecision, WorkflowDecisionHandle } from './orchestrator/workflowRecovery';

// Error predictor (docs/architecture.md, Predictor)
export type { PredictorConfig, RuntimePredictor } from './predictor/predictorWiring';
export type { Prediction, RiskLevel, RiskFactor, MetricsSnapshot, RiskScorer } from './predictor/predictorTypes';
export type { PrefetchTarget } from './predictor/actions/prefetchLessons';
export type { TutorWarmer } from './predictor/actions/warmTutor';
export type { BrowserSignalSeams } from './predictor/browserSeams';
