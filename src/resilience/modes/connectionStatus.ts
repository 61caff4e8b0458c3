import type { EventBus } from '../core/eventBus';
import type { ConnectivityState } from '../core/events';
import { createListeners, type Subscribable } from '../core/listeners';
import type { BreakerSnapshot } from '../policies/breakerRegistry';

/** What the tutor socket last reported; `idle` until a socket manager emits anything. */
export type SocketStatus = 'idle' | 'connecting' | 'open' | 'stale' | 'closed';

/**
 * What the connection banner tells the student, derived from runtime state only:
 * `offline` (the health probe failed), `reconnecting` (a socket that was open is coming back, including the
 * pauses between its attempts; `backends` lists breakers open meanwhile, so the words can say what still works),
 * `limited` (a backend's breaker is open or half-open), or `online` (nothing to say).
 */
export type ConnectionStatus =
  | { readonly kind: 'online' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'reconnecting'; readonly backends: readonly string[] }
  | { readonly kind: 'limited'; readonly backends: readonly string[] };

/** What the connection status is derived from (see {@link deriveConnectionStatus}). */
export interface ConnectionInputs {
  readonly connectivity: ConnectivityState;
  readonly breakers: BreakerSnapshot;
  readonly socket: SocketStatus;
  /** True once the socket has been open: its first `connecting` is not a *re*connection. */
  readonly socketWasOpen: boolean;
  /** A reconnect is scheduled: `closed` is the pause between attempts, not the end. */
  readonly socketRetrying?: boolean;
}

const ONLINE: ConnectionStatus = Object.freeze({ kind: 'online' });
const OFFLINE: ConnectionStatus = Object.freeze({ kind: 'offline' });
const RECONNECTING: ConnectionStatus = Object.freeze({ kind: 'reconnecting', backends: Object.freeze([]) });

/** Offline outranks everything (nothing else can work), then a reconnecting socket, then open breakers. */
export function deriveConnectionStatus(inputs: ConnectionInputs): ConnectionStatus {
  if (inputs.connectivity === 'offline') return OFFLINE;
  const backends = Object.entries(inputs.breakers)
    .filter(([, state]) => state.state !== 'closed')
    .map(([backend]) => backend)
    .sort();
  if (inputs.socketWasOpen && (inputs.socket === 'connecting' || inputs.socket === 'stale' || (inputs.socket === 'closed' && inputs.socketRetrying === true))) {
    return backends.length > 0 ? { kind: 'reconnecting', backends } : RECONNECTING;
  }
  return backends.length > 0 ? { kind: 'limited', backends } : ONLINE;
}

/** Structural equality, so the store keeps the previous object and subscribers do not re-render. */
export function sameConnectionStatus(a: ConnectionStatus, b: ConnectionStatus): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'online' || a.kind === 'offline' || (b.kind !== 'limited' && b.kind !== 'reconnecting')) return true;
  return a.backends.length === b.backends.length && a.backends.every((backend, i) => backend === b.backends[i]);
}

/** Where the connection status is computed from: the runtime's bus (every socket's events) and its parts. */
export interface ConnectionStatusSources {
  events: EventBus;
  connectivity: { snapshot(): ConnectivityState } & Subscribable<unknown>;
  breakers: { snapshot(): BreakerSnapshot } & Subscribable<unknown>;
  onError: (error: unknown) => void;
}

/** The connection status as a runtime part: always current, the same object while the status is unchanged. */
export interface ConnectionStatusPart extends Subscribable<ConnectionStatus> {
  snapshot(): ConnectionStatus;
  dispose(): void;
}

/**
 * Follows every socket of the runtime (its own and `connectSocket`'s: they report on the same bus), the
 * connectivity monitor and the breakers, and keeps {@link deriveConnectionStatus} of them current, so every
 * UI reads one status from the runtime instead of deriving its own.
 */
export function createConnectionStatus(sources: ConnectionStatusSources): ConnectionStatusPart {
  const listeners = createListeners<ConnectionStatus>(sources.onError);
  let socket: SocketStatus = 'idle';
  let socketWasOpen = false;
  let socketRetrying = false;
  const derive = () => deriveConnectionStatus({ connectivity: sources.connectivity.snapshot(), breakers: sources.breakers.snapshot(), socket, socketWasOpen, socketRetrying });
  let current = derive();
  const recompute = () => {
    const next = derive();
    if (sameConnectionStatus(current, next)) return;
    current = next;
    listeners.notify(current);
  };
  const unsubscribers = [
    sources.events.subscribe((event) => {
      if (event.type === 'socket.reconnectScheduled') socketRetrying = true; // emitted just before the `closed` it explains
      else if (event.type === 'socket.state') {
        socket = event.state;
        if (event.state === 'open') socketWasOpen = true;
        if (event.state === 'open') socketRetrying = false;
      } else return;
      recompute();
    }),
    sources.connectivity.subscribe(recompute),
    sources.breakers.subscribe(recompute),
  ];
  return {
    snapshot: () => current,
    subscribe: listeners.subscribe,
    dispose() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      listeners.clear();
    },
  };
}
