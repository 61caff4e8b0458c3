/**
 * Orchestrator decision and fallback selection overhead in Node (docs/architecture.md; goals ≤ 20 µs and ≤ 5 µs per
 * call). Bundled with esbuild first, like the api overhead part: under tsx every closure pays a `__name` wrapper.
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MeasureOptions } from './harness';

type ContendersModule = typeof import('./orchestrator.contenders');

const OPTIONS: MeasureOptions = { iterations: 20_000, warmupIterations: 20_000, rounds: 9 };

export async function runOrchestratorNode(options: MeasureOptions = OPTIONS): Promise<string> {
  const dir = fileURLToPath(new URL(`../node_modules/.cache/bench-orchestrator-${process.pid}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  try {
    const outfile = join(dir, 'contenders.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./orchestrator.contenders.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile,
      logLevel: 'warning',
    });
    const { runOrchestratorBench } = (await import(pathToFileURL(outfile).href)) as ContendersModule;
    const tables = await runOrchestratorBench(options);
    return [
      `orchestrator and fallback overhead — Node ${process.version}, ${options.rounds} rounds × ${options.iterations} calls (median round), bundled with esbuild, one live event listener, steps resolve at once`,
      ...tables,
    ].join('\n\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
