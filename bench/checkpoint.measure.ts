/**
 * Checkpoint save and boot-restore timings (issue 14): shared by the Chromium entry (real IndexedDB) and
 * runnable anywhere a runtime can be built. A save is `workflow.completeStep` awaited: canonical JSON, SHA-256,
 * the record transaction and the strict-durability commit transaction.
 */
import { createResilienceRuntime, type WorkflowDefinition } from '../src/resilience';
import flagsFile from '../feature-flags.json';

export interface CheckpointBenchOptions {
  stateBytes: number;
  saves: number;
  warmup: number;
  /** Checkpoints stored when the boot restore is timed (cleanup keeps 10 by default). */
  storedAtBoot: readonly number[];
  boots: number;
}

export interface Figures {
  median: number;
  p95: number;
  max: number;
}

export interface CheckpointBenchResult {
  durable: boolean;
  bodyBytes: number;
  save: Figures;
  /** The same saves with the plain-JS SHA-256 (no crypto.subtle). */
  saveJsHash: Figures;
  /** Boot: new runtime, open the database, read and verify every checkpoint of the workflow, newest valid out. */
  restore: Array<{ stored: number } & Figures>;
}

interface BenchState {
  drafts: Record<string, string>;
  chat: Array<{ id: string; text: string }>;
}

const definition: WorkflowDefinition<BenchState> = { id: 'lesson:bench', version: 1, parse: (value) => value as BenchState };

/** About `bytes` of JSON: drafts and a conversation, like a lesson run. */
function stateOf(bytes: number, variant: number): BenchState {
  const chat: BenchState['chat'] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const text = `Reply ${i}.${variant} — the denominator says how many equal parts make a whole. `.repeat(2);
    chat.push({ id: `reply-${i}`, text });
    size += text.length + 30;
  }
  return { drafts: { 'ex-1': `1/${variant}`, 'ex-2': '3/4' }, chat };
}

function figures(samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}

function runtimeFor(indexedDB: IDBFactory | null, databaseName: string, subtle?: null) {
  return createResilienceRuntime({
    flags: { source: flagsFile },
    storage: { indexedDB, databaseName, local: null },
    api: { fetch: async () => new Response('{}') },
    // checkpoints on
    userId: 'bench',
    checkpoints: { pageHide: null, ...(subtle === null ? { subtle: null } : {}) },
  });
}

async function timeSaves(indexedDB: IDBFactory | null, name: string, options: CheckpointBenchOptions, subtle?: null): Promise<{ samples: number[]; durable: boolean }> {
  const runtime = runtimeFor(indexedDB, name, subtle);
  const workflow = runtime.checkpoints.workflow(definition);
  const samples: number[] = [];
  for (let i = 0; i < options.warmup + options.saves; i++) {
    const state = stateOf(options.stateBytes, i);
    const started = performance.now();
    const info = await workflow.completeStep(i % 5, state);
    if (!info) throw new Error('save bench: nothing was saved (checkpoints flag off?)');
    if (i >= options.warmup) samples.push(performance.now() - started);
  }
  const durable = runtime.checkpoints.durable;
  runtime.dispose();
  return { samples, durable };
}

export async function measureCheckpoints(indexedDB: IDBFactory | null, options: CheckpointBenchOptions): Promise<CheckpointBenchResult> {
  const stamp = Date.now().toString(36);
  const saved = await timeSaves(indexedDB, `bench-save-${stamp}`, options);
  const savedJs = await timeSaves(indexedDB, `bench-save-js-${stamp}`, options, null);
  const restore: CheckpointBenchResult['restore'] = [];
  for (const stored of options.storedAtBoot) {
    const name = `bench-restore-${stored}-${stamp}`;
    const writer = runtimeFor(indexedDB, name);
    const workflow = writer.checkpoints.workflow(definition);
    for (let i = 0; i < stored; i++) await workflow.completeStep(i % 5, stateOf(options.stateBytes, i));
    writer.dispose();
    const samples: number[] = [];
    for (let boot = 0; boot < options.boots; boot++) {
      const started = performance.now();
      const runtime = runtimeFor(indexedDB, name);
      const result = await runtime.checkpoints.workflow(definition).resume();
      samples.push(performance.now() - started);
      if (result.status !== 'resumed') throw new Error(`restore bench: expected a resume, got ${JSON.stringify(result)}`);
      runtime.dispose();
    }
    restore.push({ stored, ...figures(samples) });
  }
  const bodyBytes = JSON.stringify(stateOf(options.stateBytes, 0)).length;
  return { durable: saved.durable, bodyBytes, save: figures(saved.samples), saveJsHash: figures(savedJs.samples), restore };
}
