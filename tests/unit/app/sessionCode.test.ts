import { sessionCodeLoader } from '../../../src/app/resilience/sessionCode';
import { createReloadGuard, memoryStorage, type Clock } from '../../../src/resilience';

const chunkError = () => new TypeError('Failed to fetch dynamically imported module: http://x.test/assets/appSession-abc.js');

function setup(results: Array<() => Promise<string>>, online = true) {
  let now = 1_000;
  const clock: Clock = { now: () => now } as Clock;
  const storage = memoryStorage();
  const guard = createReloadGuard({ clock, storage });
  const reload = vi.fn();
  const load = vi.fn(() => (results.shift() ?? (() => Promise.resolve('code')))());
  const alongside = vi.fn(() => Promise.reject(new Error('afterFirstLoad failed too')));
  const loader = sessionCodeLoader({ load, alongside, guard, reload, online: () => online });
  return { loader, load, alongside, reload, storage, later: (ms: number) => (now += ms) };
}

const settled = async (promise: Promise<unknown>) => {
  let state = 'pending';
  promise.then(() => (state = 'resolved'), () => (state = 'rejected'));
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
  return state;
};

describe("loading a signed-in student's session code", () => {
  it('loads once for the entry and the first session, with the runtime chunk started alongside', async () => {
    const { loader, load, alongside } = setup([]);
    const [a, b] = [loader(), loader()];
    expect(await a).toBe('code');
    expect(await b).toBe('code');
    expect(load).toHaveBeenCalledTimes(1);
    expect(alongside).toHaveBeenCalledTimes(1);
  });

  it('a chunk gone after a deploy reloads the tab once and stays pending while the page goes', async () => {
    const { loader, reload } = setup([() => Promise.reject(chunkError())]);
    const loading = loader();
    expect(await settled(loading)).toBe('pending');
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('within the reload window it never reloads again: the failure is the app\'s to say, and Try again loads anew', async () => {
    const { loader, reload, load, later } = setup([() => Promise.reject(chunkError()), () => Promise.reject(chunkError())]);
    void loader();
    await settled(Promise.resolve());
    later(60_000);
    await expect(loader()).rejects.toMatchObject({ code: 'CHUNK_LOAD', message: expect.stringContaining('Failed to fetch dynamically imported module') });
    expect(reload).toHaveBeenCalledTimes(1);
    expect(await loader()).toBe('code');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('offline, or for any other error, it rejects without reloading (the browser would show its own error page)', async () => {
    const offline = setup([() => Promise.reject(chunkError())], false);
    await expect(offline.loader()).rejects.toThrow('dynamically imported module');
    expect(offline.reload).not.toHaveBeenCalled();
    const broken = setup([() => Promise.reject(new Error('createAppSession is not a function'))]);
    await expect(broken.loader()).rejects.toThrow('not a function');
    expect(broken.reload).not.toHaveBeenCalled();
  });
});
