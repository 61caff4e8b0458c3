/**
 * Service worker figures (issue 12): what the worker precaches (files, bytes), and time to interactive of a
 * repeat visit — online, and offline with the server stopped — in Debian Chromium. "Interactive" is the first
 * moment the lesson list's links are in the page (from the network, or the saved copy offline), measured in
 * the page from navigation start (performance.now()). A production build is made into a temporary directory
 * first: run it under the browser lock (`flock /tmp/browser.lock npm run bench -- sw`).
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../tests/helpers/browser';
import { signIn } from '../tests/helpers/e2e';
import { startTestServer } from '../tests/helpers/server';
import { buildApp, waitForServiceWorkerControl } from '../tests/helpers/swBuilds';
import { chromiumAvailable } from './chromium';

const ROUNDS = 9;

export async function runServiceWorkerChromium(rounds = ROUNDS): Promise<string> {
  if (!chromiumAvailable()) return 'skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
  const build = buildApp({}, 'bench');
  try {
    const precache = precacheSize(build);
    const server = await startTestServer({ staticDir: build });
    const browser = await launchBrowser({ serviceWorkers: 'allow' });
    try {
      const page = await browser.newPage();
      await page.addInitScript(markInteractive);
      await signIn(page, server.url, 'Bench');
      await waitForServiceWorkerControl(page);
      const online = await repeatVisits(page, server.url, rounds);
      await server.server.close();
      const offline = await repeatVisits(page, server.url, rounds);
      const agent = await page.evaluate(() => navigator.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent);
      return [
        `precache: ${precache.files} files, ${precache.bytes} bytes (${(precache.bytes / 1024).toFixed(1)} KiB, uncompressed)`,
        '',
        `repeat visit, time to interactive — ${agent}, ${rounds} reloads each, ms from navigation start`,
        `${'visit'.padEnd(34)}${'median'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}${'shell (median)'.padStart(16)}`,
        row('online (worker + network API)', online),
        row('offline (server stopped)', offline),
      ].join('\n');
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
}

/** The manifest injected into sw.js, with the size of each file on disk. */
function precacheSize(build: string): { files: number; bytes: number } {
  const source = readFileSync(join(build, 'sw.js'), 'utf8');
  const match = /\[\{"revision":.*?\}\]/.exec(source);
  if (!match) throw new Error('sw.js has no injected precache manifest');
  const entries = JSON.parse(match[0]) as { url: string }[];
  return { files: entries.length, bytes: entries.reduce((sum, entry) => sum + statSync(join(build, entry.url)).size, 0) };
}

/** Installed in every document: notes when the app's first heading (the shell) and the first lesson link appear. */
function markInteractive(): void {
  const marks = globalThis as { __shellAt?: number; __interactiveAt?: number };
  const observer = new MutationObserver(() => {
    if (marks.__shellAt === undefined && document.querySelector('h1')) marks.__shellAt = performance.now();
    if (!document.querySelector('a[href*="#/lessons/"]')) return;
    marks.__interactiveAt = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}

interface Visits {
  shell: number[];
  interactive: number[];
}

async function repeatVisits(page: Page, url: string, rounds: number): Promise<Visits> {
  const visits: Visits = { shell: [], interactive: [] };
  for (let i = 0; i < rounds; i += 1) {
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { __interactiveAt?: number }).__interactiveAt !== undefined, undefined, { timeout: 20_000 });
    const marks = await page.evaluate(() => {
      const { __shellAt, __interactiveAt } = globalThis as { __shellAt?: number; __interactiveAt?: number };
      return { shell: __shellAt ?? NaN, interactive: __interactiveAt ?? NaN };
    });
    visits.shell.push(marks.shell);
    visits.interactive.push(marks.interactive);
  }
  return visits;
}

function row(name: string, visits: Visits): string {
  const stats = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return [sorted[Math.floor(sorted.length / 2)] ?? NaN, sorted[0] ?? NaN, sorted[sorted.length - 1] ?? NaN];
  };
  const [median, min, max] = stats(visits.interactive).map((v) => v.toFixed(1).padStart(8));
  return `${name.padEnd(34)}${median}${min}${max}${(stats(visits.shell)[0] ?? NaN).toFixed(1).padStart(16)}`;
}
