import { useContext } from 'react';
import type { ResilienceRuntime } from '../resilience';
import { ResilienceContext } from './ResilienceProvider';

/** The runtime of the nearest <ResilienceProvider>, or null for parts of the app that also run without one. */
export function useOptionalRuntime(): ResilienceRuntime | null {
  return useContext(ResilienceContext)?.runtime ?? null;
}
