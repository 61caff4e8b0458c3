import { IDBFactory } from 'fake-indexeddb';
import { createResilienceRuntime, type ResilienceEvent, type ResilienceRuntime, type SyncStorageLike, type WorkflowDefinition } from '../../../../src/resilience';
import { flagsWith } from '../helpers';

export const START = Date.UTC(2026, 11, 2, 12, 0, 0);

/** A lesson-like state: the step, drafts per exercise. */
export interface TestState {
  drafts: Record<string, string>;
  note?: string;
}

export const lessonWorkflow: WorkflowDefinition<TestState> = {
  id: 'lesson:fractions',
  version: 1,
  parse(state) {
    const value = state as TestState;
    if (typeof value !== 'object' || value === null || typeof value.drafts !== 'object') throw new TypeError('not a lesson state');
    return value;
  },
};

export function memoryStorage(): SyncStorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (key) => map.get(key) ?? null, setItem: (key, value) => void map.set(key, value), removeItem: (key) => void map.delete(key) };
}

/** One "boot" of the app: a runtime on the given device (IndexedDB factory + localStorage), events recorded. */
export function boot(device: { factory: IDBFactory; storage: SyncStorageLike }, options: { user?: string; enabled?: boolean; subtle?: null } = {}) {
  const runtime: ResilienceRuntime = createResilienceRuntime({
    flags: { source: flagsWith({ checkpoints: options.enabled ?? true, outbox: false, connectivity: false }) },
    storage: { indexedDB: device.factory, local: device.storage },
    api: { fetch: async () => new Response('{}') },
    userId: options.user ?? 'ana',
    checkpoints: { pageHide: null, ...(options.subtle === null ? { subtle: null } : {}) },
  });
  const events: ResilienceEvent[] = [];
  runtime.events.subscribe((event) => void events.push(event));
  return { runtime, events };
}

export const freshDevice = () => ({ factory: new IDBFactory(), storage: memoryStorage() });

const DB = 'resilience-checkpoints';

/** Runs `change` on the raw stored values of one key (record and commit marker) in the real database. */
export async function tamper(
  factory: IDBFactory,
  seq: number,
  change: (stored: { record: { body: string; hash: string } | undefined; commit: { hash: string } | undefined }) => { record?: unknown; commit?: unknown } | Promise<{ record?: unknown; commit?: unknown }>,
  key = `ana\u0000lesson:fractions\u0000${String(seq).padStart(12, '0')}`,
): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(DB);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const read = <T>(store: string) =>
    new Promise<T>((resolve, reject) => {
      const request = db.transaction(store).objectStore(store).get(key);
      request.onsuccess = () => resolve(request.result as T);
      request.onerror = () => reject(request.error);
    });
  const record = await read<{ body: string; hash: string } | undefined>('checkpoints');
  const commit = await read<{ hash: string } | undefined>('commits');
  const next = await change({ record, commit });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(['checkpoints', 'commits'], 'readwrite');
    if (next.record !== undefined) tx.objectStore('checkpoints').put(next.record, key);
    if (next.commit === null) tx.objectStore('commits').delete(key);
    else if (next.commit !== undefined) tx.objectStore('commits').put(next.commit, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

export async function countQuarantined(factory: IDBFactory): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(DB);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const count = await new Promise<number>((resolve, reject) => {
    const request = db.transaction('quarantine').objectStore('quarantine').count();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return count;
}
