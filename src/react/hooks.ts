import { useContext } from 'react';
import { useStore } from 'zustand';
import type { BreakerSnapshot, FlagsSnapshot, OutboxSnapshot, ResilienceRuntime } from '../resilience';
import type { ConnectionStatus } from '../resilience';
import { ResilienceContext, type ResilienceContextValue } from './ResilienceProvider';
import type { ResilienceState, SyncProgress } from './resilienceStore';

function useResilienceContext(): ResilienceContextValue {
  const value = useContext(ResilienceContext);
  if (!value) throw new Error('Resilience hooks need a <ResilienceProvider> above them');
  return value;
}

/**
 * Selects from the resilience UI state; re-renders only when the selected value changes (Object.is).
 * Return stored values, not new objects or arrays built in the selector.
 */
export function useResilience<T>(selector: (state: ResilienceState) => T): T {
  return useStore(useResilienceContext().store, selector);
}

/**
 * `commitNow` of the nearest store (see ResilienceStore.commitNow); a no-op outside a <ResilienceProvider>.
 * For a component that shows an outcome of its own next to the runtime's state.
 */
export function useCommitNow(): () => void {
  return useContext(ResilienceContext)?.store.commitNow ?? noop;
}

const noop = (): void => undefined;

/** The runtime itself, for actions (api.request, flags.setOverride, …). */
export function useRuntime(): ResilienceRuntime {
  return useResilienceContext().runtime;
}

export function useFlags(): FlagsSnapshot {
  return useResilience(selectFlags);
}

export function useBreakers(): BreakerSnapshot {
  return useResilience(selectBreakers);
}

export function useConnectionStatus(): ConnectionStatus {
  return useResilience(selectStatus);
}

/** The outbox snapshot (current user's pending count, intervention list, durability). */
export function useOutbox(): OutboxSnapshot {
  return useResilience(selectOutbox);
}

/** Progress of the running sync, or null. */
export function useSyncProgress(): SyncProgress | null {
  return useResilience(selectSyncProgress);
}

const selectOutbox = (state: ResilienceState) => state.outbox;
const selectSyncProgress = (state: ResilienceState) => state.syncProgress;
const selectFlags = (state: ResilienceState) => state.flags;
const selectBreakers = (state: ResilienceState) => state.breakers;
const selectStatus = (state: ResilienceState) => state.status;
