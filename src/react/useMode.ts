import { useSyncExternalStore } from 'react';
import type { ModeSnapshot } from '../resilience';
import { useRuntime } from './hooks';

/** The runtime mode (online | degraded | text-only | offline) with the student's choice; re-renders on change. */
export function useMode(): ModeSnapshot {
  const { modes } = useRuntime();
  return useSyncExternalStore(modes.subscribe, modes.snapshot, modes.snapshot);
}
