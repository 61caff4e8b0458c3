import type { ApiClient } from '../../transport/apiClient';
import type { ApiRequest } from '../../transport/apiTypes';
import { atLeast, type RiskLevel } from '../predictorTypes';
import type { PreventiveAction } from './preventiveAction';

/** A GET to fetch ahead of time and keep in the response cache (the app decides which: current, next lesson). */
export type PrefetchTarget = Pick<ApiRequest, 'op' | 'path' | 'parse' | 'backend'> & { readonly cache: { readonly key: string; readonly mode: 'fallback' } };

/**
 * Prefetches the app's targets into the response cache while risk is at `minLevel` or above, so a coming outage
 * finds them cached; fetches targets it has not fetched yet on each later evaluation. Undo aborts what is in
 * flight (the cached copies stay: they are what the fallback serves). At most `concurrency()` at a time.
 */
export function prefetchAction(options: {
  api: ApiClient;
  targets: () => readonly PrefetchTarget[];
  concurrency: () => number;
  minLevel?: RiskLevel;
}): PreventiveAction {
  const minLevel = options.minLevel ?? 'medium';
  let controller: AbortController | undefined;
  const fetched = new Set<string>();

  const run = async (): Promise<string> => {
    const signal = (controller ??= new AbortController()).signal;
    const queue = options.targets().filter((target) => !fetched.has(target.cache.key));
    for (const target of queue) fetched.add(target.cache.key);
    let cached = 0;
    const worker = async () => {
      for (let target = queue.shift(); target && !signal.aborted; target = queue.shift()) {
        const result = await options.api.request({ ...target, method: 'GET', retry: 'background', signal });
        if (result.ok && result.source === 'network') cached++;
        else fetched.delete(target.cache.key); // try again on the next evaluation
      }
    };
    const total = queue.length;
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency(), total)) }, worker));
    return `prefetched ${cached} of ${total}`;
  };

  return {
    name: 'prefetch',
    wants: (prediction) => atLeast(prediction.level, minLevel),
    apply: () => run(),
    refresh: () => void run().catch(() => undefined),
    undo() {
      controller?.abort();
      controller = undefined;
      fetched.clear();
      return 'stopped prefetching';
    },
  };
}
