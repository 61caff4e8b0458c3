import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import { defaultIndexedDB } from '../core/storage';
import type { FeatureFlags } from '../flags/featureFlags';
import type { Outbox } from '../outbox/outbox';
import { createInterventionQueue, type InterventionQueue } from './interventionQueue';
import { createInterventionStore } from './interventionStore';

export interface EscalationWiringOptions {
  /** undefined → the page's IndexedDB; null → memory only. */
  indexedDB: IDBFactory | null | undefined;
  databaseName: string;
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  outbox: Outbox;
  userId: string | undefined;
}

/** The runtime's intervention queue, in its own IndexedDB database next to the runtime's. */
export function createEscalations(options: EscalationWiringOptions): InterventionQueue {
  const factory = options.indexedDB === undefined ? defaultIndexedDB() : options.indexedDB;
  const store = createInterventionStore(factory, options.databaseName, (key, reason) =>
    reportInternalError(options.events, 'escalation', new Error(`Dropped stored intervention "${key}": ${reason}`)),
  );
  return createInterventionQueue({ ...options, store });
}
