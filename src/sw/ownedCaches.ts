/** Cache Storage names the service worker creates: Workbox's precache (prefix `workbox-`) and the retained assets. */
export const RETAINED_ASSETS_CACHE = 'tutor-assets-retained';

export function isOwnedCache(name: string): boolean {
  return name.startsWith('workbox-') || name === RETAINED_ASSETS_CACHE;
}
