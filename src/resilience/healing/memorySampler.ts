import type { Clock, TimerHandle } from '../core/clock';
import { ResilienceError } from '../core/errors';

/** A heap reading: what is used and the most the page may use, in bytes. */
export interface HeapReading {
  readonly usedBytes: number;
  readonly limitBytes: number;
}

export interface MemorySamplerOptions {
  clock: Clock;
  /** The current heap; undefined when the browser has no such measure. */
  read: () => HeapReading | undefined;
  /** Called with a MEMORY_PRESSURE error when a reading reaches `pressureRatio` (self-healing frees memory). */
  onPressure: (error: ResilienceError) => void;
  /** Default 15 s. */
  intervalMs?: number;
  /** used / limit at or above this is pressure. Default 0.85. */
  pressureRatio?: number;
}

/**
 * Chromium's non-standard `performance.memory` (usedJSHeapSize, jsHeapSizeLimit), feature-detected: undefined
 * in other browsers and in Node, where no sampler runs.
 */
export function performanceMemoryReader(): (() => HeapReading | undefined) | undefined {
  const performance = (globalThis as { performance?: { memory?: { usedJSHeapSize?: unknown; jsHeapSizeLimit?: unknown } } }).performance;
  if (typeof performance?.memory?.usedJSHeapSize !== 'number' || typeof performance.memory.jsHeapSizeLimit !== 'number') return undefined;
  return () => {
    const memory = performance.memory;
    const usedBytes = memory?.usedJSHeapSize;
    const limitBytes = memory?.jsHeapSizeLimit;
    return typeof usedBytes === 'number' && typeof limitBytes === 'number' && limitBytes > 0 ? { usedBytes, limitBytes } : undefined;
  };
}

/**
 * Samples the heap on the runtime clock and reports MEMORY_PRESSURE once per crossing: a reading at or above
 * the ratio reports, and the next report needs a reading below it first (the clean-up ran, or the page freed
 * memory by itself), so a page that stays full is not cleaned every interval. `stop()` leaves no timer.
 */
export function startMemorySampler(options: MemorySamplerOptions): { stop(): void } {
  const { clock } = options;
  const intervalMs = options.intervalMs ?? 15_000;
  const pressureRatio = options.pressureRatio ?? 0.85;
  let timer: TimerHandle | undefined;
  let reported = false;
  const sample = () => {
    timer = clock.setTimeout(sample, intervalMs);
    const reading = options.read();
    if (!reading) return;
    const ratio = reading.usedBytes / reading.limitBytes;
    if (ratio < pressureRatio) {
      reported = false;
      return;
    }
    if (reported) return;
    reported = true;
    const used = Math.round(reading.usedBytes / 1_048_576);
    const limit = Math.round(reading.limitBytes / 1_048_576);
    options.onPressure(new ResilienceError('MEMORY_PRESSURE', `The page uses ${used} MiB of its ${limit} MiB heap`, { detail: reading }));
  };
  timer = clock.setTimeout(sample, intervalMs);
  return {
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
