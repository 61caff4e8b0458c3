/**
 * Durable store of serialized telemetry envelopes (IndexedDB, its own database so its schema never competes
 * with the outbox's), capped by count and bytes. A full store refuses new envelopes and counts them; the count
 * survives reloads until it is reported. Falls back to memory when IndexedDB cannot be opened.
 */
export interface StoredEnvelope {
  readonly seq: number;
  readonly body: string;
  readonly bytes: number;
}

/** Bounded store of serialized telemetry envelopes, oldest first; a full store drops and counts. */
export interface EnvelopeStore {
  /** False when the store is full (the envelope is dropped and counted). */
  push(body: string): Promise<boolean>;
  /** Oldest first. */
  peek(limit: number): Promise<StoredEnvelope[]>;
  remove(seq: number): Promise<void>;
  count(): Promise<number>;
  /** Drops counted since the last take; the count restarts at 0. */
  takeDrops(): Promise<number>;
  close(): void;
}

export interface EnvelopeStoreLimits {
  readonly maxEnvelopes: number;
  readonly maxBytes: number;
}

const ENVELOPES = 'envelopes';
const META = 'meta';
interface Meta {
  bytes: number;
  count: number;
  drops: number;
}

/**
 * An `EnvelopeStore` in its own IndexedDB database `name`, capped by `limits`. Opens lazily; a failed open rejects
 * that call and is retried on the next one.
 */
export function createIndexedDbEnvelopeStore(indexedDB: IDBFactory, name: string, limits: EnvelopeStoreLimits): EnvelopeStore {
  let opening: Promise<IDBDatabase> | null = null;
  const open = (): Promise<IDBDatabase> => {
    opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(ENVELOPES, { keyPath: 'seq', autoIncrement: true });
        request.result.createObjectStore(META);
      };
      request.onsuccess = () => {
        const db = request.result;
        // Reopen on the next call if the browser closes the connection or another version wants in.
        db.onclose = () => void (opening = null);
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error ?? new Error(`IndexedDB open of ${name} failed`));
    }).catch((error: unknown) => {
      opening = null;
      throw error;
    });
    return opening;
  };

  const run = async <T>(mode: IDBTransactionMode, work: (envelopes: IDBObjectStore, meta: IDBObjectStore, done: (value: T) => void) => void): Promise<T> => {
    const db = await open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction([ENVELOPES, META], mode);
      let result: T;
      work(tx.objectStore(ENVELOPES), tx.objectStore(META), (value) => void (result = value));
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  };

  const withMeta = (meta: IDBObjectStore, then: (current: Meta) => void) => {
    const request = meta.get('meta');
    request.onsuccess = () => then((request.result as Meta | undefined) ?? { bytes: 0, count: 0, drops: 0 });
  };

  return {
    push: (body) =>
      run<boolean>('readwrite', (envelopes, meta, done) => {
        const bytes = body.length * 2; // UTF-16 upper bound: cheap, and never under-counts
        withMeta(meta, (current) => {
          if (current.count + 1 > limits.maxEnvelopes || current.bytes + bytes > limits.maxBytes) {
            meta.put({ ...current, drops: current.drops + 1 }, 'meta');
            return done(false);
          }
          envelopes.add({ body, bytes });
          meta.put({ ...current, bytes: current.bytes + bytes, count: current.count + 1 }, 'meta');
          done(true);
        });
      }),
    peek: (limit) =>
      run<StoredEnvelope[]>('readonly', (envelopes, _meta, done) => {
        const request = envelopes.getAll(null, limit);
        request.onsuccess = () => done(request.result as StoredEnvelope[]);
      }),
    remove: (seq) =>
      run<void>('readwrite', (envelopes, meta, done) => {
        const read = envelopes.get(seq);
        read.onsuccess = () => {
          const stored = read.result as StoredEnvelope | undefined;
          if (!stored) return done(undefined);
          envelopes.delete(seq);
          withMeta(meta, (current) => {
            meta.put({ ...current, bytes: Math.max(0, current.bytes - stored.bytes), count: Math.max(0, current.count - 1) }, 'meta');
            done(undefined);
          });
        };
      }),
    count: () =>
      run<number>('readonly', (envelopes, _meta, done) => {
        const request = envelopes.count();
        request.onsuccess = () => done(request.result);
      }),
    takeDrops: () =>
      run<number>('readwrite', (envelopes, meta, done) => {
        withMeta(meta, (current) => {
          // Also re-derives the count from the store, so a bookkeeping drift can never leave it looking full.
          const counted = envelopes.count();
          counted.onsuccess = () => {
            const count = counted.result;
            meta.put({ bytes: count === 0 ? 0 : current.bytes, count, drops: 0 }, 'meta');
            done(current.drops);
          };
        });
      }),
    close() {
      void opening?.then((db) => db.close()).catch(() => undefined);
      opening = null;
    },
  };
}

/** Same contract in memory (no IndexedDB): survives nothing, still capped and counted. */
export function createMemoryEnvelopeStore(limits: EnvelopeStoreLimits): EnvelopeStore {
  const items: StoredEnvelope[] = [];
  let seq = 0;
  let bytes = 0;
  let drops = 0;
  return {
    async push(body) {
      const size = body.length * 2;
      if (items.length + 1 > limits.maxEnvelopes || bytes + size > limits.maxBytes) {
        drops += 1;
        return false;
      }
      items.push({ seq: ++seq, body, bytes: size });
      bytes += size;
      return true;
    },
    peek: async (limit) => items.slice(0, limit),
    async remove(target) {
      const index = items.findIndex((item) => item.seq === target);
      if (index === -1) return;
      bytes -= (items[index] as StoredEnvelope).bytes;
      items.splice(index, 1);
    },
    count: async () => items.length,
    async takeDrops() {
      const taken = drops;
      drops = 0;
      return taken;
    },
    close: () => undefined,
  };
}
