/** Browser entry of the outbox enqueue benchmark: bundled by bench/chromium.ts and run in Chromium (real IndexedDB). */
import { measureEnqueue, type EnqueueOptions, type EnqueueResult } from './outbox.enqueue';

globalThis.__bench = ((options: EnqueueOptions): Promise<EnqueueResult> =>
  measureEnqueue({ indexedDB: globalThis.indexedDB, localStorage: globalThis.localStorage }, options)) as (args: unknown) => Promise<unknown>;
