/**
 * Settings the slow-network action changes and the runtime reads: the API client multiplies its timeouts by
 * `timeoutFactor()`; the predictor's own background work (prefetch) runs at most `maxConcurrency()` requests.
 */
export interface NetworkTuning {
  timeoutFactor(): number;
  maxConcurrency(): number;
  set(settings: { timeoutFactor: number; maxConcurrency: number }): void;
  reset(): void;
}

export const NORMAL_CONCURRENCY = 4;

export function createNetworkTuning(): NetworkTuning {
  let factor = 1;
  let concurrency = NORMAL_CONCURRENCY;
  return {
    timeoutFactor: () => factor,
    maxConcurrency: () => concurrency,
    set(settings) {
      factor = settings.timeoutFactor;
      concurrency = settings.maxConcurrency;
    },
    reset() {
      factor = 1;
      concurrency = NORMAL_CONCURRENCY;
    },
  };
}
