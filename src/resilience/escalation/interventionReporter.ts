import type { EventBus } from '../core/eventBus';
import { fnv1a } from '../core/fnv1a';
import { reportInternalError } from '../core/guard';
import type { FeatureFlags } from '../flags/featureFlags';
import type { Outbox } from '../outbox/outbox';
import type { InterventionItem } from './interventionItem';
import type { InterventionQueue } from './interventionQueue';
import { INTERVENTIONS_PATH, REPORT_SCOPE_PREFIX, isReportScope } from './reportNames';


/** What leaves the browser: the item's fields, with the redacted preview and never the payload. */
export function reportOf(item: InterventionItem): Omit<InterventionItem, 'user'> {
  const { user: _user, ...report } = item;
  return report;
}

/**
 * Sends every change of an item to `POST /api/interventions` through the outbox (so it survives offline and a
 * reload), one scope per item so its versions arrive in order. The server keeps one report per (id, version).
 * A report the server refuses is dropped from the outbox (reported as an internal error), never escalated.
 */
export function startInterventionReporter(options: { queue: InterventionQueue; outbox: Outbox; events: EventBus; flags: FeatureFlags; userId: string | undefined }): () => void {
  const { queue, outbox, events, flags, userId } = options;
  const stopItems = queue.onItemChanged((item) => {
    if (userId === undefined || !flags.isEnabled('escalation')) return;
    outbox
      .submit({
        scope: `${REPORT_SCOPE_PREFIX}${fnv1a(item.id)}`,
        user: userId,
        request: { method: 'POST', path: INTERVENTIONS_PATH, body: reportOf(item) },
        idempotencyKey: `intervention-${fnv1a(item.id)}-${fnv1a(`${item.user}|${item.id}`)}-v${item.version}`,
      })
      .catch((error: unknown) => reportInternalError(events, 'escalation', new Error(`Queueing the report of "${item.id}" failed: ${String(error)}`)));
  });
  const stopEvents = events.subscribe((event) => {
    if (event.type !== 'outbox.deadLettered') return;
    if (!isReportScope(event.scope)) return;
    reportInternalError(events, 'escalation', new Error(`The server refused an intervention report (${event.code ?? event.reason}); dropped.`));
    outbox.discard(event.id).catch(() => undefined);
  });
  return () => {
    stopItems();
    stopEvents();
  };
}
