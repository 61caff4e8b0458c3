/**
 * Chromium part of the api.request overhead benchmark (DESIGN §11): the same contenders and harness as the
 * Node part, bundled for the browser and measured in Debian Chromium on an http://127.0.0.1 page.
 */
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, runInChromium } from './chromium';
import type { MeasureOptions } from './harness';
import { API_OVERHEAD_OPTIONS } from './apiOverhead.options';

export async function runApiOverheadChromium(options: MeasureOptions = API_OVERHEAD_OPTIONS): Promise<string> {
  if (!chromiumAvailable()) return 'skipped: no Chromium (apt-get install -y chromium, or set CHROMIUM_PATH)';
  const entry = fileURLToPath(new URL('./apiOverhead.browser.ts', import.meta.url));
  const { result, browser } = await runInChromium<MeasureOptions, string[]>(entry, options);
  return [
    `api.request happy-path overhead — ${browser}, ${options.rounds} rounds × ${options.iterations} requests (median round), bundled with esbuild`,
    ...result,
  ].join('\n\n');
}
