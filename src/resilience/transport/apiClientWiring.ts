import { clockDeadline, nativeDeadline } from '../policies/exactDeadline';
import { sharedDeadline } from '../policies/sharedDeadline';
import type { ApiConfig } from '../runtimeConfig';
import { createApiClient, type ApiClient, type ApiClientOptions } from './apiClient';

/** What the runtime builds its API client from: the client's options, with the deadline named instead of made. */
export interface ApiClientParts extends Omit<ApiClientOptions, 'deadline'> {
  /** Default 'clock' (the shared deadline). */
  timeoutImplementation?: ApiConfig['timeoutImplementation'];
}

/** The runtime's API client and its deadline strategy; `dispose` clears the deadline's lapsing timers. */
export function createRuntimeApiClient(parts: ApiClientParts): { client: ApiClient; dispose(): void } {
  const { timeoutImplementation, ...options } = parts;
  const deadline = timeoutImplementation === 'native' ? nativeDeadline(parts.clock) : timeoutImplementation === 'exact' ? clockDeadline(parts.clock) : sharedDeadline(parts.clock);
  return { client: createApiClient({ ...options, deadline }), dispose: () => deadline.dispose?.() };
}
