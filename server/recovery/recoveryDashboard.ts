import type { StoredIntervention } from '../db/interventionStore';
import { findIncidents, INCIDENT_GAP_MS, type Incident } from './incidents';

/** GET /admin/api/dashboard: computed from the reported intervention items only (see `coverage`). */
export interface RecoveryDashboard {
  /** What the numbers cover, in words the admin page shows as they are. */
  coverage: string;
  generatedAt: number;
  items: number;
  clients: number;
  byStatus: Record<string, number>;
  outcomes: {
    /** Not reported by clients: work that succeeded at once or healed itself never reaches the server. */
    succeededFirstTry: null;
    /** Needed recovery and then succeeded: items resolved (by the student's retry, an admin's, or a later send). */
    recoveredAfterIntervention: number;
    /** Failed after the automatic recovery: items open, retrying or discarded. */
    failedAfterRecovery: number;
  };
  /** Reason codes with count and share of all items (percent, one decimal), most frequent first. */
  reasons: { kind: string; reasonCode: string; count: number; percent: number }[];
  /** First sighting to resolution of resolved items, on the students' devices; null with none resolved. */
  meanRecoveryTimeMs: number | null;
  resolvedMeasured: number;
  incidents: Incident[];
  incidentGapMs: number;
}

export const DASHBOARD_COVERAGE =
  'Counts cover the work that could not heal itself and was reported to the server (the intervention queue). Work that succeeded on the first try, or recovered on its own by retrying, is not reported, so "succeeded first try" is not known here.';

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

/** Builds the dashboard from reported items; pure, so a fixed scenario gives exact numbers. */
export function buildRecoveryDashboard(items: readonly StoredIntervention[], now: number): RecoveryDashboard {
  const byStatus: Record<string, number> = {};
  const reasons = new Map<string, { kind: string; reasonCode: string; count: number }>();
  for (const item of items) {
    byStatus[item.status] = (byStatus[item.status] ?? 0) + 1;
    const key = `${item.kind}\u0000${item.reasonCode}`;
    const entry = reasons.get(key) ?? { kind: item.kind, reasonCode: item.reasonCode, count: 0 };
    entry.count += 1;
    reasons.set(key, entry);
  }
  // lastSeenAt of a resolved item is when it was resolved (the client stamps every status change).
  const resolved = items.filter((item) => item.status === 'resolved');
  const recoveryMs = resolved.map((item) => item.lastSeenAt - item.firstSeenAt).filter((ms) => ms >= 0);
  return {
    coverage: DASHBOARD_COVERAGE,
    generatedAt: now,
    items: items.length,
    clients: new Set(items.map((item) => item.student)).size,
    byStatus,
    outcomes: {
      succeededFirstTry: null,
      recoveredAfterIntervention: resolved.length,
      failedAfterRecovery: (byStatus.open ?? 0) + (byStatus.retrying ?? 0) + (byStatus.discarded ?? 0),
    },
    reasons: [...reasons.values()]
      .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind) || a.reasonCode.localeCompare(b.reasonCode))
      .map((entry) => ({ ...entry, percent: percent(entry.count, items.length) })),
    meanRecoveryTimeMs: recoveryMs.length === 0 ? null : Math.round(recoveryMs.reduce((sum, ms) => sum + ms, 0) / recoveryMs.length),
    resolvedMeasured: recoveryMs.length,
    incidents: findIncidents(items),
    incidentGapMs: INCIDENT_GAP_MS,
  };
}
