/**
 * Chromium part of the api.request overhead benchmark: the same contenders and harness as the
 * Node part, bundled for the browser and measured in Debian Chromium on an http://127.0.0.1 page.
 */
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, runInChromium } from './chromium';
import type { MeasureOptions, Measurement } from './harness';
import { API_OVERHEAD_OPTIONS } from './apiOverhead.options';
import { overheadRows } from './apiOverhead.summary';
import type { PartResult } from './summary';

export async function runApiOverheadChromium(options: MeasureOptions = API_OVERHEAD_OPTIONS): Promise<PartResult> {
  if (!chromiumAvailable()) return 'skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
  const entry = fileURLToPath(new URL('./apiOverhead.browser.ts', import.meta.url));
  const { result, browser } = await runInChromium<MeasureOptions, { tables: string[]; headline: Measurement[] }>(entry, options);
  const text = [
    `api.request happy-path overhead — ${browser}, ${options.rounds} rounds × ${options.iterations} requests (median round), bundled with esbuild`,
    ...result.tables,
  ].join('\n\n');
  return { text, rows: overheadRows(result.headline, 'chromium', options) };
}
