import type { MeasureOptions } from './harness';

/** Shared by the Node and Chromium parts so their tables compare like with like. */
export const API_OVERHEAD_OPTIONS: MeasureOptions = { iterations: 20_000, warmupIterations: 20_000, rounds: 9 };
