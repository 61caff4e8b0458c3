/** React bindings of the resilience runtime: store, provider, hooks and components. Never imports the app. */
export { createResilienceStore } from './resilienceStore';
export type { ResilienceState, ResilienceStore, ResilienceStoreOptions, SyncProgress } from './resilienceStore';
export { ResilienceProvider } from './ResilienceProvider';
export type { ResilienceProviderProps } from './ResilienceProvider';
export { useResilience, useRuntime, useFlags, useBreakers, useConnectionStatus, useOutbox, useSyncProgress, useCommitNow } from './hooks';
export { PendingWork } from './PendingWork';
export { InterventionList, describeReason, NEEDS_ATTENTION_ID } from './InterventionList';
export { AttentionNotice } from './AttentionNotice';
export type { InterventionListProps } from './InterventionList';
export { StorageNotice, STORAGE_DEGRADED_TEXT } from './StorageNotice';
export { ConnectionBanner, describeStatus, describeMode, LIMITED_FALLBACK_TEXT, TEXT_ONLY_TEXT } from './ConnectionBanner';
export { RecoveryDialog, describePrompt } from './RecoveryDialog';
export type { RecoveryDialogProps, RecoveryAction } from './RecoveryDialog';
export { recoveryPromptReducer } from './recoveryPrompt';
export type { RecoveryPrompt, RecoveryPromptState } from './recoveryPrompt';
export { TextOnlySwitch } from './TextOnlySwitch';
export { TextOnlySuggestion } from './TextOnlySuggestion';
export { useMode } from './useMode';
export { useRecoveryPrompt } from './useRecoveryPrompt';
// The developer panel (and its chaos controls) is not exported here: import it from './DeveloperPanel' with a dynamic
// import, so it stays out of the app's first-load chunk.
export type { DeveloperPanelProps } from './DeveloperPanel';
export type { ChaosControlsProps } from './ChaosControls';
export type { ChaosFetch } from './chaosClient';
