import { useCallback, useEffect, useState } from 'react';

export type LoadState<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: unknown };

interface Settled<T> {
  load: () => Promise<T>;
  attempt: number;
  state: LoadState<T>;
}

const LOADING = { status: 'loading' } as const;

/**
 * Runs `load` (keep it stable with useCallback) and tracks its outcome; `retry` runs it again.
 * The state is derived from which load settled, so a changed loader shows "loading" straight away
 * and a late answer from an old loader is never shown. `refresh` loads again in the background: what is
 * shown stays until the new answer arrives, and a failed refresh leaves shown data in place.
 */
export function useLoad<T>(load: () => Promise<T>): { state: LoadState<T>; retry: () => void; refresh: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [refreshes, setRefreshes] = useState(0);
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let current = true;
    const same = (previous: Settled<T> | null) => previous !== null && previous.load === load && previous.attempt === attempt;
    load().then(
      (data) => current && setSettled({ load, attempt, state: { status: 'ready', data } }),
      (error: unknown) =>
        current && setSettled((previous) => (same(previous) && previous?.state.status === 'ready' ? previous : { load, attempt, state: { status: 'error', error } })),
    );
    return () => {
      current = false;
    };
  }, [load, attempt, refreshes]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const refresh = useCallback(() => setRefreshes((n) => n + 1), []);
  const state = settled && settled.load === load && settled.attempt === attempt ? settled.state : LOADING;
  return { state, retry, refresh };
}
