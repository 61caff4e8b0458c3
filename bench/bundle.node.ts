/**
 * Bundle sizes of a fresh production build (built into a temporary folder; run under the browser/build lock):
 * first-load JS, the runtime's share of it, and each lazy chunk, gzipped, against bench/budget.json and the
 * peers that cover a subset of the runtime (cockatiel + workbox background-sync + partysocket ≈ 9.8 KB gz).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../tests/helpers/appBuild';
import { formatBundle, kb, measureBundle, readBudget } from './bundleSize';
import { ratio, type SummaryRow } from './summary';

const PEERS_GZIP_BYTES = 9.8 * 1024;
const RUNTIME_GOAL_BYTES = 15 * 1024;

export async function runBundleNode(): Promise<{ text: string; rows: SummaryRow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  try {
    await buildApp(dir, { devTools: false });
    const sizes = measureBundle(dir);
    const rows: SummaryRow[] = [
      { figure: 'runtime share of first load (gz)', ours: kb(sizes.runtimeGzipBytes), peer: `cockatiel+workbox-bg-sync+partysocket ${kb(PEERS_GZIP_BYTES)}`, ratio: ratio(sizes.runtimeGzipBytes, PEERS_GZIP_BYTES), goal: `≤ ${kb(RUNTIME_GOAL_BYTES)}`, method: 'source-map spans of src/resilience, gzipped' },
      { figure: 'first-load JS (gz)', ours: kb(sizes.firstLoadGzipBytes), peer: '—', ratio: '—', goal: `budget ${kb(readBudget().firstLoadGzipBytes)}`, method: 'index.html scripts + modulepreloads' },
      ...sizes.lazy.map((chunk) => ({ figure: `lazy chunk: ${chunk.label} (gz)`, ours: kb(chunk.gzipBytes), peer: '—', ratio: '—', goal: 'not in first load', method: chunk.file })),
    ];
    return { text: formatBundle(sizes, readBudget()), rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
