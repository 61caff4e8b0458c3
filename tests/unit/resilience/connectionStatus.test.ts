import { createEventBus } from '../../../src/resilience/core/eventBus';
import type { ConnectivityState } from '../../../src/resilience/core/events';
import { createListeners } from '../../../src/resilience/core/listeners';
import { createConnectionStatus } from '../../../src/resilience/modes/connectionStatus';
import type { BreakerSnapshot } from '../../../src/resilience/policies/breakerRegistry';
import { systemClock } from '../../../src/resilience';

/** A runtime part the test sets by hand. */
function part<T>(initial: T) {
  let value = initial;
  const listeners = createListeners<unknown>(() => undefined);
  return { snapshot: () => value, subscribe: listeners.subscribe, set: (next: T) => ((value = next), listeners.notify(next)) };
}

function fixture() {
  const events = createEventBus(systemClock());
  const connectivity = part<ConnectivityState>('online');
  const breakers = part<BreakerSnapshot>({});
  const status = createConnectionStatus({ events, connectivity, breakers, onError: (error) => { throw error; } });
  const seen: string[] = [];
  status.subscribe((next) => seen.push(next.kind));
  return { events, connectivity, breakers, status, seen };
}

describe('the runtime\'s connection status', () => {
  it('follows every socket on the bus: a first connect is not a reconnection, a lost open socket is, until it opens again', () => {
    const { events, status, seen } = fixture();
    events.emit('socket.state', { state: 'connecting' });
    expect(status.snapshot().kind).toBe('online'); // the first connection: nothing to say
    events.emit('socket.state', { state: 'open' });
    events.emit('socket.reconnectScheduled', { attempt: 1, delayMs: 500, reason: 'closed (1006)' });
    events.emit('socket.state', { state: 'closed' });
    expect(status.snapshot().kind).toBe('reconnecting'); // the pause between attempts is still healing
    events.emit('socket.state', { state: 'connecting' });
    events.emit('socket.state', { state: 'open' });
    expect(status.snapshot().kind).toBe('online');
    expect(seen).toEqual(['reconnecting', 'online']); // one notice per change of what the banner says
    status.dispose();
  });

  it('offline outranks a reconnecting socket; an open breaker is limited mode; the object is the same while nothing changed', () => {
    const { events, connectivity, breakers, status } = fixture();
    breakers.set({ api: { state: 'open', openedAt: 0, reopenAt: 30_000, reason: '5 consecutive failures' } });
    const limited = status.snapshot();
    expect(limited).toEqual({ kind: 'limited', backends: ['api'] });
    breakers.set({ api: { state: 'open', openedAt: 0, reopenAt: 30_000, reason: '5 consecutive failures' } });
    expect(status.snapshot()).toBe(limited);
    events.emit('socket.state', { state: 'open' });
    events.emit('socket.state', { state: 'stale' });
    expect(status.snapshot()).toEqual({ kind: 'reconnecting', backends: ['api'] });
    connectivity.set('offline');
    expect(status.snapshot().kind).toBe('offline');
    status.dispose();
  });
});
