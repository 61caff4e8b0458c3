import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

export const DATABASE_FILE = 'tutor.sqlite';

/** Schema migrations by `user_version`; append, never edit a shipped step. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE idempotency (
     key TEXT PRIMARY KEY,
     student TEXT NOT NULL,
     request_hash TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
     status INTEGER,
     response TEXT,
     created_at TEXT NOT NULL,
     completed_at TEXT
   );
   CREATE TABLE answers (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     attempt_id TEXT NOT NULL UNIQUE,
     idempotency_key TEXT NOT NULL UNIQUE,
     student TEXT NOT NULL,
     lesson_id TEXT NOT NULL,
     exercise_id TEXT NOT NULL,
     answer TEXT NOT NULL,
     correct INTEGER NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE lesson_progress (
     student TEXT NOT NULL,
     lesson_id TEXT NOT NULL,
     completed TEXT NOT NULL DEFAULT '[]',
     attempts INTEGER NOT NULL DEFAULT 0,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (student, lesson_id)
   );
   CREATE TABLE tutor_replies (
     ask_id TEXT PRIMARY KEY,
     lesson_id TEXT NOT NULL,
     question TEXT NOT NULL,
     reply TEXT NOT NULL,
     created_at TEXT NOT NULL
   );`,
  `CREATE TABLE students (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     salt BLOB NOT NULL,
     passphrase_hash BLOB NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE sessions (
     token_hash TEXT PRIMARY KEY,
     student TEXT NOT NULL REFERENCES students (id) ON DELETE CASCADE,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX sessions_by_expiry ON sessions (expires_at);`,
  `CREATE TABLE interventions (
     student TEXT NOT NULL,
     id TEXT NOT NULL,
     version INTEGER NOT NULL,
     kind TEXT NOT NULL,
     reason_code TEXT NOT NULL,
     status TEXT NOT NULL,
     first_seen_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     attempts INTEGER NOT NULL,
     last_error TEXT,
     idempotency_key TEXT,
     preview TEXT,
     links TEXT NOT NULL,
     discard_reason TEXT,
     reported_at INTEGER NOT NULL,
     PRIMARY KEY (student, id)
   );
   CREATE INDEX interventions_by_status ON interventions (status, last_seen_at);
   CREATE TABLE intervention_commands (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     student TEXT NOT NULL,
     item_id TEXT NOT NULL,
     action TEXT NOT NULL CHECK (action IN ('retry', 'discard', 'resolve')),
     reason TEXT,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE admin_audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     detail TEXT NOT NULL
   );`,
  // Webhook notifications (server/notify): when the server first heard of an item (server clock), whether its
  // "unresolved" notice went out, and when each per-kind topic last sent (so a restart neither re-sends nor floods).
  `ALTER TABLE interventions ADD COLUMN first_reported_at INTEGER;
   UPDATE interventions SET first_reported_at = reported_at;
   ALTER TABLE interventions ADD COLUMN notified_at INTEGER;
   CREATE TABLE notify_topics (
     topic TEXT PRIMARY KEY,
     sent_at INTEGER NOT NULL
   );`,
];

/**
 * Opens (creating if needed) the server's database in `dataDir`, migrated to the latest schema.
 * Idempotency records left `in_flight` by a run that crashed are removed: that run never answered
 * them and never committed their effects (applying an answer and completing its key are one transaction),
 * so the client's retry must be processed afresh.
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  // NORMAL is durable against process crashes in WAL mode, which is what a dev/test server needs.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  migrate(db);
  db.prepare("DELETE FROM idempotency WHERE state = 'in_flight'").run();
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  MIGRATIONS.slice(version).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + index + 1}`);
    })();
  });
}

/** Removes all student data (answers, keys, progress, tutor replies, claimed names, sessions): the `/__reset` dev endpoint. */
export function wipeDatabase(db: Db): void {
  db.transaction(() => {
    for (const table of ['idempotency', 'answers', 'lesson_progress', 'tutor_replies', 'sessions', 'students', 'interventions', 'intervention_commands', 'admin_audit', 'notify_topics']) db.exec(`DELETE FROM ${table}`);
  })();
}
