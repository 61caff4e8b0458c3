import type { Db } from './database';

/** One intervention item as a client reported it (only its redacted preview, never the payload). */
export interface ReportedIntervention {
  id: string;
  version: number;
  kind: string;
  reasonCode: string;
  status: string;
  firstSeenAt: number;
  lastSeenAt: number;
  attempts: number;
  lastError?: { code: string; status?: number; message: string };
  idempotencyKey?: string;
  preview?: string;
  links: Record<string, string>;
  discardReason?: string;
}

export interface StoredIntervention extends ReportedIntervention {
  student: string;
  reportedAt: number;
}

export interface InterventionFilter {
  status?: string;
  kind?: string;
  reason?: string;
  student?: string;
  /** Only items whose last sighting is at least this old (ms). */
  minAgeMs?: number;
  /** Free text over id, reason, preview and error message. */
  search?: string;
}

export type InterventionAction = 'retry' | 'discard' | 'resolve';

export interface InterventionCommand {
  seq: number;
  itemId: string;
  action: InterventionAction;
  reason?: string;
}

interface Row {
  student: string;
  id: string;
  version: number;
  kind: string;
  reason_code: string;
  status: string;
  first_seen_at: number;
  last_seen_at: number;
  attempts: number;
  last_error: string | null;
  idempotency_key: string | null;
  preview: string | null;
  links: string;
  discard_reason: string | null;
  reported_at: number;
}

const fromRow = (row: Row): StoredIntervention => ({
  student: row.student,
  id: row.id,
  version: row.version,
  kind: row.kind,
  reasonCode: row.reason_code,
  status: row.status,
  firstSeenAt: row.first_seen_at,
  lastSeenAt: row.last_seen_at,
  attempts: row.attempts,
  ...(row.last_error === null ? {} : { lastError: JSON.parse(row.last_error) as StoredIntervention['lastError'] }),
  ...(row.idempotency_key === null ? {} : { idempotencyKey: row.idempotency_key }),
  ...(row.preview === null ? {} : { preview: row.preview }),
  links: JSON.parse(row.links) as Record<string, string>,
  ...(row.discard_reason === null ? {} : { discardReason: row.discard_reason }),
  reportedAt: row.reported_at,
});

function where(filter: InterventionFilter, now: number): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  if (filter.status !== undefined) add('status = ?', filter.status);
  if (filter.kind !== undefined) add('kind = ?', filter.kind);
  if (filter.reason !== undefined) add('reason_code = ?', filter.reason);
  if (filter.student !== undefined) add('student = ?', filter.student);
  if (filter.minAgeMs !== undefined) add('last_seen_at <= ?', now - filter.minAgeMs);
  if (filter.search !== undefined && filter.search !== '') {
    const like = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    clauses.push("(id LIKE ? ESCAPE '\\' OR reason_code LIKE ? ESCAPE '\\' OR preview LIKE ? ESCAPE '\\' OR last_error LIKE ? ESCAPE '\\')");
    params.push(like, like, like, like);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Reported intervention items, the commands admins queued for students' browsers, and the admin audit log. */
export function createInterventionStore(db: Db, now: () => number) {
  const upsert = db.prepare(`INSERT INTO interventions (student, id, version, kind, reason_code, status, first_seen_at, last_seen_at, attempts, last_error, idempotency_key, preview, links, discard_reason, reported_at, first_reported_at)
    VALUES (@student, @id, @version, @kind, @reasonCode, @status, @firstSeenAt, @lastSeenAt, @attempts, @lastError, @idempotencyKey, @preview, @links, @discardReason, @reportedAt, @reportedAt)
    ON CONFLICT (student, id) DO UPDATE SET version = excluded.version, kind = excluded.kind, reason_code = excluded.reason_code, status = excluded.status,
      last_seen_at = excluded.last_seen_at, attempts = excluded.attempts, last_error = excluded.last_error, idempotency_key = excluded.idempotency_key,
      preview = excluded.preview, links = excluded.links, discard_reason = excluded.discard_reason, reported_at = excluded.reported_at
    WHERE excluded.version > interventions.version`);
  return {
    /** Stores a report; an older or equal version than the stored one changes nothing (idempotent, reorder-safe). */
    report(student: string, item: ReportedIntervention): { stored: boolean } {
      const result = upsert.run({
        student,
        ...item,
        lastError: item.lastError === undefined ? null : JSON.stringify(item.lastError),
        idempotencyKey: item.idempotencyKey ?? null,
        preview: item.preview ?? null,
        links: JSON.stringify(item.links),
        discardReason: item.discardReason ?? null,
        reportedAt: now(),
      });
      return { stored: result.changes > 0 };
    },
    find(student: string, id: string): StoredIntervention | undefined {
      const row = db.prepare('SELECT * FROM interventions WHERE student = ? AND id = ?').get(student, id) as Row | undefined;
      return row ? fromRow(row) : undefined;
    },
    list(filter: InterventionFilter, page: { limit: number; offset: number }): { items: StoredIntervention[]; total: number } {
      const clause = where(filter, now());
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM interventions ${clause.sql}`).get(...clause.params) as { n: number }).n;
      const rows = db.prepare(`SELECT * FROM interventions ${clause.sql} ORDER BY last_seen_at DESC, student, id LIMIT ? OFFSET ?`).all(...clause.params, page.limit, page.offset) as Row[];
      return { items: rows.map(fromRow), total };
    },
    /** Every matching item (bulk actions), oldest first. */
    all(filter: InterventionFilter): StoredIntervention[] {
      const clause = where(filter, now());
      return (db.prepare(`SELECT * FROM interventions ${clause.sql} ORDER BY last_seen_at, student, id`).all(...clause.params) as Row[]).map(fromRow);
    },
    /** An admin's decision: the item's server copy shows it at once, the student's browser applies it at its next poll. */
    decide(student: string, id: string, action: InterventionAction, reason: string | undefined): void {
      const status = action === 'retry' ? 'retrying' : action === 'discard' ? 'discarded' : 'resolved';
      db.transaction(() => {
        db.prepare('UPDATE interventions SET status = ?, discard_reason = COALESCE(?, discard_reason) WHERE student = ? AND id = ?').run(status, action === 'discard' ? (reason ?? null) : null, student, id);
        db.prepare('INSERT INTO intervention_commands (student, item_id, action, reason, created_at) VALUES (?, ?, ?, ?, ?)').run(student, id, action, reason ?? null, now());
      })();
    },
    /** Commands for the student after `after` (the browser's last seen seq), oldest first. */
    commands(student: string, after: number): InterventionCommand[] {
      const rows = db.prepare('SELECT seq, item_id, action, reason FROM intervention_commands WHERE student = ? AND seq > ? ORDER BY seq LIMIT 100').all(student, after) as { seq: number; item_id: string; action: InterventionAction; reason: string | null }[];
      return rows.map((row) => ({ seq: row.seq, itemId: row.item_id, action: row.action, ...(row.reason === null ? {} : { reason: row.reason }) }));
    },
    audit(actor: string, action: string, target: string, detail: unknown): void {
      db.prepare('INSERT INTO admin_audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)').run(now(), actor, action, target, JSON.stringify(detail));
    },
    auditLog(page: { limit: number; offset: number }): { entries: { seq: number; at: number; actor: string; action: string; target: string; detail: unknown }[]; total: number } {
      const total = (db.prepare('SELECT COUNT(*) AS n FROM admin_audit').get() as { n: number }).n;
      const rows = db.prepare('SELECT * FROM admin_audit ORDER BY seq DESC LIMIT ? OFFSET ?').all(page.limit, page.offset) as { seq: number; at: number; actor: string; action: string; target: string; detail: string }[];
      return { entries: rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as unknown })), total };
    },
  };
}

export type InterventionStore = ReturnType<typeof createInterventionStore>;
