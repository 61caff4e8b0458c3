import { RETAINED_ASSETS_CACHE, isOwnedCache } from '../../../src/sw/ownedCaches';
import { createRetainedAssets } from '../../../src/sw/retainedAssets';
import { isHashedAsset, isRuntimeOwned } from '../../../src/sw/runtimeOwned';
import { fakeCaches } from './fakeCaches';

const ORIGIN = 'https://tutor.test';
const PRECACHE = 'workbox-precache-v2-https://tutor.test/';
const url = (path: string) => `${ORIGIN}${path}`;

async function world(openTabs: string[]) {
  const caches = fakeCaches();
  const tabs = { ids: openTabs };
  const clients = { matchAll: async () => tabs.ids.map((id) => ({ id })) };
  // The outgoing version's precache: its shell and chunks.
  const precache = await caches.open(PRECACHE);
  await precache.put(url('/index.html?__WB_REVISION__=abc'), new Response('<html>v1</html>'));
  await precache.put(url('/assets/index-v1.js'), new Response('main v1'));
  await precache.put(url('/assets/TutorChat-v1.js'), new Response('tutor v1'));
  await precache.put(url('/assets/shared-same.css'), new Response('css'));
  const currentUrls = new Set([url('/index.html'), url('/assets/index-v2.js'), url('/assets/TutorChat-v2.js'), url('/assets/shared-same.css')]);
  const retained = createRetainedAssets({ caches, clients, precacheName: PRECACHE, currentUrls });
  return { caches, tabs, retained };
}

describe('retained assets (the previous version’s chunks)', () => {
  it('at install copies the old hashed chunks the new manifest drops, and serves them after activation', async () => {
    const { caches, retained } = await world(['old-tab']);
    expect(await retained.retainPrevious()).toBe(2);
    expect(caches.urls(RETAINED_ASSETS_CACHE).sort()).toEqual([url('/assets/TutorChat-v1.js'), url('/assets/index-v1.js')]);
    // Workbox's activation then deletes the old entries from the precache; the copies stay.
    await caches.delete(PRECACHE);
    await retained.recordOpenTabs();
    const served = await retained.match(new Request(url('/assets/TutorChat-v1.js')));
    expect(await served?.text()).toBe('tutor v1');
    expect(await retained.match(new Request(url('/assets/unknown.js')))).toBeUndefined();
  });

  it('keeps them while a tab open at activation is still open, and deletes them once none is', async () => {
    const { caches, tabs, retained } = await world(['old-tab', 'other-old-tab']);
    await retained.retainPrevious();
    await retained.recordOpenTabs();
    tabs.ids = ['other-old-tab', 'new-tab'];
    expect(await retained.cleanup()).toBe(false);
    expect(caches.names()).toContain(RETAINED_ASSETS_CACHE);
    tabs.ids = ['new-tab'];
    expect(await retained.cleanup()).toBe(true);
    expect(caches.names()).not.toContain(RETAINED_ASSETS_CACHE);
    expect(await retained.match(new Request(url('/assets/TutorChat-v1.js')))).toBeUndefined();
  });

  it('never cleans up between a new version’s install and its activation (the outgoing worker still runs)', async () => {
    const { caches, tabs, retained } = await world(['old-tab']);
    await retained.retainPrevious();
    await retained.recordOpenTabs();
    // The next version installs while all recorded tabs have closed: its copies must survive until it records.
    tabs.ids = ['tab-opened-later'];
    await retained.retainPrevious();
    expect(await retained.cleanup()).toBe(false);
    expect(caches.names()).toContain(RETAINED_ASSETS_CACHE);
    await retained.recordOpenTabs();
    expect(await retained.cleanup()).toBe(false); // 'tab-opened-later' runs an older version now
  });

  it('copies nothing on a first install', async () => {
    const caches = fakeCaches();
    const retained = createRetainedAssets({ caches, clients: { matchAll: async () => [] }, precacheName: PRECACHE, currentUrls: new Set() });
    expect(await retained.retainPrevious()).toBe(0);
    await retained.recordOpenTabs();
    expect(await retained.cleanup()).toBe(false);
    expect(caches.names()).toEqual([]);
  });
});

describe('what the worker leaves to the runtime', () => {
  it.each(['/api/lessons', '/api', '/ws/tutor', '/__stats', '/__chaos/reset', '/admin', '/admin/', '/admin.html', '/admin/api/interventions'])('%s is runtime-owned', (path) => {
    expect(isRuntimeOwned(path)).toBe(true);
  });
  it.each(['/', '/index.html', '/assets/index-x.js', '/apiary', '/lessons/fractions', '/administration'])('%s is not', (path) => {
    expect(isRuntimeOwned(path)).toBe(false);
  });
  it('hashed assets are only this origin’s /assets/ files', () => {
    expect(isHashedAsset(new URL(url('/assets/a.js')), ORIGIN)).toBe(true);
    expect(isHashedAsset(new URL('https://cdn.test/assets/a.js'), ORIGIN)).toBe(false);
    expect(isHashedAsset(new URL(url('/api/assets')), ORIGIN)).toBe(false);
  });
  it('the kill switch deletes only the worker’s own caches', () => {
    expect(['workbox-precache-v2-x', RETAINED_ASSETS_CACHE, 'someone-else'].filter(isOwnedCache)).toEqual(['workbox-precache-v2-x', RETAINED_ASSETS_CACHE]);
  });
});
