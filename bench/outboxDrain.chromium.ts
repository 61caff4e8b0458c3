/**
 * Outbox drain in Chromium with real IndexedDB and Web Locks, against the local server in its own process, which
 * also serves the bench page (same origin, the session cookie, as in the app): 1,000 answers in 4 lesson scopes,
 * ours vs a naive Workbox-style replay, batched both and one request per entry both, interleaved rounds, the server
 * reset in between, exactly-once and per-scope order checked from /__stats each time. Then R4: 200 answers saved
 * while the browser is offline, and the time from its `online` event to an empty outbox (no sync forced).
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../tests/helpers/browser';
import { chromiumAvailable } from './chromium';
import type { DrainContender } from './outboxDrain.browser';
import { verifyExactlyOnce, type Queued } from './outboxVerify';
import { startServerProcess, type ServerProcess } from './outbox.server';
import { ratio, type PartResult, type SummaryRow } from './summary';

const ANSWERS = 1_000;
const OFFLINE_ANSWERS = 200;
const ROUNDS = 3;
const CONTENDERS: readonly DrainContender[] = ['ours, batched', 'naive, batched', 'ours, one per entry', 'naive, one per entry'];

type Bench = { drain(a: { contender: DrainContender; answers: number }): Promise<{ ms: number; queued: Queued[] }>; enqueueOffline(a: { answers: number }): Promise<{ queued: Queued[]; pending: number }>; waitEmpty(): Promise<number>; signIn(): Promise<void> };
declare global {
  var __drainBench: Bench | undefined;
}

export async function runOutboxDrainChromium(): Promise<PartResult> {
  if (!chromiumAvailable()) return { text: 'skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)', rows: [] };
  const staticDir = mkdtempSync(join(tmpdir(), 'drain-bench-page-'));
  const bundle = await build({ entryPoints: [fileURLToPath(new URL('./outboxDrain.browser.ts', import.meta.url))], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  writeFileSync(join(staticDir, 'bench.js'), bundle.outputFiles[0]?.text ?? '');
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>drain bench</title><script src="/bench.js"></script>');
  const server = await startServerProcess({ staticDir });
  const session = await launchBrowser();
  try {
    const page = await session.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => globalThis.__drainBench !== undefined);
    const times = new Map<DrainContender, number[]>(CONTENDERS.map((c) => [c, []]));
    const checks = new Map<DrainContender, Set<string>>(CONTENDERS.map((c) => [c, new Set()]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const contender of CONTENDERS) {
        await server.reset();
        const { ms, queued } = await page.evaluate((args) => (globalThis.__drainBench as Bench).drain(args), { contender, answers: ANSWERS });
        times.get(contender)?.push(ms);
        checks.get(contender)?.add(await verifyExactlyOnce(server, queued));
      }
    }
    const r4 = await timeToEmpty(page, server, session.context);
    const ms = (c: DrainContender) => median(times.get(c) ?? []);
    const browser = await page.evaluate(() => navigator.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent);
    const text = [
      `outbox drain — ${browser}, real IndexedDB and Web Locks, the page served by the local server (same origin), ${ANSWERS} answers in 4 lesson scopes, median of ${ROUNDS} interleaved rounds`,
      '',
      ...CONTENDERS.map((c) => `drain, ${c.padEnd(22)} ${rate(ms(c))} answers/s   ${[...(checks.get(c) ?? [])].join(' | ')}   (rounds ${(times.get(c) ?? []).map((t) => rate(t).trim()).join(', ')})`),
      '',
      `R4: ${OFFLINE_ANSWERS} answers saved offline, then online: empty ${r4.ms.toFixed(0)} ms after the browser's online event (${r4.check})`,
    ].join('\n');
    const row = (ours: DrainContender, naive: DrainContender, endpoint: string): SummaryRow => ({
      figure: `outbox drain 1,000 in Chromium, ${endpoint}, answers/s`,
      ours: rate(ms(ours)).trim(),
      peer: `naive ${rate(ms(naive)).trim()}`,
      ratio: ratio(ms(naive), ms(ours)),
      goal: '≥ naive, exactly once, in order',
      method: `real IndexedDB, ${ROUNDS} interleaved rounds; ${[...(checks.get(ours) ?? [])].every((c) => c.startsWith('exactly-once yes, per-scope order yes')) ? 'once+order ok' : 'CHECK FAILED'}`,
    });
    return {
      text,
      rows: [
        row('ours, one per entry', 'naive, one per entry', 'single requests both'),
        row('ours, batched', 'naive, batched', 'batched both'),
        { figure: `R4 time to empty after reconnect, ${OFFLINE_ANSWERS} answers`, ours: `${r4.ms.toFixed(0)} ms`, peer: '—', ratio: '—', goal: '—', method: `Chromium offline → online, no sync forced; ${r4.check}` },
      ],
    };
  } finally {
    await session.close();
    await server.stop();
    rmSync(staticDir, { recursive: true, force: true });
  }
}

async function timeToEmpty(page: Page, server: ServerProcess, context: { setOffline(offline: boolean): Promise<void> }): Promise<{ ms: number; check: string }> {
  await server.reset();
  await page.evaluate(() => (globalThis.__drainBench as Bench).signIn());
  await context.setOffline(true);
  const { queued, pending } = await page.evaluate((answers) => (globalThis.__drainBench as Bench).enqueueOffline({ answers }), OFFLINE_ANSWERS);
  await context.setOffline(false);
  const ms = await page.evaluate(() => (globalThis.__drainBench as Bench).waitEmpty());
  // `pending` is what the outbox's snapshot counted while offline: every answer saved, none sent.
  return { ms, check: `${pending} of ${OFFLINE_ANSWERS} shown pending offline; ${await verifyExactlyOnce(server, queued)}` };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const rate = (ms: number) => ((ANSWERS * 1000) / ms).toFixed(0).padStart(6);
