/**
 * Scripted but realistic traces for the error predictor (bench and unit tests): what a page's runtime would
 * hear before an outage, a crash or nothing at all. Deterministic per seed. Ground truth: `failureAt` (the
 * moment the breaker opens or the tab crashes), undefined for traces that never fail.
 */
import type { ErrorCode } from '../src/resilience';

export type TraceStep =
  | { readonly at: number; readonly kind: 'request'; readonly backend: string; readonly durationMs: number; readonly ok: boolean; readonly code?: ErrorCode }
  | { readonly at: number; readonly kind: 'memory'; readonly ratio: number }
  | { readonly at: number; readonly kind: 'pressure'; readonly state: 'nominal' | 'fair' | 'serious' | 'critical' }
  | { readonly at: number; readonly kind: 'longTask'; readonly durationMs: number }
  | { readonly at: number; readonly kind: 'socketStale' }
  | { readonly at: number; readonly kind: 'breakerOpened'; readonly backend: string };

export type TraceKind = 'latencyCreep' | 'errorBurst' | 'memoryCrash' | 'socketDecay' | 'benignSpike' | 'slowNetwork' | 'memorySawtooth' | 'busyDevice';

export interface Trace {
  readonly name: string;
  readonly kind: TraceKind;
  readonly seed: number;
  readonly durationMs: number;
  readonly failureAt: number | undefined;
  readonly network?: { readonly effectiveType: string; readonly rttMs: number };
  /** Sorted by `at`. */
  readonly steps: readonly TraceStep[];
}

export const FAILING_KINDS: readonly TraceKind[] = ['latencyCreep', 'errorBurst', 'memoryCrash', 'socketDecay'];
export const BENIGN_KINDS: readonly TraceKind[] = ['benignSpike', 'slowNetwork', 'memorySawtooth', 'busyDevice'];

/** mulberry32: a small seeded generator (the bench must be reproducible). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Shape {
  /** Median latency (ms) at time t. */
  latencyAt(t: number): number;
  /** Failure probability of a request at time t. */
  errorAt(t: number): number;
}

/** `count` traces of each kind, seeds `firstSeed` … `firstSeed + count − 1` (even seeds tune, odd are held out). */
export function generateTraces(count: number, firstSeed = 1): Trace[] {
  const traces: Trace[] = [];
  for (let seed = firstSeed; seed < firstSeed + count; seed++) for (const kind of [...FAILING_KINDS, ...BENIGN_KINDS]) traces.push(generateTrace(kind, seed));
  return traces;
}

export function generateTrace(kind: TraceKind, seed: number): Trace {
  const rnd = seededRandom(seed * 7919 + [...FAILING_KINDS, ...BENIGN_KINDS].indexOf(kind) * 104_729);
  const between = (low: number, high: number) => low + (high - low) * rnd();
  const steps: TraceStep[] = [];
  const base = between(120, 450);
  const rate = between(0.4, 1.6); // requests per second
  const calmMs = between(60_000, 180_000);
  let failureAt: number | undefined;
  let durationMs = between(300_000, 600_000);
  let shape: Shape = { latencyAt: () => base, errorAt: () => 0.004 };
  let network: Trace['network'];

  switch (kind) {
    case 'latencyCreep': {
      const creepMs = between(60_000, 240_000);
      const peak = between(6000, 11_000);
      failureAt = calmMs + creepMs;
      shape = {
        latencyAt: (t) => (t < calmMs ? base : base * Math.pow(peak / base, Math.min(1, (t - calmMs) / creepMs))),
        errorAt: (t) => (t < calmMs ? 0.004 : 0.004 + 0.05 * ((t - calmMs) / creepMs) ** 2),
      };
      break;
    }
    case 'errorBurst': {
      const rampMs = between(40_000, 150_000);
      const peak = between(0.25, 0.6);
      failureAt = calmMs + rampMs;
      shape = {
        latencyAt: (t) => (t < calmMs ? base : base * (1 + 1.5 * ((t - calmMs) / rampMs))),
        errorAt: (t) => (t < calmMs ? 0.004 : 0.004 + peak * ((t - calmMs) / rampMs) ** 1.5),
      };
      break;
    }
    case 'memoryCrash': {
      const start = between(0.35, 0.55);
      const growMs = between(150_000, 420_000);
      failureAt = calmMs + growMs;
      for (let t = 0; t < failureAt; t += 1000) {
        const grown = t < calmMs ? 0 : ((t - calmMs) / growMs) * (0.985 - start);
        const gcDip = rnd() < 0.05 ? between(0.01, 0.04) : 0;
        steps.push({ at: t, kind: 'memory', ratio: Math.min(0.999, start + grown - gcDip + between(-0.005, 0.005)) });
        if (t > calmMs && rnd() < ((t - calmMs) / growMs) * 0.4) steps.push({ at: t + 500, kind: 'longTask', durationMs: between(60, 400) });
      }
      break;
    }
    case 'socketDecay': {
      const decayMs = between(60_000, 180_000);
      failureAt = calmMs + decayMs;
      const stales = 2 + Math.floor(rnd() * 3);
      for (let i = 0; i < stales; i++) steps.push({ at: calmMs + decayMs * ((i + 1) / (stales + 1)) + between(-3000, 3000), kind: 'socketStale' });
      shape = {
        latencyAt: (t) => (t < calmMs ? base : base * (1 + 4 * ((t - calmMs) / decayMs))),
        errorAt: (t) => (t < calmMs ? 0.004 : 0.004 + 0.12 * ((t - calmMs) / decayMs)),
      };
      break;
    }
    case 'benignSpike': {
      const spikes = 1 + Math.floor(rnd() * 3);
      const windows = Array.from({ length: spikes }, () => ({ from: between(30_000, durationMs - 30_000), lengthMs: between(4000, 15_000), peak: between(2500, 7000) }));
      shape = {
        latencyAt: (t) => windows.reduce((latency, w) => (t >= w.from && t < w.from + w.lengthMs ? Math.max(latency, w.peak) : latency), base),
        errorAt: (t) => (windows.some((w) => t >= w.from && t < w.from + w.lengthMs) ? 0.15 : 0.004),
      };
      break;
    }
    case 'slowNetwork': {
      const slow = between(1200, 3800);
      network = { effectiveType: rnd() < 0.5 ? '3g' : '2g', rttMs: Math.round(between(400, 1200)) };
      shape = { latencyAt: () => slow, errorAt: () => 0.01 };
      break;
    }
    case 'memorySawtooth': {
      let ratio = between(0.4, 0.5);
      const top = between(0.72, 0.88);
      for (let t = 0; t < durationMs; t += 1000) {
        ratio += between(0, 0.004);
        if (ratio > top) ratio = between(0.4, 0.5);
        steps.push({ at: t, kind: 'memory', ratio });
      }
      break;
    }
    case 'busyDevice': {
      for (let t = 0; t < durationMs; t += between(20_000, 60_000)) {
        const busyMs = between(5000, 20_000);
        steps.push({ at: t, kind: 'pressure', state: rnd() < 0.7 ? 'serious' : 'fair' });
        steps.push({ at: t + busyMs, kind: 'pressure', state: 'nominal' });
        for (let s = t; s < t + busyMs; s += 1000) if (rnd() < 0.5) steps.push({ at: s, kind: 'longTask', durationMs: between(60, 250) });
      }
      break;
    }
  }
  if (failureAt !== undefined) {
    steps.push({ at: failureAt, kind: 'breakerOpened', backend: 'api' });
    durationMs = failureAt;
  }
  // Requests: a Poisson process; log-normal-ish jitter around the median; > 10 s is a TIMEOUT.
  for (let t = exponential(rnd, rate); t < durationMs; t += exponential(rnd, rate)) {
    const median = shape.latencyAt(t);
    const durationMs = Math.min(10_000, median * Math.exp(between(-0.35, 0.45)));
    const timedOut = durationMs >= 10_000;
    const failed = timedOut || rnd() < shape.errorAt(t);
    const code: ErrorCode | undefined = timedOut ? 'TIMEOUT' : failed ? 'HTTP_5XX' : undefined;
    steps.push({ at: Math.round(t + durationMs), kind: 'request', backend: rnd() < 0.8 ? 'api' : 'tutor', durationMs: Math.round(durationMs), ok: !failed, ...(code ? { code } : {}) });
  }
  steps.sort((a, b) => a.at - b.at);
  const clipped = steps.filter((step) => step.at <= durationMs);
  return { name: `${kind}#${seed}`, kind, seed, durationMs, failureAt, ...(network ? { network } : {}), steps: clipped };
}

function exponential(rnd: () => number, ratePerS: number): number {
  return (-Math.log(1 - rnd()) / ratePerS) * 1000;
}
