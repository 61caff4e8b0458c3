import type { MeasureOptions, Measurement } from './harness';
import { ratio, type SummaryRow } from './summary';

const RAW = 'raw fetch + json';
const BARE = 'ours: api.request (flags, breaker, retry, shared timeout, events)';
const APP = 'ours, app path: cache option (write-behind) + caller signal';
const PEERS = [
  { name: 'cockatiel retry+breaker', goal: 'ours ≤ peer' },
  { name: 'cockatiel retry+breaker+timeout', goal: 'ours ≤ peer / 10' },
  { name: 'opossum (breaker+timeout)', goal: 'ours ≤ peer' },
] as const;

/**
 * Summary rows of the overhead part: overhead over the raw call (µs per request, one at a time) of the app's real
 * request path and of the bare pipeline, each next to every peer from the same interleaved rounds.
 */
export function overheadRows(measurements: readonly Measurement[], where: string, options: MeasureOptions): SummaryRow[] {
  const us = (name: string) => measurements.find((m) => m.name === name)?.usPerCall ?? NaN;
  const over = (name: string) => us(name) - us(RAW);
  const method = `${where}, median of ${options.rounds} interleaved rounds × ${options.iterations}`;
  return [
    { label: 'app path (cache + signal)', name: APP },
    { label: 'bare pipeline', name: BARE },
  ].flatMap((ours) =>
    PEERS.map((peer) => ({
      figure: `overhead ${where}, ${ours.label} µs/req`,
      ours: over(ours.name).toFixed(2),
      peer: `${peer.name} ${over(peer.name).toFixed(2)}`,
      ratio: ratio(over(ours.name), over(peer.name)),
      goal: peer.goal,
      method,
    })),
  );
}
