import type { SyncStorageLike } from '../core/syncStorage';

export const ANONYMOUS_ID_KEY = 'resilience.anonymousId';

/**
 * A stable random id for a visitor who is not signed in, kept in localStorage so their rollout buckets stay
 * the same across reloads. Without working storage it lasts for this page only.
 */
export function anonymousId(storage: SyncStorageLike, key = ANONYMOUS_ID_KEY): string {
  const stored = storage.getItem(key);
  if (stored !== null && stored !== '') return stored;
  const id = `anon-${randomHex()}`;
  storage.setItem(key, id);
  return id;
}

/** 128 random bits from Web Crypto (present in browsers and Node 20); never the runtime's seeded random. */
function randomHex(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
