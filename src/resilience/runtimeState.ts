import type { Clock } from './core/clock';
import type { ConnectivityState } from './core/events';
import { createListeners, type Subscribable } from './core/listeners';
import { createNotifyBatcher, microtaskScheduler } from './core/notifyBatcher';
import type { FlagsSnapshot } from './flags/featureFlags';
import type { ConnectionStatus } from './modes/connectionStatus';
import type { ModeSnapshot } from './modes/modeStore';
import type { OutboxSnapshot } from './outbox/outboxState';
import type { BreakerSnapshot } from './policies/breakerRegistry';
import type { StreamSocketSnapshot } from './transport/socket/socketTypes';

/** Everything a UI shows about the runtime, in one immutable object: a new one only after a change. */
export interface RuntimeSnapshot {
  readonly connectivity: ConnectivityState;
  readonly breakers: BreakerSnapshot;
  readonly flags: FlagsSnapshot;
  readonly outbox: OutboxSnapshot;
  readonly mode: ModeSnapshot;
  /** The runtime's own socket (`config.socket`), or null. */
  readonly socket: StreamSocketSnapshot | null;
  /** What the connection banner says, from connectivity, breakers and every socket of the runtime. */
  readonly connection: ConnectionStatus;
}

/** One source of a snapshot part: its current value and its change notices. */
interface Part<T> extends Subscribable<unknown> {
  snapshot(): T;
}

export interface RuntimeStateParts {
  connectivity: Part<ConnectivityState>;
  breakers: Part<BreakerSnapshot>;
  flags: Part<FlagsSnapshot>;
  outbox: Part<OutboxSnapshot>;
  mode: Part<ModeSnapshot>;
  socket: Part<StreamSocketSnapshot> | null;
  connection: Part<ConnectionStatus>;
}

export interface RuntimeState extends Subscribable<RuntimeSnapshot> {
  snapshot(): RuntimeSnapshot;
  dispose(): void;
}

/**
 * The runtime's one feed for a UI: `snapshot()` is always current (read it in useSyncExternalStore), and
 * `subscribe` listeners hear about changes batched: everything that changed in one synchronous burst (a batch of
 * acknowledged answers, a flags update) is one notification, in the next microtask.
 */
export function createRuntimeState(clock: Clock, parts: RuntimeStateParts, onError: (error: unknown) => void): RuntimeState {
  const listeners = createListeners<RuntimeSnapshot>(onError);
  const batcher = createNotifyBatcher(microtaskScheduler, onError);
  const read = (): RuntimeSnapshot => ({
    connectivity: parts.connectivity.snapshot(),
    breakers: parts.breakers.snapshot(),
    flags: parts.flags.snapshot(),
    outbox: parts.outbox.snapshot(),
    mode: parts.mode.snapshot(),
    socket: parts.socket ? parts.socket.snapshot() : null,
    connection: parts.connection.snapshot(),
  });
  let current = read();
  let stale = false;
  const snapshot = (): RuntimeSnapshot => {
    if (!stale) return current;
    stale = false;
    const next = read();
    const same = (Object.keys(next) as (keyof RuntimeSnapshot)[]).every((key) => next[key] === current[key]);
    if (!same) current = next;
    return current;
  };
  const notify = () => {
    const before = current;
    if (snapshot() !== before) listeners.notify(current);
  };
  const changed = () => {
    stale = true;
    batcher.schedule(notify);
  };
  const sources = [parts.connectivity, parts.breakers, parts.flags, parts.outbox, parts.mode, parts.socket, parts.connection].filter((part) => part !== null);
  const unsubscribers = sources.map((part) => part.subscribe(changed));
  return {
    snapshot,
    subscribe: listeners.subscribe,
    dispose() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      batcher.dispose();
      listeners.clear();
    },
  };
}
