/**
 * Bundle sizes of a fresh production build (built into a temporary folder; run under the browser/build lock):
 * first-load JS, the runtime's share of it, and each lazy chunk, gzipped, against bench/budget.json and the
 * peers that cover a subset of the runtime (cockatiel + workbox background-sync + partysocket), bundled in the
 * same run with the same bundler (bench/peerBundles.ts), next to the runtime's whole public entry bundled alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../tests/helpers/appBuild';
import { formatBundle, kb, measureBundle, readBudget } from './bundleSize';
import { measurePeerBundles, sumGzip } from './peerBundles';
import { ratio, type SummaryRow } from './summary';

const RUNTIME_GOAL_BYTES = 15 * 1024;

export async function runBundleNode(): Promise<{ text: string; rows: SummaryRow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  try {
    await buildApp(dir, { devTools: false });
    const sizes = measureBundle(dir);
    const { runtime, peers } = await measurePeerBundles();
    const peersGzipBytes = sumGzip(peers);
    const rows: SummaryRow[] = [
      { figure: 'runtime share of first load (gz)', ours: kb(sizes.runtimeGzipBytes), peer: `cockatiel+workbox-bg-sync+partysocket ${kb(peersGzipBytes)}`, ratio: ratio(sizes.runtimeGzipBytes, peersGzipBytes), goal: `≤ ${kb(RUNTIME_GOAL_BYTES)}`, method: 'source-map spans of src/resilience, gzipped; peers bundled alone now' },
      { figure: 'runtime in first load + signed-in start-up (gz)', ours: kb(sizes.runtimeStartUpGzipBytes), peer: `the three peers ${kb(peersGzipBytes)}`, ratio: ratio(sizes.runtimeStartUpGzipBytes, peersGzipBytes), goal: `budget ${kb(readBudget().runtimeStartUpGzipBytes)}`, method: 'same spans over first load + session code + afterFirstLoad' },
      { figure: 'runtime public entry alone (gz)', ours: kb(runtime.gzipBytes), peer: `the three peers ${kb(peersGzipBytes)}`, ratio: ratio(runtime.gzipBytes, peersGzipBytes), goal: '—', method: 'Vite lib mode, minified, NODE_ENV=production, each alone' },
      ...peers.map((peer) => ({ figure: `peer bundle: ${peer.label} (gz)`, ours: '—', peer: kb(peer.gzipBytes), ratio: '—', goal: '—', method: 'Vite lib mode, minified, NODE_ENV=production' })),
      { figure: 'first-load JS (gz)', ours: kb(sizes.firstLoadGzipBytes), peer: '—', ratio: '—', goal: `budget ${kb(readBudget().firstLoadGzipBytes)}`, method: 'index.html scripts + modulepreloads' },
      ...sizes.lazy.map((chunk) => ({ figure: `lazy chunk: ${chunk.label} (gz)`, ours: kb(chunk.gzipBytes), peer: '—', ratio: '—', goal: 'not in first load', method: `${chunk.file}${sizes.startUp.some((c) => c.file === chunk.file) ? ' (signed-in start-up)' : ''}` })),
    ];
    const peerLines = [runtime, ...peers].map((figure) => `  ${figure.label.padEnd(44)} ${kb(figure.gzipBytes)} gz`);
    return { text: [formatBundle(sizes, readBudget()), '', 'bundled alone, same bundler, same run:', ...peerLines].join('\n'), rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
