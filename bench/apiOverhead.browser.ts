/** Browser entry of the api.request overhead benchmark: bundled by bench/chromium.ts and run in Chromium. */
import { runApiOverhead } from './apiOverhead.contenders';
import type { MeasureOptions } from './harness';

globalThis.__bench = ((options: MeasureOptions): Promise<Awaited<ReturnType<typeof runApiOverhead>>> => runApiOverhead(options)) as (args: unknown) => Promise<unknown>;
