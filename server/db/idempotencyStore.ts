import type { Db } from './database';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyRecord =
  | { state: 'in_flight'; student: string; requestHash: string }
  | { state: 'done'; student: string; requestHash: string; response: StoredResponse };

interface Row {
  student: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  status: number | null;
  response: string | null;
}

/** Idempotency keys and their stored responses. Node is single-threaded and SQLite calls are synchronous, so reserve() is atomic. */
export function createIdempotencyStore(db: Db) {
  const insert = db.prepare(
    "INSERT INTO idempotency (key, student, request_hash, state, created_at) VALUES (?, ?, ?, 'in_flight', ?) ON CONFLICT (key) DO NOTHING",
  );
  const select = db.prepare<[string], Row>('SELECT student, request_hash, state, status, response FROM idempotency WHERE key = ?');
  const complete = db.prepare("UPDATE idempotency SET state = 'done', status = ?, response = ?, completed_at = ? WHERE key = ?");
  const release = db.prepare("DELETE FROM idempotency WHERE key = ? AND state = 'in_flight'");
  const countInFlight = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM idempotency WHERE state = 'in_flight'");

  return {
    /** Reserves `key` as in flight; returns null when reserved now, else the existing record. */
    reserve(key: string, student: string, requestHash: string): IdempotencyRecord | null {
      const inserted = insert.run(key, student, requestHash, new Date().toISOString()).changes === 1;
      return inserted ? null : this.get(key);
    },
    get(key: string): IdempotencyRecord | null {
      const row = select.get(key);
      if (!row) return null;
      if (row.state === 'in_flight' || row.status === null || row.response === null) {
        return { state: 'in_flight', student: row.student, requestHash: row.request_hash };
      }
      const response: StoredResponse = { status: row.status, body: JSON.parse(row.response) as unknown };
      return { state: 'done', student: row.student, requestHash: row.request_hash, response };
    },
    /** Stores the response; call inside the transaction that applies the request's effects. */
    complete(key: string, response: StoredResponse): void {
      complete.run(response.status, JSON.stringify(response.body), new Date().toISOString(), key);
    },
    /** Forgets a reservation whose processing failed before any effect, so a retry can run. */
    release(key: string): void {
      release.run(key);
    },
    countInFlight(): number {
      return countInFlight.get()?.n ?? 0;
    },
  };
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
