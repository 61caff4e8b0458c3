/**
 * Node part of the api.request overhead benchmark: prints µs/call per contender.
 *
 * The contenders module is bundled with esbuild first (as Vite would bundle it for the browser) and the bundle
 * is what runs: under tsx every closure our TypeScript creates is wrapped in a `__name` helper (keepNames), a
 * per-call cost that only our code would pay (cockatiel and opossum run as published JavaScript).
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MeasureOptions } from './harness';
import { API_OVERHEAD_OPTIONS } from './apiOverhead.options';
import { overheadRows } from './apiOverhead.summary';
import type { PartResult } from './summary';

type ContendersModule = typeof import('./apiOverhead.contenders');

export async function runApiOverheadNode(options: MeasureOptions = API_OVERHEAD_OPTIONS): Promise<PartResult> {
  // Inside node_modules so the bundle's bare imports (cockatiel, opossum) resolve from the project.
  const dir = fileURLToPath(new URL(`../node_modules/.cache/bench-api-${process.pid}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  try {
    const outfile = join(dir, 'contenders.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./apiOverhead.contenders.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      external: ['cockatiel', 'opossum'],
      logLevel: 'warning',
    });
    const { runApiOverhead } = (await import(pathToFileURL(outfile).href)) as ContendersModule;
    const { tables, headline } = await runApiOverhead(options);
    const text = [
      `api.request happy-path overhead — Node ${process.version}, ${options.rounds} rounds × ${options.iterations} requests (median round), bundled with esbuild`,
      ...tables,
    ].join('\n\n');
    return { text, rows: overheadRows(headline, 'node', options) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
