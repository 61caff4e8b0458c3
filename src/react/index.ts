/** React bindings of the resilience runtime: store, provider, hooks and components. Never imports the app. */
export { createResilienceStore } from './resilienceStore';
export type { ResilienceState, ResilienceStore, ResilienceStoreOptions, SyncProgress } from './resilienceStore';
export { deriveConnectionStatus } from './connectionStatus';
export type { ConnectionStatus, SocketStatus } from './connectionStatus';
export { ResilienceProvider } from './ResilienceProvider';
export type { ResilienceProviderProps } from './ResilienceProvider';
export { useResilience, useRuntime, useFlags, useBreakers, useConnectionStatus, useOutbox, useSyncProgress } from './hooks';
export { PendingWork } from './PendingWork';
export { InterventionList, describeReason } from './InterventionList';
export type { InterventionListProps } from './InterventionList';
export { StorageNotice, STORAGE_DEGRADED_TEXT } from './StorageNotice';
export { ConnectionBanner, describeStatus } from './ConnectionBanner';
export { DeveloperPanel } from './DeveloperPanel';
export type { DeveloperPanelProps } from './DeveloperPanel';
export type { ChaosControlsProps } from './ChaosControls';
export type { ChaosFetch } from './chaosClient';
