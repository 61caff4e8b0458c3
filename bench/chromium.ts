/**
 * Runs a browser benchmark in Debian Chromium (playwright-core, tests/helpers/browser.ts): bundles `entryPoint`
 * for the browser with esbuild, serves it on an http://127.0.0.1 page from a throw-away node http server, and
 * calls the `globalThis.__bench(args)` the entry installs. Reusable by any bench part: one entry module each.
 */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchBrowser } from '../tests/helpers/browser';
import { findChromium } from '../scripts/find-chromium.mjs';

/** What a browser entry module installs on globalThis. */
export type BrowserBench<A, R> = (args: A) => Promise<R>;

declare global {
  var __bench: BrowserBench<unknown, unknown> | undefined;
}

export interface ChromiumResult<R> {
  readonly result: R;
  /** e.g. "HeadlessChrome/140.0.7339.185" */
  readonly browser: string;
}

/** Browser builds of packages whose main entry needs Node built-ins. */
const BROWSER_ALIASES: Record<string, string> = { opossum: 'opossum/dist/opossum.js' };

/** True when a Chromium to drive is installed. */
export const chromiumAvailable = (): boolean => findChromium() !== null;

export async function runInChromium<A, R>(entryPoint: string, args: A): Promise<ChromiumResult<R>> {
  const bundle = await build({
    entryPoints: [entryPoint],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    alias: BROWSER_ALIASES,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const server = await serve({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><title>bench</title><script src="/bench.js"></script>' },
    '/bench.js': { type: 'text/javascript', body: script },
  });
  const session = await launchBrowser();
  try {
    const page = await session.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const ready = await page.evaluate(() => typeof globalThis.__bench === 'function');
    if (!ready) throw new Error(`bench entry did not install __bench${errors.length ? `: ${errors.join('; ')}` : ''}`);
    const browser = await page.evaluate(() => navigator.userAgent.match(/(Headless)?Chrom(e|ium)\/[\d.]+/)?.[0] ?? navigator.userAgent);
    const result = (await page.evaluate((a) => (globalThis.__bench as BrowserBench<unknown, unknown>)(a), args as unknown)) as R;
    return { result, browser };
  } finally {
    await session.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

function serve(routes: Record<string, { type: string; body: string }>): Promise<Server> {
  const server = createServer((request, response) => {
    const route = routes[request.url ?? ''];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(route.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
