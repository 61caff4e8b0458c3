import { CHUNK_RELOAD_KEY, ResilienceError, createReloadGuard, memoryStorage, type Clock, type OutboxSnapshot } from '../../../src/resilience';
import { chunkReload } from '../../../src/resilience/healing/strategies/chunkReload';
import { OUTBOX_SYNC_TAG } from '../../../src/protocol/serviceWorker';
import { claimAutomaticReload } from '../../../src/app/serviceWorker/autoUpdate';
import { createServiceWorkerUpdates, type ServiceWorkerUpdatesOptions } from '../../../src/app/serviceWorker/serviceWorkerUpdates';
import { serviceWorkerMode } from '../../../src/app/serviceWorker/startServiceWorker';

type Listener = (event: never) => void;

function fakeWorkbox(registration: { waiting?: object | null; sync?: { register: (tag: string) => Promise<void> } }) {
  const listeners = new Map<string, Set<Listener>>();
  const on = (type: string, listener: Listener) => {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type)!.add(listener);
  };
  const off = (type: string, listener: Listener) => void listeners.get(type)?.delete(listener);
  const workbox = {
    addEventListener: on,
    removeEventListener: off,
    register: vi.fn(async () => registration),
    messageSkipWaiting: vi.fn(),
  };
  const container = { addEventListener: on, removeEventListener: off };
  const emit = (type: string, event: object = {}) => listeners.get(type)?.forEach((listener) => listener(event as never));
  return { workbox, container, emit, registration };
}

function start(registration: Parameters<typeof fakeWorkbox>[0] = { waiting: {} }) {
  const fake = fakeWorkbox(registration);
  const reload = vi.fn();
  const onError = vi.fn();
  const updates = createServiceWorkerUpdates({
    workbox: fake.workbox as unknown as ServiceWorkerUpdatesOptions['workbox'],
    container: fake.container as unknown as ServiceWorkerUpdatesOptions['container'],
    reload,
    onError,
  });
  return { ...fake, updates, reload, onError };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('service-worker updates (workbox-window)', () => {
  it('a waiting version is announced; accepting lets it take over, then reloads this tab exactly once', async () => {
    const { updates, emit, workbox, reload } = start();
    expect(updates.snapshot()).toEqual({ updateReady: false, applying: false });
    emit('waiting');
    expect(updates.snapshot().updateReady).toBe(true);
    updates.applyUpdate();
    updates.applyUpdate(); // a double click
    await flush();
    expect(workbox.messageSkipWaiting).toHaveBeenCalledTimes(1);
    expect(reload).not.toHaveBeenCalled(); // not before the new version controls the page
    emit('controlling', { isUpdate: true });
    emit('controlling', { isUpdate: true });
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('when another tab accepted, this tab is told but not reloaded; its own Reload then just reloads', async () => {
    const { updates, emit, workbox, reload, registration } = start({ waiting: null });
    emit('controlling', { isUpdate: true });
    expect(updates.snapshot().updateReady).toBe(true);
    expect(reload).not.toHaveBeenCalled();
    expect(registration.waiting).toBeNull();
    updates.applyUpdate();
    await flush();
    expect(workbox.messageSkipWaiting).not.toHaveBeenCalled();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('the first install taking control is no update', () => {
    const { updates, emit, reload } = start();
    emit('controlling', { isUpdate: false });
    expect(updates.snapshot().updateReady).toBe(false);
    expect(reload).not.toHaveBeenCalled();
  });

  it('passes the worker’s drain requests to the handler and ignores other messages', () => {
    const { updates, emit } = start();
    const drain = vi.fn();
    const stop = updates.onDrainRequest(drain);
    emit('message', { data: { type: 'something' } });
    emit('message', { data: { type: 'outbox.drain' } });
    expect(drain).toHaveBeenCalledTimes(1);
    stop();
    emit('message', { data: { type: 'outbox.drain' } });
    expect(drain).toHaveBeenCalledTimes(1);
  });

  it('asks for Background Sync with the outbox tag where it exists; without it, or when refused, nothing breaks', async () => {
    const register = vi.fn(async () => undefined);
    await start({ waiting: null, sync: { register } }).updates.requestBackgroundSync();
    expect(register).toHaveBeenCalledWith(OUTBOX_SYNC_TAG);
    await expect(start({ waiting: null }).updates.requestBackgroundSync()).resolves.toBeUndefined();
    const refused = start({ waiting: null, sync: { register: async () => Promise.reject(new Error('NotAllowedError')) } });
    await expect(refused.updates.requestBackgroundSync()).resolves.toBeUndefined();
    expect(refused.onError).toHaveBeenCalledTimes(1);
  });
});

describe('automatic reload into a waiting version', () => {
  let now = 1_000_000;
  const clock = { now: () => now } as Clock;
  const settled = { ready: true, draining: false } as OutboxSnapshot;
  const ready = { updateReady: true, applying: false };

  it('only when nothing would be lost', () => {
    const guard = () => createReloadGuard({ clock, storage: memoryStorage() });
    expect(claimAutomaticReload({ update: ready, unsavedWork: true, outbox: settled, guard: guard() })).toBe(false);
    expect(claimAutomaticReload({ update: ready, unsavedWork: false, outbox: { ...settled, draining: true }, guard: guard() })).toBe(false);
    expect(claimAutomaticReload({ update: ready, unsavedWork: false, outbox: { ...settled, ready: false }, guard: guard() })).toBe(false);
    expect(claimAutomaticReload({ update: { updateReady: false, applying: false }, unsavedWork: false, outbox: settled, guard: guard() })).toBe(false);
    expect(claimAutomaticReload({ update: ready, unsavedWork: false, outbox: settled, guard: guard() })).toBe(true);
    expect(claimAutomaticReload({ update: ready, unsavedWork: false, outbox: null, guard: guard() })).toBe(true);
  });

  it('at most once per guard window, sharing the budget with the chunk-reload heal', async () => {
    const storage = memoryStorage();
    const guard = createReloadGuard({ clock, storage });
    const inputs = { update: ready, unsavedWork: false, outbox: settled, guard };
    expect(claimAutomaticReload(inputs)).toBe(true);
    expect(storage.getItem(CHUNK_RELOAD_KEY)).toBe(String(now));
    expect(claimAutomaticReload(inputs)).toBe(false); // the reloaded page still sees the same waiting version
    const heal = chunkReload({ clock, storage, reload: vi.fn() });
    expect(heal.canHeal(new ResilienceError('CHUNK_LOAD', 'gone'), { op: 'chunk' } as never)).toBe(false);

    now += 5 * 60_000;
    expect(heal.canHeal(new ResilienceError('CHUNK_LOAD', 'gone'), { op: 'chunk' } as never)).toBe(true);
    expect(await heal.heal(new ResilienceError('CHUNK_LOAD', 'gone'), { op: 'chunk' } as never)).toBe(true);
    expect(claimAutomaticReload(inputs)).toBe(false); // the heal spent this window's reload
  });

  it('never reloads by itself when the mark cannot be stored', () => {
    const broken = { getItem: () => null, setItem: () => undefined, removeItem: () => undefined };
    const guard = createReloadGuard({ clock, storage: broken });
    expect(claimAutomaticReload({ update: ready, unsavedWork: false, outbox: settled, guard })).toBe(false);
  });
});

describe('when the page uses the worker', () => {
  it.each([
    [{ PROD: true, DEV: false }, 'register'],
    [{ PROD: false, DEV: true }, 'off'],
    [{ PROD: false, DEV: true, VITE_SW_DEV: '1' }, 'register-dev'],
    [{ PROD: true, DEV: false, VITE_SW_KILL_SWITCH: '1' }, 'kill-switch'],
  ] as const)('%o → %s', (env, mode) => {
    expect(serviceWorkerMode(env)).toBe(mode);
  });
});
