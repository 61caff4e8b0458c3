import type { Clock, TimerHandle } from '../core/clock';
import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';
import type { SyncStorageLike } from '../core/syncStorage';
import type { FeatureFlags } from '../flags/featureFlags';
import type { ApiClient } from '../transport/apiClient';
import type { ConnectivityMonitor } from '../transport/connectivity';
import type { VisibilitySource } from '../outbox/outboxTriggers';
import type { InterventionQueue } from './interventionQueue';

/** Default period of the command poll while online. */
export const COMMAND_POLL_MS = 30_000;

interface Command {
  seq: number;
  itemId: string;
  action: 'retry' | 'discard' | 'resolve';
  reason?: string;
}

function parseCommands(json: unknown): Command[] {
  const list = (json as { commands?: unknown } | null)?.commands;
  if (!Array.isArray(list)) throw new TypeError('commands is not an array');
  return list.filter((c): c is Command => {
    const command = c as Partial<Command> | null;
    return Number.isSafeInteger(command?.seq) && typeof command?.itemId === 'string' && (command.action === 'retry' || command.action === 'discard' || command.action === 'resolve');
  });
}

/**
 * Fetches what admins decided for this student's items (`GET /api/interventions/commands?after=<seq>`) after
 * start-up, every `intervalMs` (skipped while offline), after every outbox drain that sent something, when the
 * connection comes back and when the tab becomes visible again (a student returning to it), and applies it:
 * a retry replays the outbox entry here (same Idempotency-Key, so the server applies it once). The last applied
 * seq is kept in localStorage per student, so a reload or another tab does not apply a command twice.
 */
export function startCommandPoll(options: {
  queue: InterventionQueue;
  api: ApiClient;
  clock: Clock;
  events: EventBus;
  flags: FeatureFlags;
  connectivity: ConnectivityMonitor;
  storage: SyncStorageLike;
  userId: string | undefined;
  /** Period of the poll; default COMMAND_POLL_MS. */
  intervalMs?: number;
  /** `document`: a tab coming back to the foreground polls at once (its timers may have been throttled). */
  visibility?: VisibilitySource;
}): () => void {
  const { queue, api, clock, events, flags, connectivity, storage, userId } = options;
  if (userId === undefined) return () => undefined;
  const seqKey = `resilience.interventions.commandSeq.${userId}`;
  // Kept in memory too: without localStorage (or when writing it fails) a command is still applied once per page.
  let applied = 0;
  const lastSeq = () => Math.max(applied, Number(storage.getItem(seqKey) ?? '0') || 0);
  let running = false;
  let timer: TimerHandle | undefined;
  let disposed = false;

  const apply = async (command: Command) => {
    const item = queue.list().find((candidate) => candidate.id === command.itemId);
    // Already being retried (the student or another tab came first): the same retry again would only be refused.
    if (!item || item.status === 'resolved' || item.status === 'discarded' || (command.action === 'retry' && item.status === 'retrying')) return;
    if (command.action === 'retry') await queue.retryNow(command.itemId);
    else if (command.action === 'discard') await queue.discard(command.itemId, command.reason ?? 'Discarded by an admin');
    else await queue.resolveItem(command.itemId);
  };

  const poll = async () => {
    if (running || disposed || !flags.isEnabled('escalation') || connectivity.isOffline()) return;
    running = true;
    try {
      await queue.ready();
      const result = await api.request({ op: 'interventions.commands', method: 'GET', path: `/api/interventions/commands?after=${lastSeq()}`, retry: false, parse: parseCommands });
      if (!result.ok || result.value === undefined) return;
      for (const command of result.value) {
        if (command.seq <= lastSeq()) continue;
        // Recorded before applying: a command that fails here is reported, not retried forever.
        applied = command.seq;
        storage.setItem(seqKey, String(command.seq));
        await apply(command).catch((error: unknown) => reportInternalError(events, 'escalation', new Error(`Applying the admin's ${command.action} of "${command.itemId}" failed: ${String(error)}`)));
      }
    } finally {
      running = false;
    }
  };
  const run = () => void poll().catch((error: unknown) => reportInternalError(events, 'escalation', error));
  const tick = () => {
    timer = clock.setTimeout(() => {
      run();
      tick();
    }, options.intervalMs ?? COMMAND_POLL_MS);
  };
  run();
  tick();
  const unsubscribe = events.subscribe((event) => {
    // A drain that sent something (the student's work reached the server) is a sync; an empty pass is not, and
    // polling after it would make every request's drain trigger another poll.
    if ((event.type === 'outbox.drained' && event.sent > 0) || (event.type === 'connectivity.changed' && event.state === 'online')) run();
  });
  const onVisible = () => {
    if (options.visibility?.visibilityState === 'visible') run();
  };
  options.visibility?.addEventListener('visibilitychange', onVisible);
  return () => {
    disposed = true;
    if (timer !== undefined) clock.clearTimeout(timer);
    unsubscribe();
    options.visibility?.removeEventListener('visibilitychange', onVisible);
  };
}
