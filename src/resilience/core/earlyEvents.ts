import type { EventBus } from './eventBus';
import type { ResilienceEvent } from './events';

/** Bus events kept while a lazy subsystem's code loads; older ones beyond it are dropped and counted. */
export const EARLY_EVENTS_LIMIT = 2_000;

/** Bus events kept from the moment a lazy subsystem starts loading, to be fed to it once it is there. */
export interface EarlyEvents {
  /** Stops keeping and hands over what was kept (oldest first) and how many were dropped. */
  take(): { events: ResilienceEvent[]; dropped: number };
}

export function keepEarlyEvents(events: EventBus, limit = EARLY_EVENTS_LIMIT): EarlyEvents {
  let kept: ResilienceEvent[] = [];
  let dropped = 0;
  const unsubscribe = events.subscribe((event) => {
    if (kept.length >= limit) {
      kept.shift();
      dropped += 1;
    }
    kept.push(event);
  });
  return {
    take() {
      unsubscribe();
      const taken = { events: kept, dropped };
      kept = [];
      return taken;
    },
  };
}
