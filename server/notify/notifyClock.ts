import { setTimeout as sleep } from 'node:timers/promises';

/** The notifier's one seam for time: tests pass a fake one (no real waiting, no wall clock in assertions). */
export interface NotifyClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: NotifyClock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
};
