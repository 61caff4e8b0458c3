import type { Db } from '../db/database';

/** An item as a notice describes it: what the admin page shows, nothing more (the preview is already redacted). */
export interface NoticeItem {
  student: string;
  id: string;
  kind: string;
  reasonCode: string;
  status: string;
  attempts: number;
  firstSeenAt: number;
  lastSeenAt: number;
  firstReportedAt: number;
  lastError?: { code: string; status?: number; message: string };
  preview?: string;
}

export interface KindArrivals {
  kind: string;
  count: number;
  students: number;
  firstAt: number;
  lastAt: number;
  reasons: Record<string, number>;
}

interface ItemRow {
  student: string;
  id: string;
  kind: string;
  reason_code: string;
  status: string;
  attempts: number;
  first_seen_at: number;
  last_seen_at: number;
  first_reported_at: number;
  last_error: string | null;
  preview: string | null;
}

const UNRESOLVED = "status IN ('open', 'retrying')";

/** What the notifier reads and remembers, in the server's SQLite (so a restart neither forgets nor repeats). */
export function createNotifyStore(db: Db) {
  const due = db.prepare(`SELECT student, id, kind, reason_code, status, attempts, first_seen_at, last_seen_at, first_reported_at, last_error, preview
    FROM interventions WHERE ${UNRESOLVED} AND notified_at IS NULL AND first_reported_at <= ? ORDER BY kind, first_reported_at, student, id LIMIT ?`);
  const markItem = db.prepare('UPDATE interventions SET notified_at = ? WHERE student = ? AND id = ? AND notified_at IS NULL');
  const arrivals = db.prepare(`SELECT kind, reason_code, COUNT(*) AS n, COUNT(DISTINCT student) AS students, MIN(first_reported_at) AS first_at, MAX(first_reported_at) AS last_at
    FROM interventions WHERE first_reported_at > ? GROUP BY kind, reason_code`);
  const distinctStudents = db.prepare('SELECT kind, COUNT(DISTINCT student) AS students FROM interventions WHERE first_reported_at > ? GROUP BY kind');
  const topicAt = db.prepare('SELECT sent_at FROM notify_topics WHERE topic = ?');
  const markTopic = db.prepare('INSERT INTO notify_topics (topic, sent_at) VALUES (?, ?) ON CONFLICT (topic) DO UPDATE SET sent_at = excluded.sent_at');
  return {
    /** Unresolved items first reported at or before `cutoff` that no notice covered yet, grouped by kind in order. */
    dueUnresolved(cutoff: number, limit: number): NoticeItem[] {
      return (due.all(cutoff, limit) as ItemRow[]).map((row) => ({
        student: row.student,
        id: row.id,
        kind: row.kind,
        reasonCode: row.reason_code,
        status: row.status,
        attempts: row.attempts,
        firstSeenAt: row.first_seen_at,
        lastSeenAt: row.last_seen_at,
        firstReportedAt: row.first_reported_at,
        ...(row.last_error === null ? {} : { lastError: JSON.parse(row.last_error) as NoticeItem['lastError'] }),
        ...(row.preview === null ? {} : { preview: row.preview }),
      }));
    },
    markNotified(items: readonly { student: string; id: string }[], at: number): void {
      db.transaction(() => items.forEach((item) => markItem.run(at, item.student, item.id)))();
    },
    /** Items first reported after `since`, per kind (with counts per reason code). */
    arrivalsSince(since: number): KindArrivals[] {
      const byKind = new Map<string, KindArrivals>();
      for (const row of arrivals.all(since) as { kind: string; reason_code: string; n: number; first_at: number; last_at: number }[]) {
        const entry = byKind.get(row.kind) ?? { kind: row.kind, count: 0, students: 0, firstAt: row.first_at, lastAt: row.last_at, reasons: {} };
        entry.count += row.n;
        entry.firstAt = Math.min(entry.firstAt, row.first_at);
        entry.lastAt = Math.max(entry.lastAt, row.last_at);
        entry.reasons[row.reason_code] = row.n;
        byKind.set(row.kind, entry);
      }
      for (const row of distinctStudents.all(since) as { kind: string; students: number }[]) {
        const entry = byKind.get(row.kind);
        if (entry) entry.students = row.students;
      }
      return [...byKind.values()];
    },
    topicSentAt(topic: string): number | undefined {
      return (topicAt.get(topic) as { sent_at: number } | undefined)?.sent_at;
    },
    markTopic(topic: string, at: number): void {
      markTopic.run(topic, at);
    },
  };
}

export type NotifyStore = ReturnType<typeof createNotifyStore>;
