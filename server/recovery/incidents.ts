import type { StoredIntervention } from '../db/interventionStore';
import { classifyFailure } from './failureClass';
import { likelyCause } from './likelyCause';

/** Failures of one class at one backend whose sightings follow each other within the gap. */
export interface Incident {
  failure: string;
  backend: string;
  /** First and last time the failures were seen failing (the students' devices' clocks, as reported). */
  from: number;
  to: number;
  items: number;
  clients: number;
  kinds: Record<string, number>;
  codes: Record<string, number>;
  statuses: Record<string, number>;
  likelyCause: string;
  /** e.g. "HTTP 5xx at POST /api/answers from 10:02 to 10:07 UTC on 41 clients: 44 items (HTTP_5XX ×44); 3 still open". */
  evidence: string;
}

/** A new incident starts when a failure of the same class and backend comes more than this long after the last. */
export const INCIDENT_GAP_MS = 10 * 60_000;

/** When the item last failed: a resolved or discarded item's last sighting is its resolution, not a failure. */
const lastFailureAt = (item: StoredIntervention) => (item.status === 'open' || item.status === 'retrying' ? item.lastSeenAt : item.firstSeenAt);
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const tally = (values: readonly string[]) => values.reduce<Record<string, number>>((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {});
const listed = (counts: Record<string, number>) => Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name, n]) => `${name} ×${n}`).join(', ');

function describe(group: readonly StoredIntervention[], failure: string, backend: string): Incident {
  const from = Math.min(...group.map((item) => item.firstSeenAt));
  const to = Math.max(...group.map(lastFailureAt));
  const clients = new Set(group.map((item) => item.student)).size;
  const kinds = tally(group.map((item) => item.kind));
  const codes = tally(group.map((item) => item.lastError?.code ?? item.reasonCode));
  const statuses = tally(group.map((item) => item.status));
  const span = hhmm(from) === hhmm(to) ? `at ${hhmm(from)}` : `from ${hhmm(from)} to ${hhmm(to)}`;
  const deadLettered = (kinds.outboxRejected ?? 0) + (kinds.outboxRetention ?? 0);
  const parts = [`${failure} at ${backend} ${span} UTC on ${clients} client${clients === 1 ? '' : 's'}: ${group.length} item${group.length === 1 ? '' : 's'} (${listed(codes)})`];
  if (deadLettered > 0) parts.push(`${deadLettered} dead-lettered`);
  if (statuses.open) parts.push(`${statuses.open} still open`);
  return { failure, backend, from, to, items: group.length, clients, kinds, codes, statuses, likelyCause: likelyCause({ failure, backend, items: group.length, clients, kinds }), evidence: parts.join('; ') };
}

/** Groups reported failures into incidents (by class, backend and time window), largest first. Pure. */
export function findIncidents(items: readonly StoredIntervention[], gapMs = INCIDENT_GAP_MS): Incident[] {
  const byClass = new Map<string, { failure: string; backend: string; items: StoredIntervention[] }>();
  for (const item of items) {
    const { failure, backend } = classifyFailure(item);
    const key = `${failure}\u0000${backend}`;
    const entry = byClass.get(key) ?? { failure, backend, items: [] };
    entry.items.push(item);
    byClass.set(key, entry);
  }
  const incidents: Incident[] = [];
  for (const { failure, backend, items: members } of byClass.values()) {
    const sorted = [...members].sort((a, b) => a.firstSeenAt - b.firstSeenAt);
    let group: StoredIntervention[] = [];
    let groupEnd = -Infinity;
    for (const item of sorted) {
      if (group.length > 0 && item.firstSeenAt - groupEnd > gapMs) {
        incidents.push(describe(group, failure, backend));
        group = [];
      }
      group.push(item);
      groupEnd = Math.max(groupEnd, item.firstSeenAt);
    }
    if (group.length > 0) incidents.push(describe(group, failure, backend));
  }
  return incidents.sort((a, b) => b.items - a.items || b.clients - a.clients || a.from - b.from);
}
