/**
 * Node part of the api.request overhead benchmark (DESIGN §11): prints µs/call per contender.
 *
 * The contenders module is bundled with esbuild first (as Vite would bundle it for the browser) and the bundle
 * is what runs: under tsx every closure our TypeScript creates is wrapped in a `__name` helper (keepNames), a
 * per-call cost that only our code would pay (cockatiel and opossum run as published JavaScript).
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatTable, measureAll } from './harness';

type ContendersModule = typeof import('./apiOverhead.contenders');

export async function runApiOverheadNode(options = { iterations: 20_000, warmupIterations: 20_000, rounds: 9 }): Promise<string> {
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
    const { apiOverheadContenders } = (await import(pathToFileURL(outfile).href)) as ContendersModule;
    const { contenders, dispose } = apiOverheadContenders();
    try {
      const measurements = await measureAll(contenders, options);
      return [
        `api.request happy-path overhead — Node ${process.version}, ${options.rounds} rounds × ${options.iterations} calls (median round), bundled with esbuild`,
        formatTable(measurements, 'raw fetch + json'),
      ].join('\n');
    } finally {
      dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
