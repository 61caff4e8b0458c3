/// <reference lib="webworker" />
/**
 * The app's service worker (built by vite-plugin-pwa, strategy injectManifest; docs/operations.md "Service
 * worker"). It makes the app start offline and keeps updates from costing the student work:
 * - precaches the shell (index.html) and every built file; navigations get the precached shell, so the page
 *   is always the version of the active worker and starts without a network;
 * - never answers /api/, /ws/ or /__* (the resilience runtime owns them);
 * - a new version waits until a tab sends SKIP_WAITING (the student accepted, or nothing would be lost);
 * - keeps the previous versions' chunks while a tab that loaded them is open (sw/retainedAssets.ts);
 * - Background Sync for the outbox only asks the open tabs to drain; it never sends the queue itself.
 */
import { clientsClaim, cacheNames } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isSkipWaitingMessage } from './protocol/serviceWorker';
import { wakeTabsForSync } from './sw/outboxWakeUp';
import { createRetainedAssets } from './sw/retainedAssets';
import { isHashedAsset, RUNTIME_OWNED_PATTERNS } from './sw/runtimeOwned';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

const manifest = self.__WB_MANIFEST;
const origin = self.location.origin;
const currentUrls = new Set(manifest.map((entry) => new URL(typeof entry === 'string' ? entry : entry.url, self.location.href).href.replace(/\?.*$/, '')));
const retained = createRetainedAssets({ caches: self.caches, clients: self.clients, precacheName: cacheNames.precache, currentUrls });

// Registered before Workbox's own install/activate listeners: the outgoing version's entries are copied
// while they still exist.
self.addEventListener('install', (event) => event.waitUntil(retained.retainPrevious()));
self.addEventListener('activate', (event) => event.waitUntil(retained.recordOpenTabs().then(() => retained.cleanup())));

precacheAndRoute(manifest);
cleanupOutdatedCaches();
clientsClaim();

registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [...RUNTIME_OWNED_PATTERNS] }));

// Hashed files the precache does not hold (an older version's chunk, asked for by a tab that loaded it):
// the retained copy, else the network. Never cached here: a 404 stays a 404, so the page's chunk heal applies.
registerRoute(
  ({ url }) => isHashedAsset(url, origin),
  async ({ request }) => (await retained.match(request)) ?? fetch(request),
);

self.addEventListener('fetch', (event) => {
  if (event.request.mode === 'navigate') event.waitUntil(retained.cleanup());
});

self.addEventListener('message', (event) => {
  if (isSkipWaitingMessage(event.data)) void self.skipWaiting();
});

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  sync.waitUntil(wakeTabsForSync(sync.tag, self.clients));
});
