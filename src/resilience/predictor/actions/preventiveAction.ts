import type { EventBus } from '../../core/eventBus';
import { reportInternalError } from '../../core/guard';
import type { MetricsSnapshot, Prediction, RiskLevel } from '../predictorTypes';

/**
 * One preventive action: a small reversible strategy. `wants` decides when it should be in force; the runner
 * calls `apply` when it becomes wanted and `undo` when it no longer is (or the predictor stops). Each returns a
 * short description of what it did, reported in `prediction.action`.
 */
export interface PreventiveAction {
  readonly name: string;
  wants(prediction: Prediction, metrics: MetricsSnapshot): boolean;
  apply(prediction: Prediction, metrics: MetricsSnapshot): string | Promise<string>;
  undo(): string | Promise<string>;
  /** Called on each evaluation while in force (e.g. to prefetch a lesson the student has just opened). */
  refresh?(prediction: Prediction, metrics: MetricsSnapshot): void;
}

export interface ActionRunner {
  update(prediction: Prediction, metrics: MetricsSnapshot): void;
  /** Undoes every action in force (predictor stopped or flag off). */
  undoAll(): void;
  /** Names of the actions in force. */
  active(): readonly string[];
}

/** Applies and undoes the actions on each prediction; an action that throws is reported and left as it was. */
export function createActionRunner(actions: readonly PreventiveAction[], events: EventBus): ActionRunner {
  const inForce = new Map<string, RiskLevel>();
  const report = (action: PreventiveAction, change: 'applied' | 'undone', level: RiskLevel, run: () => string | Promise<string>) => {
    const fail = (error: unknown) => reportInternalError(events, `predictor.action.${action.name}`, error);
    try {
      Promise.resolve(run()).then((detail) => events.emit('prediction.action', { action: action.name, change, level, detail }), fail);
    } catch (error) {
      fail(error);
    }
  };
  return {
    update(prediction, metrics) {
      for (const action of actions) {
        let wanted: boolean;
        try {
          wanted = action.wants(prediction, metrics);
        } catch (error) {
          reportInternalError(events, `predictor.action.${action.name}`, error);
          continue;
        }
        const active = inForce.has(action.name);
        if (wanted && !active) {
          inForce.set(action.name, prediction.level);
          report(action, 'applied', prediction.level, () => action.apply(prediction, metrics));
        } else if (!wanted && active) {
          inForce.delete(action.name);
          report(action, 'undone', prediction.level, () => action.undo());
        } else if (wanted && action.refresh) {
          try {
            action.refresh(prediction, metrics);
          } catch (error) {
            reportInternalError(events, `predictor.action.${action.name}`, error);
          }
        }
      }
    },
    undoAll() {
      for (const action of actions) {
        const level = inForce.get(action.name);
        if (level === undefined) continue;
        inForce.delete(action.name);
        report(action, 'undone', 'low', () => action.undo());
      }
    },
    active: () => [...inForce.keys()],
  };
}
