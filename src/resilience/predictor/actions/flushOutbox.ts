import type { Outbox } from '../../outbox/outbox';
import { atLeast, type RiskLevel } from '../predictorTypes';
import type { PreventiveAction } from './preventiveAction';

/** Sends queued answers now, before a predicted outage, instead of at the next trigger. Nothing to reverse. */
export function flushOutboxAction(options: { outbox: Pick<Outbox, 'snapshot' | 'syncNow'>; minLevel?: RiskLevel }): PreventiveAction {
  const minLevel = options.minLevel ?? 'high';
  return {
    name: 'flushOutbox',
    wants: (prediction) => atLeast(prediction.level, minLevel),
    async apply() {
      const pending = options.outbox.snapshot().pending;
      if (pending === 0) return 'outbox empty';
      const report = await options.outbox.syncNow();
      return `flushed ${report.sent} of ${pending}`;
    },
    undo: () => 'nothing to undo',
  };
}
