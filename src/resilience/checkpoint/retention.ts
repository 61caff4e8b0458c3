/** Retention of checkpoints: the last `keepLast` of each workflow, and every one younger than `maxAgeMs`. */
export interface RetentionPolicy {
  keepLast: number;
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keepLast: 10, maxAgeMs: 24 * 60 * 60 * 1000 };

/**
 * The keys to delete. `entries` are grouped by `group` (student + workflow) and ordered by `seq`; `savedAt`
 * null (unreadable) counts as old. Pure, so the rule is tested apart from storage.
 */
export function expiredCheckpoints(
  entries: ReadonlyArray<{ key: string; group: string; seq: number; savedAt: number | null }>,
  policy: RetentionPolicy,
  now: number,
): string[] {
  const groups = new Map<string, Array<(typeof entries)[number]>>();
  for (const entry of entries) (groups.get(entry.group) ?? groups.set(entry.group, []).get(entry.group)!).push(entry);
  const expired: string[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.seq - b.seq);
    const older = group.slice(0, Math.max(0, group.length - policy.keepLast));
    for (const entry of older) if (entry.savedAt === null || now - entry.savedAt > policy.maxAgeMs) expired.push(entry.key);
  }
  return expired;
}
