/** Small numeric helpers of the collector and the trend scorer (no allocation beyond the inputs). */

/** p-th percentile (0..1) by nearest rank; 0 for no values. Sorts a copy. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

/** Exponentially weighted moving average of a series, oldest first; 0 for an empty series. */
export function ewma(series: readonly number[], alpha: number): number {
  let value: number | undefined;
  for (const x of series) value = value === undefined ? x : alpha * x + (1 - alpha) * value;
  return value ?? 0;
}

/** Least-squares slope of y over x; 0 with fewer than 3 points or no spread in x. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - mx;
    num += dx * ((ys[i] as number) - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : num / den;
}

/** 0 at or below `from`, 1 at or above `to`, linear between. */
export function ramp(value: number, from: number, to: number): number {
  if (value <= from) return 0;
  if (value >= to) return 1;
  return (value - from) / (to - from);
}

/**
 * Theil–Sen slope (median of pairwise slopes) of y over x: robust to a few outliers, so a short spike at the
 * end of the window does not read as a trend. 0 with fewer than 3 points. O(n²) pairs; n ≤ 24 here.
 */
export function robustSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return 0;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx !== 0) slopes.push(((ys[j] as number) - (ys[i] as number)) / dx);
    }
  }
  return percentile(slopes, 0.5);
}

/** Median of the last `count` values (the "current" level, robust to one outlier); 0 for none. */
export function recentMedian(values: readonly number[], count: number): number {
  return percentile(values.slice(-count), 0.5);
}
