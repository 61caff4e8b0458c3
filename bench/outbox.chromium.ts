/**
 * Outbox enqueue latency in Chromium (issue 4: median, p95; goal p50 ≤ 2 ms) with real IndexedDB on a fresh
 * on-disk profile, next to the same measurement in Node with fake-indexeddb (bench/outbox.enqueue.ts).
 */
import { fileURLToPath } from 'node:url';
import { IDBFactory } from 'fake-indexeddb';
import { chromiumAvailable, runInChromium } from './chromium';
import { ENQUEUE_CONTENDERS, measureEnqueue, type EnqueueOptions, type EnqueueResult, type EnqueueRow } from './outbox.enqueue';

const OPTIONS: EnqueueOptions = { answers: 500, warmup: 50, rounds: 3 };
const GOAL_P50_MS = 2;

export async function runOutboxChromium(options: EnqueueOptions = OPTIONS): Promise<string> {
  const node = await measureInNode(options);
  if (!chromiumAvailable()) return `skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)\n\n${table(null, node)}`;
  const entry = fileURLToPath(new URL('./outbox.browser.ts', import.meta.url));
  const { result, browser } = await runInChromium<EnqueueOptions, EnqueueResult>(entry, options);
  const submit = result.rows[0]?.median ?? NaN;
  return [
    `outbox enqueue — ${browser} (real IndexedDB, fresh on-disk profile, http://127.0.0.1 page${result.crossOriginIsolated ? '' : ', timer resolution 0.1 ms'}) vs Node ${process.version} (fake-indexeddb)`,
    `${options.rounds} rounds × ${options.answers} sequential awaited calls per contender after ${options.warmup} untimed, fresh database per round, samples pooled; ms`,
    '',
    table(result, node),
    '',
    `goal p50 ≤ ${GOAL_P50_MS} ms (outbox.submit, Chromium): ${submit <= GOAL_P50_MS ? 'met' : 'NOT met'} (${fmt(submit)} ms)${result.durable ? '' : ' — WARNING: memory fallback measured (durable: false)'}`,
  ].join('\n');
}

async function measureInNode(options: EnqueueOptions): Promise<EnqueueResult> {
  const factory = new IDBFactory();
  const global = globalThis as { indexedDB?: IDBFactory };
  const previous = global.indexedDB;
  global.indexedDB = factory; // idb-keyval opens through the global
  try {
    return await measureEnqueue({ indexedDB: factory, localStorage: null, runtime: { storage: { local: null } } }, options);
  } finally {
    if (previous === undefined) delete global.indexedDB;
    else global.indexedDB = previous;
  }
}

function table(chromium: EnqueueResult | null, node: EnqueueResult): string {
  const width = Math.max(...ENQUEUE_CONTENDERS.map((name) => name.length));
  const header = `${''.padEnd(width)}   ${'Chromium  median     p95     max'}   ${'Node fake-idb  median     p95'}`;
  const line = (name: string, c: EnqueueRow | undefined, n: EnqueueRow | undefined) =>
    `${name.padEnd(width)}   ${'        '}${[c?.median, c?.p95, c?.max].map(cell).join('')}   ${'             '}${[n?.median, n?.p95].map(cell).join('')}`;
  return [header, ...ENQUEUE_CONTENDERS.map((name, index) => line(name, chromium?.rows[index], node.rows[index]))].join('\n');
}

const fmt = (value: number) => (value < 1 ? value.toFixed(3) : value.toFixed(2));
const cell = (value: number | null | undefined) => (value === null || value === undefined ? '—' : fmt(value)).padStart(8);
