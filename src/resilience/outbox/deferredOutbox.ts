import type { DeferredCalls } from '../core/deferredCalls';
import { ResilienceError } from '../core/errors';
import type { Outbox, OutboxDrainReport } from './outbox';
import type { OutboxSnapshot } from './outboxState';

/** What the outbox shows before its code is there: nothing loaded yet (the real one starts the same way). */
const NOT_LOADED: OutboxSnapshot = { durable: false, ready: false, draining: false, needsSignIn: false, pending: 0, byScope: {}, interventions: [], quarantined: 0, lastError: undefined };

const notLoaded = () => new ResilienceError('STORAGE_UNAVAILABLE', 'The outbox code could not be loaded: send the request directly', { retryable: false, detail: { reason: 'outboxDisabled' } });

/**
 * The outbox while its code loads: `snapshot()` says not ready (true: no stored entry is loaded yet), and every
 * call waits for the code, in call order. A failed load answers as the outbox with its flag off: `submit`
 * rejects STORAGE_UNAVAILABLE `outboxDisabled` (the app sends directly; nothing was stored, so nothing is lost),
 * a drain reports `skipped: 'off'`, `retry`/`discard` reject, `start` resolves with nothing loaded.
 */
export function deferredOutbox(calls: DeferredCalls<{ outbox: Outbox }>): Outbox {
  const real = () => calls.current()?.outbox;
  const off: OutboxDrainReport = { sent: 0, deadLettered: 0, remaining: 0, skipped: 'off' };
  const drainOr = (act: (outbox: Outbox) => Promise<OutboxDrainReport>) => calls.ask((services) => act(services.outbox)).catch(() => off);
  return {
    submit: (submission) => calls.ask((services) => services.outbox.submit(submission)).catch((error: unknown) => Promise.reject(calls.current() ? error : notLoaded())),
    drain: () => real()?.drain() ?? drainOr((outbox) => outbox.drain()),
    syncNow: () => real()?.syncNow() ?? drainOr((outbox) => outbox.syncNow()),
    notifyServiceWorkerMessage: () => calls.run((services) => services.outbox.notifyServiceWorkerMessage()),
    retry: (id) => calls.ask((services) => services.outbox.retry(id)),
    discard: (id) => calls.ask((services) => services.outbox.discard(id)),
    snapshot: () => real()?.snapshot() ?? NOT_LOADED,
    subscribe: (listener) =>
      calls.listen(listener, (services, heard) => {
        const stop = services.outbox.subscribe(heard);
        heard(services.outbox.snapshot()); // the placeholder gave way to the real snapshot
        return stop;
      }),
    start: () => real()?.start() ?? calls.ask((services) => services.outbox.start()).catch(() => undefined),
    dispose: () => undefined, // the services' own dispose() disposes the real outbox
  };
}
