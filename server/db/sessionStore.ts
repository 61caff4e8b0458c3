import { createHash, randomBytes } from 'node:crypto';
import type { PassphraseHash } from '../auth/passphrase';
import type { Db } from './database';

export interface StudentRecord extends PassphraseHash {
  id: string;
  name: string;
}

export interface SessionRecord {
  student: string;
  name: string;
  expiresAt: number;
}

/** Only a digest of each token is stored: a copy of the database does not hand out live sessions. */
const digest = (token: string) => createHash('sha256').update(token).digest('hex');
/** 256 random bits, URL-safe: unguessable, and safe in a cookie value. */
const newToken = () => randomBytes(32).toString('base64url');

/** Claimed names (with their passphrase hash) and sign-in sessions, in SQLite so they survive restarts. */
export function createSessionStore(db: Db) {
  const selectStudent = db.prepare<[string], { id: string; name: string; salt: Buffer; passphrase_hash: Buffer }>('SELECT * FROM students WHERE id = ?');
  const insertStudent = db.prepare('INSERT INTO students (id, name, salt, passphrase_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
  const insertSession = db.prepare('INSERT INTO sessions (token_hash, student, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const selectSession = db.prepare<[string], { student: string; name: string; expires_at: number }>(
    'SELECT s.student, st.name, s.expires_at FROM sessions s JOIN students st ON st.id = s.student WHERE s.token_hash = ?',
  );
  const deleteSession = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const deleteExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ?');
  const expireAll = db.prepare('UPDATE sessions SET expires_at = ? WHERE expires_at > ?');

  const create = (student: string, now: number, ttlMs: number) => {
    const token = newToken();
    insertSession.run(digest(token), student, now, now + ttlMs);
    return { token, expiresAt: now + ttlMs };
  };

  return {
    student(id: string): StudentRecord | undefined {
      const row = selectStudent.get(id);
      return row && { id: row.id, name: row.name, salt: row.salt, hash: row.passphrase_hash };
    },
    /** Claims a name; false when someone claimed it first (the caller then verifies against theirs). */
    claim(record: StudentRecord, now: number): boolean {
      return insertStudent.run(record.id, record.name, record.salt, record.hash, new Date(now).toISOString()).changes === 1;
    },
    create,
    /** The session a token names, expired or not; undefined when unknown (never issued, signed out, rotated). */
    find(token: string): SessionRecord | undefined {
      const row = selectSession.get(digest(token));
      return row && { student: row.student, name: row.name, expiresAt: row.expires_at };
    },
    /** Replaces the token with a new one that lives `ttlMs` from now (the old one stops working at once). */
    rotate(token: string, student: string, now: number, ttlMs: number) {
      return db.transaction(() => {
        deleteSession.run(digest(token));
        return create(student, now, ttlMs);
      })();
    },
    revoke(token: string): void {
      deleteSession.run(digest(token));
    },
    /** Forgets sessions that ended (they would answer SESSION_EXPIRED once more, then nothing). */
    sweep(before: number): void {
      deleteExpired.run(before);
    },
    /** Development: ends every live session now (sessions then answer SESSION_EXPIRED). Returns how many. */
    expireAll(now: number): number {
      return expireAll.run(now, now).changes;
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
