import type { EventBus } from '../core/eventBus';
import { reportInternalError } from '../core/guard';

/**
 * One session renewal at a time: every request that met a 401 while it runs waits for the same answer. Resolves
 * true when the session was renewed (`refresh` resolved anything but false); a refresh that throws is reported and
 * counts as not renewed.
 */
export function createSessionRenewal(refresh: () => Promise<boolean | void>, events: EventBus): () => Promise<boolean> {
  let renewing: Promise<boolean> | undefined;
  return () => {
    renewing ??= Promise.resolve()
      .then(refresh)
      .then(
        (renewed) => renewed !== false,
        (error: unknown) => {
          reportInternalError(events, 'selfHealing', error);
          return false;
        },
      )
      .finally(() => {
        renewing = undefined;
      });
    return renewing;
  };
}
