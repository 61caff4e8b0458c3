/**
 * Paths the service worker never answers or caches: the API, the tutor socket and the development endpoints
 * (the resilience runtime owns them: its breakers, outbox and response cache must see the real network), and the
 * admin area (its own page, which the server serves only with ADMIN_TOKEN: never the student app in its place).
 */
const RUNTIME_OWNED = [/^\/api(\/|$)/, /^\/ws(\/|$)/, /^\/__/, /^\/admin(\/|\.html$|$)/];

export function isRuntimeOwned(pathname: string): boolean {
  return RUNTIME_OWNED.some((pattern) => pattern.test(pathname));
}

/** The runtime-owned patterns, for Workbox's NavigationRoute denylist. */
export const RUNTIME_OWNED_PATTERNS: readonly RegExp[] = RUNTIME_OWNED;

/** A hashed build file of this origin (`/assets/…`): immutable, safe to serve from any cache. */
export function isHashedAsset(url: URL, origin: string): boolean {
  return url.origin === origin && url.pathname.startsWith('/assets/');
}
