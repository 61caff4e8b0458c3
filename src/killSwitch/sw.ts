/// <reference lib="webworker" />
/**
 * The kill switch (docs/operations.md "Service worker"): built instead of src/sw.ts (as sw.js) with
 * `VITE_SW_KILL_SWITCH=1 npm run build`. Browsers that check for an update find this worker: it installs at
 * once, deletes the caches the real worker made and unregisters itself. It has no fetch handler, so every
 * request goes to the network, and it reloads no tab: open pages keep running, the next load comes from the
 * server as if no worker had ever been installed.
 */
import { isOwnedCache } from '../sw/ownedCaches';

declare const self: ServiceWorkerGlobalScope;

self.addEventListener('install', () => void self.skipWaiting());

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await self.caches.keys();
      await Promise.all(names.filter(isOwnedCache).map((name) => self.caches.delete(name)));
      await self.registration.unregister();
    })(),
  );
});
