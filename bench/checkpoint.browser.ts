/** Browser entry of the checkpoint benchmark: bundled by bench/chromium.ts and run in Chromium (real IndexedDB). */
import { measureCheckpoints, type CheckpointBenchOptions, type CheckpointBenchResult } from './checkpoint.measure';

globalThis.__bench = ((options: CheckpointBenchOptions): Promise<CheckpointBenchResult> => measureCheckpoints(globalThis.indexedDB, options)) as (args: unknown) => Promise<unknown>;
