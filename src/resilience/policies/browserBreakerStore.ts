import type { Clock } from '../core/clock';
import type { SyncStorageLike } from '../core/syncStorage';
import type { BreakerState } from './breakerState';
import type { BreakerStateStore } from './breakerStore';
import { storageLease, webLockLease, type LockManagerLike } from './probeLeases';

/** The part of BroadcastChannel we use. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}

/** Options of `createBrowserBreakerStore`: storage, clock, tab id and the optional channel and lock seams. */
export interface BrowserBreakerStoreOptions {
  /** Guarded localStorage (see guardedStorage); persistence silently degrades when it cannot write. */
  storage: SyncStorageLike;
  clock: Clock;
  /** This tab's id, to tell our own lease from another tab's. */
  tabId: string;
  keyPrefix?: string;
  /** Creates the channel; default `new BroadcastChannel(name)` when available. Return undefined for none. */
  openChannel?: (name: string) => BroadcastChannelLike | undefined;
  /** Default `navigator.locks` when available. Pass null to force the localStorage lease. */
  locks?: LockManagerLike | null;
  onError?: (operation: string, error: unknown) => void;
}

interface BreakerMessage {
  kind: 'breaker-state';
  backend: string;
  state: BreakerState;
}

/**
 * Breaker store for the browser: localStorage (key `<prefix><backend>`) for reloads, BroadcastChannel for
 * other tabs, Web Locks (else a localStorage lease) for the single prober. Each missing API degrades on its
 * own: no channel → no cross-tab updates, no storage → no persistence; nothing throws.
 */
export function createBrowserBreakerStore(options: BrowserBreakerStoreOptions): BreakerStateStore {
  const { storage, clock, tabId } = options;
  const prefix = options.keyPrefix ?? 'resilience.breaker.';
  const onError = options.onError ?? (() => undefined);
  const listeners = new Set<(backend: string, state: unknown) => void>();
  const locks = options.locks === undefined ? defaultLocks() : options.locks;

  let channel: BroadcastChannelLike | undefined;
  try {
    channel = (options.openChannel ?? defaultChannel)(`${prefix}channel`);
  } catch (error) {
    onError('openChannel', error);
  }
  if (channel) {
    channel.onmessage = (event) => {
      const message = event.data as Partial<BreakerMessage> | null;
      if (message?.kind !== 'breaker-state' || typeof message.backend !== 'string') return;
      for (const listener of listeners) listener(message.backend, message.state);
    };
  }

  return {
    load(backend) {
      const text = storage.getItem(prefix + backend);
      if (text === null) return undefined;
      try {
        return JSON.parse(text);
      } catch (error) {
        onError('load', error);
        return undefined;
      }
    },
    save(backend, state) {
      storage.setItem(prefix + backend, JSON.stringify(state));
      try {
        channel?.postMessage({ kind: 'breaker-state', backend, state } satisfies BreakerMessage);
      } catch (error) {
        onError('broadcast', error);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    acquireProbeLease(backend, ttlMs) {
      const name = `${prefix}probe.${backend}`;
      if (locks) return webLockLease(locks, name);
      return storageLease(storage, name, tabId, clock, ttlMs);
    },
    dispose() {
      listeners.clear();
      if (channel) {
        channel.onmessage = null;
        channel.close();
      }
    },
  };
}

function defaultChannel(name: string): BroadcastChannelLike | undefined {
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => BroadcastChannelLike }).BroadcastChannel;
  return Channel ? new Channel(name) : undefined;
}

function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}
