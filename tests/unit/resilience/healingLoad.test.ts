import type { ResilienceEvent } from '../../../src/resilience';
import { systemClock } from '../../../src/resilience/core/clock';
import { ResilienceError } from '../../../src/resilience/core/errors';
import { createEventBus } from '../../../src/resilience/core/eventBus';
import type { FeatureFlags } from '../../../src/resilience/flags/featureFlags';
import { createHealing, type LoadHealingStrategies } from '../../../src/resilience/healing/healingWiring';
import type { ConnectivityMonitor } from '../../../src/resilience/transport/connectivity';
import type { StreamSockets } from '../../../src/resilience/transport/streamSocketWiring';

/**
 * The healing system while its later strategies (socket, API, storage, memory: laterStrategies.ts, the real
 * ones) load; the load waits for `release()`, fails the first time if asked, or never settles.
 */
function setup(mode: 'gated' | 'failOnce' | 'never' = 'gated') {
  const clock = systemClock();
  const events = createEventBus(clock);
  const heard: ResilienceEvent[] = [];
  events.subscribe((event) => heard.push(event));
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const loads: number[] = [];
  const load: LoadHealingStrategies = () => {
    loads.push(loads.length + 1);
    if (mode === 'never') return new Promise(() => undefined);
    if (mode === 'failOnce' && loads.length === 1) return Promise.reject(new Error('chunk gone'));
    return gate.then(() => import('../../../src/resilience/healing/laterStrategies'));
  };
  const session = new Map<string, string>();
  const reloads: number[] = [];
  const reopened: number[] = [];
  const services = createHealing({
    clock,
    events,
    flags: { isEnabled: () => true } as unknown as FeatureFlags,
    connectivity: { probe: async () => true } as unknown as ConnectivityMonitor,
    sockets: { live: () => [] } as unknown as StreamSockets,
    config: {
      reload: () => void reloads.push(1),
      sessionStorage: { getItem: (key) => session.get(key) ?? null, setItem: (key, value) => void session.set(key, value), removeItem: (key) => void session.delete(key) },
      reopenStorage: async () => void reopened.push(1),
      memorySampler: false,
    },
    load,
  });
  return { ...services, heard, loads, release, reloads, reopened };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const storageClosed = () => new ResilienceError('STORAGE_CLOSED', 'the connection closed');

describe('self-healing while its later strategies load', () => {
  it('an error handled before the strategies are there waits for them, then heals', async () => {
    const { healing, release, reopened, dispose } = setup();
    const outcome = healing.handleError(storageClosed());
    await settle();
    expect(reopened).toEqual([]);
    release();
    await expect(outcome).resolves.toEqual({ healed: true, strategy: 'storageReconnection' });
    expect(reopened).toEqual([1]);
    dispose();
  });

  it('a chunk that fails to load is healed by first-load code, even while (or when) the rest never arrives', async () => {
    const { healing, reloads, dispose } = setup('never');
    const outcome = healing.handleError(new ResilienceError('CHUNK_LOAD', 'Failed to fetch dynamically imported module'));
    await expect(Promise.race([outcome, settle().then(() => 'still waiting')])).resolves.toEqual({ healed: true, strategy: 'chunkReload' });
    expect(reloads).toEqual([1]);
    dispose();
  });

  it('a failed load is reported and the error is not healed, as with no strategy; the next error loads again and heals', async () => {
    const { healing, heard, loads, release, dispose } = setup('failOnce');
    await expect(healing.handleError(storageClosed())).resolves.toMatchObject({ healed: false });
    expect(heard).toContainEqual(expect.objectContaining({ type: 'runtime.internalError', subsystem: 'healing', message: expect.stringContaining('chunk gone') }));
    const again = healing.handleError(storageClosed());
    expect(loads).toEqual([1, 2]);
    release();
    await expect(again).resolves.toEqual({ healed: true, strategy: 'storageReconnection' });
    dispose();
  });
});
