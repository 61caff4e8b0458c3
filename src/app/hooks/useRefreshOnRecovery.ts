import { useEffect } from 'react';
import { useOptionalRuntime } from '../../react/useOptionalRuntime';
import type { ResilienceEvent } from '../../resilience';
import type { Loaded } from '../services/types';
import type { LoadState } from './useLoad';

/** A load worth redoing once the server is back: it failed, or it shows a saved copy. */
export function needsRefresh(state: LoadState<Loaded<unknown>>): boolean {
  return state.status === 'error' || (state.status === 'ready' && state.data.stale !== undefined);
}

/** Successes (of any request) trigger at most one refresh this often: a burst of them is one piece of evidence. */
const SUCCESS_REFRESH_GAP_MS = 1_000;

/**
 * Calls `refresh` when the server is reachable again — a request succeeded (e.g. an answer got its verdict),
 * a breaker closed, connectivity came back, the mode returned to normal — or the student asked to try again in
 * the recovery dialog, while `needed` (the page shows an error or a saved copy). So a "Saved copy" label
 * goes with the next successful load instead of outliving the outage. No reload: the page swaps in the fresh
 * answer when it arrives.
 */
export function useRefreshOnRecovery(needed: boolean, refresh: () => void): void {
  const runtime = useOptionalRuntime();
  useEffect(() => {
    if (!runtime || !needed) return;
    let lastSuccessRefreshAt = -Infinity;
    return runtime.events.subscribe((event) => {
      if (event.type === 'request.succeeded') {
        if (event.at - lastSuccessRefreshAt < SUCCESS_REFRESH_GAP_MS) return;
        lastSuccessRefreshAt = event.at;
        refresh();
      } else if (isRecovery(event)) refresh();
    });
  }, [runtime, needed, refresh]);
}

function isRecovery(event: ResilienceEvent): boolean {
  if (event.type === 'breaker.closed' || event.type === 'recovery.retryRequested') return true;
  if (event.type === 'connectivity.changed') return event.state === 'online' && event.previous === 'offline';
  if (event.type === 'mode.changed') return (event.mode === 'online' || event.mode === 'text-only') && (event.previous === 'degraded' || event.previous === 'offline');
  return false;
}
