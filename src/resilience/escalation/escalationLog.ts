import type { EscalationItem, Escalator } from '../orchestrator/recoveryTypes';

/** How many escalations a session keeps (oldest dropped first). */
export const ESCALATION_LOG_SIZE = 20;

/**
 * The app's escalator (runtime config `recovery.escalator`): what the RecoveryOrchestrator could not recover
 * (no fallback served, the final retry failed) is kept here for this session, newest last, so the student's
 * recovery dialog (opened by the `escalation.raised` event the orchestrator emits alongside) and the developer
 * tools can say what needed a person. A failure a fallback served never gets here: the orchestrator escalates
 * only failed recoveries. An operation that later succeeds is taken off with `resolve(op)`.
 */
export interface EscalationLog extends Escalator {
  /** Escalations still open, oldest first. */
  items(): readonly EscalationItem[];
  /** The operation works again: its escalations are no longer open. */
  resolve(op: string): void;
  /** Called after every change. Returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** A bounded in-memory log of escalations (newest `limit` kept), for a session's view of what failed. */
export function createEscalationLog(limit = ESCALATION_LOG_SIZE): EscalationLog {
  let items: readonly EscalationItem[] = [];
  const listeners = new Set<() => void>();
  const changed = (next: readonly EscalationItem[]) => {
    items = next;
    listeners.forEach((listener) => listener());
  };
  return {
    escalate(item) {
      changed([...items, item].slice(-limit));
    },
    items: () => items,
    resolve(op) {
      if (items.some((item) => item.op === op)) changed(items.filter((item) => item.op !== op));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
