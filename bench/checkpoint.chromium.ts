/**
 * Checkpoint save p50/p95 and boot-restore time in Chromium with real IndexedDB on a fresh on-disk profile
 * (issue 14; goal: save p50 ≤ 2 ms for a 10 KB state). Figures are reported, never asserted.
 */
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, runInChromium } from './chromium';
import type { CheckpointBenchOptions, CheckpointBenchResult, Figures } from './checkpoint.measure';

const OPTIONS: CheckpointBenchOptions = { stateBytes: 10 * 1024, saves: 200, warmup: 20, storedAtBoot: [1, 10, 100], boots: 20 };
const GOAL_P50_MS = 2;

export async function runCheckpointChromium(options: CheckpointBenchOptions = OPTIONS): Promise<string> {
  if (!chromiumAvailable()) return 'skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
  const entry = fileURLToPath(new URL('./checkpoint.browser.ts', import.meta.url));
  const { result, browser } = await runInChromium<CheckpointBenchOptions, CheckpointBenchResult>(entry, options);
  const row = (name: string, f: Figures) => `${name.padEnd(34)}${[f.median, f.p95, f.max].map(cell).join('')}`;
  return [
    `checkpoints — ${browser} (real IndexedDB, fresh on-disk profile, http://127.0.0.1 page), state ≈ ${(result.bodyBytes / 1024).toFixed(1)} KB of JSON`,
    `${options.saves} sequential awaited saves after ${options.warmup} untimed; restore: ${options.boots} boots per size; ms`,
    '',
    `${''.padEnd(34)}  median     p95     max`,
    row('save (Web Crypto SHA-256)', result.save),
    row('save (plain-JS SHA-256)', result.saveJsHash),
    ...result.restore.map((r) => row(`restore at boot, ${r.stored} stored`, r)),
    '',
    `goal save p50 ≤ ${GOAL_P50_MS} ms: ${result.save.median <= GOAL_P50_MS ? 'met' : 'NOT met'} (${fmt(result.save.median)} ms)${result.durable ? '' : ' — WARNING: memory fallback measured (durable: false)'}`,
  ].join('\n');
}

const fmt = (value: number) => (value < 1 ? value.toFixed(3) : value.toFixed(2));
const cell = (value: number) => fmt(value).padStart(8);
