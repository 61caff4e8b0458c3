import { createContext, useEffect, useState, type ReactNode } from 'react';
import type { ResilienceRuntime } from '../resilience';
import { createResilienceStore, type ResilienceStore } from './resilienceStore';

export interface ResilienceContextValue {
  readonly runtime: ResilienceRuntime;
  readonly store: ResilienceStore;
}

export const ResilienceContext = createContext<ResilienceContextValue | null>(null);

export interface ResilienceProviderProps {
  runtime: ResilienceRuntime;
  /** Backends whose breaker state is restored at once (see ResilienceStoreOptions.backends). */
  backends?: readonly string[];
  children: ReactNode;
}

/**
 * Makes a runtime and its UI store available to the hooks below. One store per runtime: a new runtime (another
 * student signed in) gets a fresh store. The provider does not own the runtime; whoever created it disposes it.
 */
export function ResilienceProvider({ runtime, backends, children }: ResilienceProviderProps) {
  const [value, setValue] = useState<ResilienceContextValue>(() => ({ runtime, store: createResilienceStore(runtime, { backends }) }));
  // A different runtime: build its store during render (React's "adjust state on prop change" pattern).
  if (value.runtime !== runtime) setValue({ runtime, store: createResilienceStore(runtime, { backends }) });
  const { store } = value;
  useEffect(() => store.connect(), [store]);
  return <ResilienceContext.Provider value={value}>{children}</ResilienceContext.Provider>;
}
