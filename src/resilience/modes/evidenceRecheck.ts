import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { ModeSnapshot } from './modeStore';

export interface EvidenceRecheckOptions {
  clock: Clock;
  events: EventBus;
  modes: { snapshot(): ModeSnapshot; subscribe(listener: (snapshot: ModeSnapshot) => void): () => void };
  /** Whether a check is someone else's job now: a breaker not closed (it probes itself) or connectivity offline. */
  coveredElsewhere: () => boolean;
  /** One cheap request whose success is the evidence (GET /api/health through the API client, no retries). */
  check: () => Promise<unknown>;
  /** First check after this long; doubles per check up to `maxMs`. Defaults 5 s and 60 s. */
  initialMs?: number;
  maxMs?: number;
}

/**
 * A fallback keeps the mode degraded until healthy evidence arrives (modeStore). When nothing else would bring
 * that evidence — the student is only reading, no breaker is open to probe, the device is not offline — this asks
 * for it: one check after 5 s, then 10 s, 20 s … up to 60 s while the mode keeps waiting. The delay starts small
 * again only after the mode has stayed clear for `maxMs`, so a backend that answers the check but fails the pages
 * is rechecked at most once a minute. `dispose()` leaves no timer.
 */
export function startEvidenceRecheck(options: EvidenceRecheckOptions): { dispose(): void } {
  const { clock } = options;
  const initialMs = options.initialMs ?? 5_000;
  const maxMs = options.maxMs ?? 60_000;
  let delayMs = initialMs;
  let timer: TimerHandle | undefined;
  let clearedAt: number | undefined;

  const cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  const schedule = () => {
    if (timer !== undefined) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (!options.modes.snapshot().awaitingEvidence) return;
      delayMs = Math.min(delayMs * 2, maxMs);
      if (!options.coveredElsewhere()) {
        options.check().catch((error: unknown) => reportInternalError(options.events, 'modes.evidenceRecheck', error));
      }
      schedule();
    }, delayMs);
  };
  const follow = (snapshot: ModeSnapshot) => {
    if (snapshot.awaitingEvidence) {
      if (clearedAt !== undefined && clock.now() - clearedAt >= maxMs) delayMs = initialMs;
      clearedAt = undefined;
      schedule();
    } else {
      clearedAt ??= clock.now();
      cancel();
    }
  };
  const unsubscribe = options.modes.subscribe(follow);
  follow(options.modes.snapshot());
  return {
    dispose() {
      unsubscribe();
      cancel();
    },
  };
}
