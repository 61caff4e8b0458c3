/**
 * What the page and the service worker (src/sw.ts) say to each other. Types and constants only; the worker's
 * own tsconfig (tsconfig.sw.json) and the app's both include this file.
 */

/** Where the built service worker is served (scope `/`). */
export const SERVICE_WORKER_URL = '/sw.js';

/** Background Sync tag the page registers while answers wait in the outbox. */
export const OUTBOX_SYNC_TAG = 'outbox-drain';

/** Worker → tab: connectivity returned (Background Sync fired); drain the outbox with the tab's own trigger. */
export interface OutboxDrainMessage {
  readonly type: 'outbox.drain';
}

/** Tab → waiting worker: take over now (sent by workbox-window's `messageSkipWaiting()`). */
export interface SkipWaitingMessage {
  readonly type: 'SKIP_WAITING';
}

export function isOutboxDrainMessage(data: unknown): data is OutboxDrainMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'outbox.drain';
}

export function isSkipWaitingMessage(data: unknown): data is SkipWaitingMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'SKIP_WAITING';
}
