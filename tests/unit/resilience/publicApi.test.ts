import { listPublicApi, type PublicExport } from '../../../scripts/public-api';

/**
 * The public API of src/resilience, recorded: `kind name` of every export of src/resilience/index.ts, in the
 * order `listPublicApi()` sorts them. Adding, removing or retyping an export fails this test until the list
 * here is updated in the same commit, so a change to the API is always deliberate.
 */
const RECORDED_API: readonly string[] = [
  'type ApiClient', 'type ApiConfig', 'type ApiFailure', 'type ApiRequest', 'type ApiResult', 'type ApiSuccess',
  'type AskOptions', 'type AskRequest', 'value backgroundRetryPolicy', 'type Backoff', 'type BatchItemResult',
  'type BreakerRegistry', 'type BreakersConfig', 'type BreakerSettings', 'type BreakerSnapshot', 'type BreakerState',
  'type BreakerStateStore', 'type BroadcastChannelLike', 'type BrowserBreakerStoreOptions',
  'type BrowserSignalSeams', 'type CacheBounds', 'type CachedResponse', 'type CachePutOutcome', 'type CacheSuccess',
  'value CHAOS_SCENARIOS', 'type ChaosRule', 'type ChaosSettings', 'type Checkpoint', 'type CheckpointConfig',
  'type CheckpointInfo', 'type CheckpointKind', 'type CheckpointService', 'value CHUNK_RELOAD_KEY',
  'type ChunkErrorSource', 'value circuitBreaker', 'type CircuitBreaker', 'type CircuitBreakerPolicy',
  'type CircuitBreakerPolicyOptions', 'value classify', 'type ClassifyContext', 'type ClientFrame', 'type Clock',
  'type ConnectionInputs', 'type ConnectionStatus', 'type ConnectivityConfig', 'type ConnectivityEventSource',
  'type ConnectivityMonitor', 'type ConnectivityState', 'value consecutiveFailures', 'type CorruptionReason',
  'value createBrowserBreakerStore', 'value createEnvelopeDelivery', 'value createEscalationLog',
  'value createIndexedDbEnvelopeStore', 'value createLiveStreamPolicy', 'value createMemoryBreakerStore',
  'value createMemoryEnvelopeStore', 'value createNotifyBatcher', 'value createReloadGuard',
  'value createResilienceRuntime', 'value createStreamSocket', 'value decideWorkflowRecovery',
  'value DEFAULT_BREAKER_SETTINGS', 'value DEFAULT_CACHE_BOUNDS', 'value DEFAULT_LIVE_STREAM_SETTINGS',
  'value DEFAULT_OUTBOX_LIMITS', 'value DEFAULT_RECONNECT_BACKOFF', 'value deriveConnectionStatus',
  'type DerivedMode', 'value deriveMode', 'type EnvelopeDelivery', 'type EnvelopeStore', 'value ERROR_CODES',
  'type ErrorCode', 'value ESCALATION_LOG_SIZE', 'type EscalationItem', 'type EscalationLog', 'type Escalator',
  'type EventBus', 'type EventListener', 'type EventOfType', 'type Eviction', 'type Evictor', 'type EvictorRegistry',
  'value exponentialBackoff', 'value failuresInWindow', 'value failureTraits', 'type FailureTraits',
  'type FallbackAttempt', 'type FallbackContext', 'type FallbackOutcome', 'type FallbackRequest',
  'type FallbackStrategy', 'type FallbackSuccess', 'type FeatureFlags', 'type FetchLike', 'type FetchResponse',
  'value FLAG_NAMES', 'type FlagDefinition', 'type FlagMessage', 'type FlagName', 'type FlagsConfig',
  'type FlagsSnapshot', 'type FlagState', 'type FlushScheduler', 'value frameScheduler', 'value hasErrorCode',
  'type Healer', 'type HealingConfig', 'type HealingContext', 'type HealingStrategy', 'type HealOutcome',
  'type HttpMethod', 'type IdGenerator', 'type IntelligentFallbackSystem', 'value interactiveRetryPolicy',
  'value INTERVENTION_KINDS', 'type InterventionError', 'type InterventionItem', 'type InterventionKind',
  'type InterventionLinks', 'type InterventionQueue', 'type InterventionStatus', 'value isResilienceError',
  'value jsonFrameCodec', 'type LiveStreamPolicy', 'type LiveStreamSettings', 'type LockManagerLike',
  'value memoryStorage', 'value mergeRuntimeConfig', 'type MethodMetrics', 'value METRIC', 'type MetricsSnapshot',
  'value microtaskScheduler', 'type ModeInputs', 'type ModeSnapshot', 'type ModeStore', 'type Monitoring',
  'type MonitoringConfig', 'type MonitorMetrics', 'type MonitorWindow', 'type NetworkSuccess', 'type NotifyBatcher',
  'type OnlineEventSource', 'type Operation', 'type Outbox', 'type OutboxBatchCodec', 'type OutboxConfig',
  'type OutboxDrainReport', 'type OutboxEntry', 'type OutboxErrorInfo', 'type OutboxIntervention',
  'type OutboxInterventionReason', 'type OutboxLimits', 'type OutboxMethod', 'type OutboxRequest',
  'type OutboxSnapshot', 'type OutboxSubmission', 'value parseChaosParam', 'value parseRetryAfterMs', 'type Policy',
  'type PolicyContext', 'type PostEnvelope', 'type Prediction', 'type PredictionSnapshot', 'type Predictor',
  'type PredictorConfig', 'type PrefetchTarget', 'type PrimaryBudget', 'type PrimaryOperation', 'type QueuedSuccess',
  'type RandomSource', 'value reconnectBackoff', 'type ReconnectBackoff', 'type ReconnectBackoffOptions',
  'type RecoverableOperation', 'type RecoveredRunDeps', 'type RecoveredRunSettings', 'type RecoveryBudget',
  'type RecoveryConfig', 'type RecoveryContext', 'type RecoveryFinished', 'type RecoveryMethod',
  'type RecoveryMetrics', 'type RecoveryOrchestrator', 'type RecoveryRecord', 'type RecoveryResult',
  'value redactPreview', 'type ReloadGuard', 'type ReloadGuardOptions', 'value ResilienceError',
  'type ResilienceErrorOptions', 'type ResilienceEvent', 'type ResilienceEventMap', 'type ResilienceEventType',
  'type ResilienceMonitor', 'type ResilienceRuntime', 'type ResilienceRuntimeConfig', 'type ResponseCache',
  'type ResponseLike', 'type Result', 'type ResultSource', 'type ResumeResult', 'type RetentionPolicy',
  'value retry', 'type RetryOperation', 'type RetryOptions', 'type RetryPolicy', 'type RetryStopReason',
  'type RiskFactor', 'type RiskLevel', 'type RiskScorer', 'value runtimeChaos', 'type RuntimeChaos',
  'type RuntimeMode', 'type RuntimePredictor', 'type RuntimeSnapshot', 'value runWithRecovery',
  'value SAFE_DEFAULT_FLAGS', 'value scrubBreadcrumb', 'value scrubEvent', 'value scrubMetric', 'type ScrubRules',
  'type SelfHealingSystem', 'type Served', 'type ServerFrame', 'type SocketFrameCodec', 'type SocketStatus',
  'value STALE_CLOSE_CODE', 'type StorageConfig', 'type StrategyMetrics', 'type StrategyResult', 'type StreamReply',
  'type StreamSocket', 'type StreamSocketConfig', 'type StreamSocketOptions', 'type StreamSocketSnapshot',
  'type StreamSocketStats', 'type StudentModeChoice', 'type Subscribable', 'type SyncStorageLike',
  'value systemClock', 'value systemRandom', 'type TelemetryAttributes', 'type TelemetryBreadcrumb',
  'type TelemetryBridge', 'type TelemetryContext', 'value throttledScheduler', 'value timeout',
  'type TimeoutOptions', 'type TimerHandle', 'type TripRule', 'type TripRuleFactory', 'value validateFlags',
  'value validateInterventionItem', 'type Verdict', 'type VisibilitySource', 'type WarmUpTarget',
  'type WebSocketConstructor', 'type WebSocketLike', 'type Workflow', 'type WorkflowDecision',
  'type WorkflowDecisionHandle', 'type WorkflowDefinition', 'type WorkflowRecoveryDecision',
  'type WorkflowStepFailure', 'value wrap',
];

describe('public API of src/resilience', () => {
  let api: PublicExport[] = [];

  // Building a TypeScript program of the whole runtime takes a few seconds.
  beforeAll(() => {
    api = listPublicApi();
  }, 60_000);

  it('exports exactly the recorded names, each with its kind', () => {
    expect(api.map((entry) => `${entry.kind} ${entry.name}`)).toEqual(RECORDED_API);
  });

  it('documents every export with a doc comment on its declaration', () => {
    expect(api.filter((entry) => !entry.documented).map((entry) => entry.name)).toEqual([]);
  });
});
