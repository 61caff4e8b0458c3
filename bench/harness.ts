/**
 * Tiny async micro-benchmark harness, free of Node APIs so it can be bundled for Chromium too.
 * Contenders are measured in interleaved rounds (A B C, A B C, …) so drift and GC hit them alike; the
 * figure is the median round.
 */
export interface Contender {
  readonly name: string;
  readonly call: () => Promise<unknown>;
}

export interface Measurement {
  readonly name: string;
  readonly usPerCall: number;
}

export interface MeasureOptions {
  iterations: number;
  warmupIterations: number;
  rounds: number;
  /** Requests each call makes (e.g. a burst of concurrent ones): the figure is µs per request. Default 1. */
  requestsPerCall?: number;
  now?: () => number;
}

export async function measureAll(contenders: readonly Contender[], options: MeasureOptions): Promise<Measurement[]> {
  const now = options.now ?? (() => performance.now());
  for (const contender of contenders) await loop(contender.call, options.warmupIterations);
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const contender of contenders) {
      const start = now();
      await loop(contender.call, options.iterations);
      samples.get(contender.name)?.push(((now() - start) * 1000) / (options.iterations * (options.requestsPerCall ?? 1)));
    }
  }
  return contenders.map((c) => ({ name: c.name, usPerCall: median(samples.get(c.name) ?? []) }));
}

async function loop(call: () => Promise<unknown>, iterations: number): Promise<void> {
  for (let i = 0; i < iterations; i++) await call();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Renders measurements as a fixed-width table, overhead relative to the contender named `baseline`. */
export function formatTable(measurements: readonly Measurement[], baseline: string): string {
  const base = measurements.find((m) => m.name === baseline)?.usPerCall ?? 0;
  const width = Math.max(...measurements.map((m) => m.name.length), 9);
  const header = `${'contender'.padEnd(width)}  µs/call  overhead µs/call`;
  const rows = measurements.map((m) => {
    const overhead = m.name === baseline ? '—' : (m.usPerCall - base).toFixed(3);
    return `${m.name.padEnd(width)}  ${m.usPerCall.toFixed(3).padStart(7)}  ${overhead.padStart(16)}`;
  });
  return [header, '-'.repeat(header.length), ...rows].join('\n');
}
