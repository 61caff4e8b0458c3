import type { Clock } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import type { ResilienceEvent } from '../core/events';
import { reportInternalError } from '../core/guard';
import { defaultIndexedDB } from '../core/defaultIndexedDB';
import type { FeatureFlags } from '../flags/featureFlags';
import type { Outbox } from '../outbox/outbox';
import type { SyncStorageLike } from '../core/syncStorage';
import type { ApiClient } from '../transport/apiClient';
import type { ConnectivityMonitor } from '../transport/connectivity';
import { defaultVisibilitySource, type VisibilitySource } from '../outbox/outboxTriggers';
import { startCommandPoll } from './commandPoll';
import { startInterventionReporter } from './interventionReporter';
import { createInterventionQueue, type InterventionQueue } from './interventionQueue';
import { createInterventionStore } from './interventionStore';

/** Escalation settings of the runtime config. */
export interface EscalationConfig {
  /**
   * Report items to `POST /api/interventions` (through the outbox) and apply admins' decisions fetched from
   * `GET /api/interventions/commands`. Default false (the app turns it on; a backend without these routes does not).
   */
  server?: boolean;
  /** Period of the command poll while online (ms). Default 30 s. */
  commandPollMs?: number;
  /** What tells the poll the tab became visible; default `document`, null for none. */
  visibility?: VisibilitySource | null;
}

export interface EscalationWiringOptions {
  /** undefined → the page's IndexedDB; null → memory only. */
  indexedDB: IDBFactory | null | undefined;
  databaseName: string;
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  outbox: Outbox;
  userId: string | undefined;
  api: ApiClient;
  connectivity: ConnectivityMonitor;
  storage: SyncStorageLike;
  config: EscalationConfig;
  /** Bus events of before the code loaded (lazyEscalations.ts), handled first. */
  replay?: readonly ResilienceEvent[];
}

/** The runtime's intervention queue, in its own IndexedDB database next to the runtime's. */
export function createEscalations(options: EscalationWiringOptions): InterventionQueue {
  const factory = options.indexedDB === undefined ? defaultIndexedDB() : options.indexedDB;
  const store = createInterventionStore(factory, options.databaseName, (key, reason) =>
    reportInternalError(options.events, 'escalation', new Error(`Dropped stored intervention "${key}": ${reason}`)),
  );
  const queue = createInterventionQueue({ ...options, store });
  if (!options.config.server) return queue;
  const stopReporter = startInterventionReporter({ ...options, queue });
  const visibility = options.config.visibility === null ? undefined : (options.config.visibility ?? defaultVisibilitySource());
  const stopPoll = startCommandPoll({
    ...options,
    queue,
    ...(options.config.commandPollMs === undefined ? {} : { intervalMs: options.config.commandPollMs }),
    ...(visibility ? { visibility } : {}),
  });
  return {
    ...queue,
    dispose() {
      stopReporter();
      stopPoll();
      queue.dispose();
    },
  };
}
