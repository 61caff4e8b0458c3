import type { Workbox } from 'workbox-window';
import { isOutboxDrainMessage, OUTBOX_SYNC_TAG } from '../../protocol/serviceWorker';

export interface UpdateSnapshot {
  /** A new version is installed and waiting (or already active while this tab still runs the old one). */
  readonly updateReady: boolean;
  /** This tab asked for the new version and reloads as soon as it controls the page. */
  readonly applying: boolean;
}

/** The page's side of the service worker: update state, "reload into the new version", outbox wake-ups. */
export interface ServiceWorkerUpdates {
  snapshot(): UpdateSnapshot;
  subscribe(listener: (snapshot: UpdateSnapshot) => void): () => void;
  /** Lets the waiting version take over, then reloads this tab once (only this tab: others may hold drafts). */
  applyUpdate(): void;
  /** `handler` runs when the worker asks the tab to drain the outbox (Background Sync fired). */
  onDrainRequest(handler: () => void): () => void;
  /** Asks for a Background Sync wake-up (where the browser has it) while answers wait. Never throws. */
  requestBackgroundSync(): Promise<void>;
  dispose(): void;
}

export interface ServiceWorkerUpdatesOptions {
  workbox: Pick<Workbox, 'addEventListener' | 'removeEventListener' | 'register' | 'messageSkipWaiting'>;
  /** navigator.serviceWorker: messages from the worker to this tab. */
  container: Pick<ServiceWorkerContainer, 'addEventListener' | 'removeEventListener'>;
  reload: () => void;
  onError?: (error: unknown) => void;
}

interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> };
}

/** Registers the worker through workbox-window and follows its update lifecycle. */
export function createServiceWorkerUpdates(options: ServiceWorkerUpdatesOptions): ServiceWorkerUpdates {
  const { workbox, container } = options;
  let state: UpdateSnapshot = { updateReady: false, applying: false };
  let reloaded = false;
  const listeners = new Set<(snapshot: UpdateSnapshot) => void>();
  const drainHandlers = new Set<() => void>();
  const setState = (next: Partial<UpdateSnapshot>) => {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener(state);
  };
  const reloadOnce = () => {
    if (reloaded) return;
    reloaded = true;
    options.reload();
  };

  const onWaiting = () => setState({ updateReady: true });
  // Another tab accepted: the new version controls this tab too, but its document is still the old one.
  const onControlling = (event: { isUpdate?: boolean }) => {
    if (state.applying) reloadOnce();
    else if (event.isUpdate) setState({ updateReady: true });
  };
  const onMessage = (event: MessageEvent) => {
    if (!isOutboxDrainMessage(event.data)) return;
    for (const handler of [...drainHandlers]) handler();
  };
  workbox.addEventListener('waiting', onWaiting);
  workbox.addEventListener('controlling', onControlling);
  container.addEventListener('message', onMessage);
  const registration: Promise<ServiceWorkerRegistration | undefined> = workbox.register().catch((error: unknown) => {
    options.onError?.(error);
    return undefined;
  });

  return {
    snapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    applyUpdate() {
      if (state.applying || !state.updateReady) return;
      setState({ applying: true });
      void registration.then((reg) => {
        // A version already active (another tab accepted) needs only the reload; a waiting one first takes over.
        if (reg?.waiting) workbox.messageSkipWaiting();
        else reloadOnce();
      });
    },
    onDrainRequest(handler) {
      drainHandlers.add(handler);
      return () => void drainHandlers.delete(handler);
    },
    async requestBackgroundSync() {
      try {
        const reg = (await registration) as (ServiceWorkerRegistration & SyncRegistration) | undefined;
        await reg?.sync?.register(OUTBOX_SYNC_TAG);
      } catch (error) {
        options.onError?.(error); // e.g. permission denied: the tab's own triggers still drain
      }
    },
    dispose() {
      workbox.removeEventListener('waiting', onWaiting);
      workbox.removeEventListener('controlling', onControlling);
      container.removeEventListener('message', onMessage);
      listeners.clear();
      drainHandlers.clear();
    },
  };
}
