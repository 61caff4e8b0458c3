import type { EventBus } from '../core/eventBus';
import type { ConnectivityEventSource, ConnectivityMonitor } from '../transport/connectivity';
import { REPLAY_OP } from './replayPolicy';

/** `document` in the browser: fires visibilitychange. */
export interface VisibilitySource {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface OutboxTriggerSources {
  events: EventBus;
  connectivity: ConnectivityMonitor;
  /** window: its `online` event drains even when the connectivity flag is off. */
  onlineSource?: ConnectivityEventSource;
  visibility?: VisibilitySource;
}

/**
 * Replay triggers (never only one): connectivity back online, the browser's `online` event, any successful API
 * request (evidence the server is reachable; the outbox's own replays excluded), the tab becoming visible. The
 * backoff timer, start(), syncNow() and the service-worker hook live on the outbox. `drain` coalesces
 * overlapping calls, so triggers firing together start one pass, and every pass reloads the queue from
 * storage: the queue is the student's, not this tab's. Coming online or visible drains whatever this tab
 * has seen (entries another tab queued and left behind included); only the frequent `request.succeeded`
 * asks `mayHaveWork` first, which must cover other tabs' entries (the outbox's snapshot follows their change
 * notices). Returns the unwiring.
 */
export function wireOutboxTriggers(drain: () => void, mayHaveWork: () => boolean, sources: OutboxTriggerSources): () => void {
  const kick = () => drain();
  const unsubscribeConnectivity = sources.connectivity.subscribe((state) => state === 'online' && kick());
  const unsubscribeEvents = sources.events.subscribe((event) => {
    if (event.type === 'request.succeeded' && event.op !== REPLAY_OP && mayHaveWork()) drain();
  });
  const onVisible = () => {
    if (sources.visibility?.visibilityState === 'visible') kick();
  };
  sources.onlineSource?.addEventListener('online', kick);
  sources.visibility?.addEventListener('visibilitychange', onVisible);
  return () => {
    unsubscribeConnectivity();
    unsubscribeEvents();
    sources.onlineSource?.removeEventListener('online', kick);
    sources.visibility?.removeEventListener('visibilitychange', onVisible);
  };
}

/** `document` when running in a page. */
export function defaultVisibilitySource(): VisibilitySource | undefined {
  const doc = (globalThis as { document?: Partial<VisibilitySource> }).document;
  return doc && typeof doc.addEventListener === 'function' ? (doc as VisibilitySource) : undefined;
}
