import { delMany, del, entries, set, type UseStore } from 'idb-keyval';
import { createIdbDatabase } from '../core/storageDatabase';
import { validateItem, type InterventionItem } from './interventionItem';

export const INTERVENTION_STORE = 'interventions';
const DATABASE_VERSION = 1;

/** Persistence of the intervention queue: one record per (student, item), validated on the way back in. */
export interface InterventionStore {
  readonly durable: boolean;
  /** This student's items; a record that fails validation is deleted and reported through `onInvalid`. */
  load(user: string): Promise<InterventionItem[]>;
  put(item: InterventionItem): Promise<void>;
  /** Log-out: every item of the student goes. */
  purgeUser(user: string): Promise<number>;
  close(): void;
}

const keyOf = (user: string, id: string) => `${user}|${id}`;

/** The queue's own IndexedDB database (`<name>-interventions`), or memory when IndexedDB is missing. */
export function createInterventionStore(factory: IDBFactory | null | undefined, databaseName: string, onInvalid: (key: string, reason: string) => void): InterventionStore {
  if (!factory) return memoryInterventionStore();
  const database = createIdbDatabase({ factory, name: `${databaseName}-interventions`, version: DATABASE_VERSION, stores: [INTERVENTION_STORE] });
  const store: UseStore = database.store(INTERVENTION_STORE);
  return {
    durable: true,
    async load(user) {
      const items: InterventionItem[] = [];
      for (const [key, value] of await entries<IDBValidKey, unknown>(store)) {
        if (typeof key !== 'string' || !key.startsWith(`${user}|`)) continue;
        const checked = validateItem(value);
        if (checked.ok && keyOf(checked.value.user, checked.value.id) === key) items.push(checked.value);
        else {
          onInvalid(key, checked.ok ? 'key does not match the record' : checked.error);
          await del(key, store);
        }
      }
      return items.sort((a, b) => a.firstSeenAt - b.firstSeenAt);
    },
    put: (item) => set(keyOf(item.user, item.id), item, store),
    async purgeUser(user) {
      const keys = (await entries<IDBValidKey, unknown>(store)).map(([key]) => key).filter((key): key is string => typeof key === 'string' && key.startsWith(`${user}|`));
      await delMany(keys, store);
      return keys.length;
    },
    close: () => database.close(),
  };
}

export function memoryInterventionStore(): InterventionStore {
  const items = new Map<string, InterventionItem>();
  return {
    durable: false,
    load: (user) => Promise.resolve([...items.values()].filter((item) => item.user === user).sort((a, b) => a.firstSeenAt - b.firstSeenAt)),
    put(item) {
      items.set(keyOf(item.user, item.id), item);
      return Promise.resolve();
    },
    purgeUser(user) {
      const keys = [...items.keys()].filter((key) => key.startsWith(`${user}|`));
      keys.forEach((key) => items.delete(key));
      return Promise.resolve(keys.length);
    },
    close: () => undefined,
  };
}
