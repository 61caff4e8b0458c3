/**
 * Monitoring cost per bus event in Node (goal ≤ 2 µs), and the Sentry chunk's size in the last build: it must
 * not be part of the first-load JS. Bundled with esbuild like the other Node parts (tsx adds a wrapper per closure).
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

type ContendersModule = typeof import('./monitoring.contenders');

export async function runMonitoringNode(events = 50_000, rounds = 9): Promise<string> {
  const dir = fileURLToPath(new URL(`../node_modules/.cache/bench-monitoring-${process.pid}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  try {
    const outfile = join(dir, 'contenders.mjs');
    await build({ entryPoints: [fileURLToPath(new URL('./monitoring.contenders.ts', import.meta.url))], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'warning' });
    const { runMonitoringBench } = (await import(pathToFileURL(outfile).href)) as ContendersModule;
    const results = runMonitoringBench(events, rounds);
    const base = results.find((r) => r.name === 'baseline')?.usPerEvent ?? 0;
    const rows = results.map((r) => `${r.name.padEnd(10)} ${r.usPerEvent.toFixed(3).padStart(8)} µs/event   +${(r.usPerEvent - base).toFixed(3)} µs over a bare listener`);
    return [`monitor cost per event — Node ${process.version}, ${rounds} rounds × ${events} events of a mixed stream (median round)`, ...rows, '', bundleSizes()].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** First-load JS (the entry script and its modulepreloads in dist/index.html) and the Sentry chunk, gzipped. */
function bundleSizes(): string {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  if (!existsSync(join(dist, 'index.html'))) return 'bundle: no dist/ (run `npm run build` first)';
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const firstLoad = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  const gz = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  const sentry = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && readFileSync(join(dist, 'assets', f), 'utf8').includes('sentry.javascript'));
  const sentryInFirstLoad = firstLoad.filter((f) => sentry.includes(f.replace('assets/', '')));
  return [
    `first-load JS: ${firstLoad.join(', ')} = ${kb(firstLoad.reduce((s, f) => s + gz(f), 0))} gz`,
    `Sentry chunk(s): ${sentry.map((f) => `${f} ${kb(gz(`assets/${f}`))} gz`).join(', ') || 'none'}`,
    `Sentry in first-load JS: ${sentryInFirstLoad.length === 0 ? 'no' : `YES (${sentryInFirstLoad.join(', ')})`}`,
  ].join('\n');
}
