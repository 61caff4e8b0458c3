/** Public API of the resilience runtime: explicit named exports only, grouped by subsystem. tests/unit/resilience/publicApi.test.ts records the list. */

// Composition root: one call builds every subsystem from one config
export { createResilienceRuntime } from './runtime';
export type { ResilienceRuntime } from './runtime';
export { mergeRuntimeConfig } from './runtimeConfig';
export type { ResilienceRuntimeConfig, ApiConfig, FlagsConfig, BreakersConfig, ConnectivityConfig, StorageConfig } from './runtimeConfig';

// Core contracts: clock, events, errors and classification shared by every subsystem
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
  RecoveryFinished,
} from './core/events';
export { ResilienceError, ERROR_CODES, isResilienceError, hasErrorCode } from './core/errors';
export type { ErrorCode, ResilienceErrorOptions } from './core/errors';
export { failureTraits } from './core/failureTraits';
export type { FailureTraits } from './core/failureTraits';
export { classify } from './core/classify';
export type { ClassifyContext, ResponseLike } from './core/classify';
export { parseRetryAfterMs } from './core/retryAfter';
export type { Result } from './core/result';
export type { IdGenerator } from './core/ids';
export type { SyncStorageLike } from './core/syncStorage';
export { memoryStorage } from './core/syncStorage';

// Feature flags: names, safe defaults and validation of remote flag documents
export { FLAG_NAMES, SAFE_DEFAULT_FLAGS } from './flags/flagNames';
export type { FlagName } from './flags/flagNames';
export { CHAOS_SCENARIOS, parseChaosParam, type ChaosRule, type ChaosSettings } from './chaos/chaosScenarios';
export { runtimeChaos } from './chaos/chaosWiring';
export type { RuntimeChaos } from './chaos/chaosSeams';
export type { FeatureFlags, FlagState, FlagsSnapshot } from './flags/featureFlags';
export type { FlagDefinition, FlagMessage } from './flags/validateFlags';
export { validateFlags } from './flags/validateFlags';

// Policies: standalone factories that compose (wrap(retry(), circuitBreaker(), timeout())), plus breaker stores and trip rules
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
export type { BreakerStateStore } from './policies/breakerStore';
export { createMemoryBreakerStore } from './policies/breakerStore';
export { createBrowserBreakerStore } from './policies/browserBreakerStore';
export type { BrowserBreakerStoreOptions, BroadcastChannelLike } from './policies/browserBreakerStore';
export type { LockManagerLike } from './policies/probeLeases';
export type { TripRule, TripRuleFactory } from './policies/tripRules';
export { consecutiveFailures, failuresInWindow } from './policies/tripRules';
export type { Backoff } from './policies/backoff';
export { exponentialBackoff } from './policies/backoff';
export type { RetryPolicy } from './policies/retryProfiles';
export { backgroundRetryPolicy, interactiveRetryPolicy } from './policies/retryProfiles';

// Transport: the HTTP client's request/result types and connectivity
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

// Stream socket: a reconnecting WebSocket with a pluggable frame codec
export { createStreamSocket, STALE_CLOSE_CODE } from './transport/streamSocket';
export { createLiveStreamPolicy, DEFAULT_LIVE_STREAM_SETTINGS } from './transport/liveStreamPolicy';
export type { LiveStreamPolicy, LiveStreamSettings } from './transport/liveStreamPolicy';
export type { StreamSocketConfig } from './transport/streamSocketWiring';
export type {
  StreamSocket,
  StreamSocketOptions,
  StreamSocketSnapshot,
  StreamSocketStats,
  AskRequest,
  AskOptions,
  WebSocketLike,
  WebSocketConstructor,
  OnlineEventSource,
} from './transport/socket/socketTypes';
export type { StreamReply } from './transport/socket/askLedger';
export { jsonFrameCodec } from './transport/socket/frames';
export type { SocketFrameCodec, ClientFrame, ServerFrame } from './transport/socket/frames';
export { reconnectBackoff, DEFAULT_RECONNECT_BACKOFF } from './transport/socket/reconnectBackoff';
export type { ReconnectBackoff, ReconnectBackoffOptions } from './transport/socket/reconnectBackoff';

// Outbox and response cache: durable queued writes and bounded cached reads
export type { Outbox, OutboxDrainReport } from './outbox/outbox';
export type { OutboxEntry, OutboxIntervention, OutboxRequest, OutboxMethod, OutboxErrorInfo } from './outbox/outboxEntry';
export type { OutboxSubmission, OutboxLimits } from './outbox/outboxSubmit';
export { DEFAULT_OUTBOX_LIMITS } from './outbox/outboxSubmit';
export type { OutboxSnapshot } from './outbox/outboxState';
export type { OutboxConfig } from './outbox/outboxWiring';
export type { OutboxBatchCodec, BatchItemResult } from './outbox/batchCodec';
export type { VisibilitySource } from './outbox/outboxTriggers';
export type { ResponseCache, CachedResponse, CacheBounds, CachePutOutcome } from './cache/responseCache';
export { DEFAULT_CACHE_BOUNDS } from './cache/responseCache';
export type { OutboxInterventionReason } from './core/events';

// Self-healing: strategies, evictors and the chunk-reload guard
export type { SelfHealingSystem } from './healing/selfHealingSystem';
export type { HealingStrategy, HealingContext, HealOutcome } from './healing/healingTypes';
export type { HealingConfig } from './healing/healingWiring';
export type { EvictorRegistry, Evictor, Eviction } from './healing/evictors';
export type { ChunkErrorSource } from './healing/chunkErrorHandler';
export { CHUNK_RELOAD_KEY, createReloadGuard } from './healing/reloadGuard';
export type { ReloadGuard, ReloadGuardOptions } from './healing/reloadGuard';

// Fallback, recovery orchestration and modes: what to do when the primary path fails
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
export { runWithRecovery } from './orchestrator/recoveredRun';
export type { RecoverableOperation, RecoveredRunDeps, RecoveredRunSettings, PrimaryBudget, Served } from './orchestrator/recoveredRun';
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
export type { RecoveryMetrics, MethodMetrics } from './orchestrator/recoveryMetrics';
export type { RecoveryConfig } from './orchestrator/recoveryWiring';
export type { ModeStore, ModeSnapshot } from './modes/modeStore';
export { deriveMode } from './modes/deriveMode';
export type { ModeInputs, DerivedMode, StudentModeChoice } from './modes/deriveMode';
export { deriveConnectionStatus } from './modes/connectionStatus';
export type { ConnectionStatus, ConnectionInputs, SocketStatus } from './modes/connectionStatus';

// Monitoring: metrics, telemetry bridge, scrubbing and durable envelope delivery
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

// Checkpoints: hash-chained workflow checkpoints and recovery decisions
export type { CheckpointService } from './checkpoint/checkpoints';
export type { Workflow, WorkflowDefinition, ResumeResult } from './checkpoint/workflow';
export type { Checkpoint, CheckpointInfo, Verdict } from './checkpoint/checkpointLog';
export type { CheckpointKind, CorruptionReason } from './checkpoint/checkpointRecord';
export type { CheckpointConfig } from './checkpoint/checkpointWiring';
export type { RetentionPolicy } from './checkpoint/retention';
export { decideWorkflowRecovery } from './orchestrator/workflowDecision';
export type { WorkflowRecoveryDecision, WorkflowStepFailure, WorkflowDecision } from './orchestrator/workflowDecision';
export type { WorkflowDecisionHandle } from './orchestrator/workflowRecovery';

// Error predictor: risk scoring and reversible preventive actions
export type { PredictorConfig, RuntimePredictor } from './predictor/predictorWiring';
export type { Prediction, RiskLevel, RiskFactor, MetricsSnapshot, RiskScorer } from './predictor/predictorTypes';
export type { PrefetchTarget } from './predictor/actions/prefetch';
export type { WarmUpTarget } from './predictor/actions/warmUp';
export type { BrowserSignalSeams } from './predictor/browserSeams';

// One feed for a UI: runtime.snapshot() / runtime.subscribe(), and the batching behind it
export type { RuntimeSnapshot } from './runtimeState';
export { createNotifyBatcher, frameScheduler, microtaskScheduler, throttledScheduler } from './core/notifyBatcher';
export type { NotifyBatcher, FlushScheduler } from './core/notifyBatcher';
export type { Subscribable } from './core/listeners';

// Manual intervention queue (flag `escalation`)
export { createEscalationLog, ESCALATION_LOG_SIZE } from './escalation/escalationLog';
export type { EscalationLog } from './escalation/escalationLog';
export type { InterventionQueue } from './escalation/interventionQueue';
export { redactPreview, validateItem as validateInterventionItem, INTERVENTION_KINDS } from './escalation/interventionItem';
export type { InterventionItem, InterventionKind, InterventionStatus, InterventionError, InterventionLinks } from './escalation/interventionItem';
