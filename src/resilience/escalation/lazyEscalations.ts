import { keepEarlyEvents } from '../core/earlyEvents';
import { reportInternalError } from '../core/guard';
import { loadDeferred } from '../flags/loadWithFlag';
import type { EscalationWiringOptions } from './escalationWiring';
import type { InterventionQueue } from './interventionQueue';

/** Loads the intervention queue's code (a chunk of its own in a build). */
export type LoadEscalations = () => Promise<{ createEscalations(options: EscalationWiringOptions): InterventionQueue }>;

/**
 * `runtime.escalations` without the intervention queue's code in the first load: its store, items, server
 * reporter and command poll (~4 KB gz) are imported at start-up, after the first load, whatever the flag says
 * (a queue with its flag off still lists and acts on stored items). Meanwhile the bus events are kept and fed to
 * the queue first, and the calls made are kept and made on it in order once it is there: an escalation or an
 * outbox dead letter of the first moments still becomes an item. Until then the lists are empty; subscribers are
 * told when the loaded items arrive. A failed load is reported (`runtime.internalError`): the actions waiting
 * reject with its error, the next call tries again.
 */
export function lazyEscalations(options: EscalationWiringOptions, load: LoadEscalations = () => import('../afterFirstLoad')): InterventionQueue {
  const { events } = options;
  const report = (error: unknown) => reportInternalError(events, 'escalation', error);
  const early = keepEarlyEvents(events);
  const { calls, code } = loadDeferred({
    load,
    what: 'the intervention queue',
    report,
    build(module) {
      const { events: replay, dropped } = early.take();
      if (dropped > 0) report(new Error(`${dropped} events were dropped while the intervention queue loaded`));
      return module.createEscalations({ ...options, replay });
    },
  });
  /** A listener of the queue's changes: told once as it attaches after the load (the stored items arrived). */
  const attachChange = (queue: InterventionQueue, listener: () => void) => {
    const unsubscribe = queue.subscribe(listener);
    listener();
    return unsubscribe;
  };

  return {
    escalate: (item) => calls.run((queue) => queue.escalate(item)),
    items: () => calls.current()?.items() ?? [],
    resolve: (op) => calls.run((queue) => queue.resolve(op)),
    subscribe(listener) {
      const queue = calls.current();
      return queue ? queue.subscribe(listener) : calls.listen(listener, attachChange);
    },
    ready: () => code.ready().then(() => calls.current()?.ready()),
    list: () => calls.current()?.list() ?? [],
    needsAttention: () => calls.current()?.needsAttention() ?? [],
    onItemChanged: (listener) => calls.listen(listener, (queue, heard) => queue.onItemChanged(heard)),
    retryNow: (id) => calls.ask((queue) => queue.retryNow(id)),
    editAndRetry: (id, body) => calls.ask((queue) => queue.editAndRetry(id, body)),
    discard: (id, reason) => calls.ask((queue) => queue.discard(id, reason)),
    resolveItem: (id) => calls.ask((queue) => queue.resolveItem(id)),
    purgeUser: (user) => calls.ask((queue) => queue.purgeUser(user)),
    dispose() {
      code.dispose();
      early.take();
      calls.current()?.dispose();
      calls.dispose();
    },
  };
}
