import { useEffect } from 'react';
import { useOptionalRuntime } from '../../react/useOptionalRuntime';
import type { ResilienceEvent } from '../../resilience';
import type { Loaded } from '../services/types';
import type { LoadState } from './useLoad';

/** A load worth redoing once the server is back: it failed, or it shows a saved copy. */
export function needsRefresh(state: LoadState<Loaded<unknown>>): boolean {
  return state.status === 'error' || (state.status === 'ready' && state.data.stale !== undefined);
}

/**
 * Calls `refresh` when the server is reachable again — a breaker closed, connectivity came back, the mode
 * returned to normal — or the student asked to try again in the recovery dialog, while `needed` (the page shows an error or a saved copy). No reload: the page swaps in
 * the fresh answer when it arrives.
 */
export function useRefreshOnRecovery(needed: boolean, refresh: () => void): void {
  const runtime = useOptionalRuntime();
  useEffect(() => {
    if (!runtime || !needed) return;
    return runtime.events.subscribe((event) => {
      if (isRecovery(event)) refresh();
    });
  }, [runtime, needed, refresh]);
}

function isRecovery(event: ResilienceEvent): boolean {
  if (event.type === 'breaker.closed' || event.type === 'recovery.retryRequested') return true;
  if (event.type === 'connectivity.changed') return event.state === 'online' && event.previous === 'offline';
  if (event.type === 'mode.changed') return (event.mode === 'online' || event.mode === 'text-only') && (event.previous === 'degraded' || event.previous === 'offline');
  return false;
}
