/**
 * Gzip sizes of a vite build: the first-load JS (the module scripts and modulepreloads of index.html), the
 * resilience runtime's share of it, and each lazy chunk. The runtime's share is read from the build's hidden source
 * maps: every generated span whose original source lies under src/resilience/ is cut out and the spans are gzipped
 * together (so it is the runtime's code as shipped, compressed on its own; shared gzip context with the rest of the
 * chunk would make it a little smaller, never larger by much).
 *
 * A signed-in student's page fetches more at once, right after the first load: the session's code (the runtime
 * and the app's services over it, src/app/resilience/appSession.ts), the runtime's afterFirstLoad chunk, and the
 * chunks those import. That is the start-up set; the runtime's share of first load plus start-up is measured the
 * same way, so the code a signed-in student loads before the first lesson request is reported too.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChunkSize {
  readonly file: string;
  readonly gzipBytes: number;
  /** What the chunk is, from its content: 'sentry', 'developer panel', 'tutor', 'admin' or its file name stem. */
  readonly label: string;
}

export interface BundleSizes {
  readonly firstLoad: readonly ChunkSize[];
  readonly firstLoadGzipBytes: number;
  readonly runtimeGzipBytes: number;
  /** The lazy chunks a signed-in student's page fetches at start-up (session code, afterFirstLoad, their imports). */
  readonly startUp: readonly ChunkSize[];
  /** The runtime's code (src/resilience) in the first load and the start-up chunks, gzipped together. */
  readonly runtimeStartUpGzipBytes: number;
  readonly lazy: readonly ChunkSize[];
}

export interface BundleBudget {
  readonly firstLoadGzipBytes: number;
  readonly runtimeGzipBytes: number;
  readonly runtimeStartUpGzipBytes: number;
}

const RUNTIME_SOURCE = /(^|\/)src\/resilience\//;
/** The chunks a signed-in student's page imports at start-up (main.tsx's loadSessionCode), by the module they are named for. */
const START_UP_CHUNK = /^assets\/(appSession|afterFirstLoad)-[\w-]+\.js$/;

export function measureBundle(outDir: string): BundleSizes {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const firstLoadFiles = [...new Set([...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/(assets\/[^"]+\.js)"[^>]*>/g)].map((m) => m[1] as string))];
  const size = (file: string): ChunkSize => ({ file, gzipBytes: gzipSync(readFileSync(join(outDir, file))).length, label: labelOf(outDir, file) });
  const firstLoad = firstLoadFiles.map(size);
  const runtimeText = firstLoadFiles.map((file) => runtimeSpans(outDir, file)).join('\n');
  const jsNames = readdirSync(join(outDir, 'assets')).filter((name) => name.endsWith('.js')).map((name) => `assets/${name}`);
  const startUpFiles = startUpChunks(outDir, jsNames).filter((file) => !firstLoadFiles.includes(file));
  const startUp = startUpFiles.map(size);
  const runtimeStartUpText = [...firstLoadFiles, ...startUpFiles].map((file) => runtimeSpans(outDir, file)).join('\n');
  const lazy = jsNames
    .filter((file) => !firstLoadFiles.includes(file))
    .map(size)
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return {
    firstLoad,
    firstLoadGzipBytes: firstLoad.reduce((sum, chunk) => sum + chunk.gzipBytes, 0),
    runtimeGzipBytes: runtimeText.length === 0 ? 0 : gzipSync(runtimeText).length,
    startUp,
    runtimeStartUpGzipBytes: runtimeStartUpText.length === 0 ? 0 : gzipSync(runtimeStartUpText).length,
    lazy,
  };
}

/** The start-up chunks, with every chunk they import statically (`from"./x.js"`), transitively. */
function startUpChunks(outDir: string, jsFiles: readonly string[]): string[] {
  const found = new Set(jsFiles.filter((file) => START_UP_CHUNK.test(file)));
  for (const file of found) {
    for (const match of readFileSync(join(outDir, file), 'utf8').matchAll(/\b(?:from|import)\s*"\.\/([^"]+\.js)"/g)) found.add(`assets/${match[1] as string}`);
  }
  return [...found];
}

export function readBudget(path = new URL('./budget.json', import.meta.url)): BundleBudget {
  return JSON.parse(readFileSync(path, 'utf8')) as BundleBudget;
}

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function formatBundle(sizes: BundleSizes, budget?: BundleBudget): string {
  const over = (value: number, limit?: number) => (limit === undefined ? '' : `  (budget ${kb(limit)}${value > limit ? ', OVER' : ''})`);
  return [
    `first-load JS ${kb(sizes.firstLoadGzipBytes)} gz${over(sizes.firstLoadGzipBytes, budget?.firstLoadGzipBytes)}: ${sizes.firstLoad.map((c) => `${c.file} ${kb(c.gzipBytes)}`).join(', ')}`,
    `runtime (src/resilience) in first load ${kb(sizes.runtimeGzipBytes)} gz${over(sizes.runtimeGzipBytes, budget?.runtimeGzipBytes)}`,
    `signed-in start-up, fetched right after the first load: ${sizes.startUp.map((c) => `${c.file} ${kb(c.gzipBytes)}`).join(', ')}`,
    `runtime (src/resilience) in first load + start-up ${kb(sizes.runtimeStartUpGzipBytes)} gz${over(sizes.runtimeStartUpGzipBytes, budget?.runtimeStartUpGzipBytes)}`,
    ...sizes.lazy.map((c) => `lazy ${c.label.padEnd(16)} ${kb(c.gzipBytes).padStart(9)} gz  ${c.file}`),
  ].join('\n');
}

function labelOf(outDir: string, file: string): string {
  const text = readFileSync(join(outDir, file), 'utf8');
  if (text.includes('sentry.javascript')) return 'sentry';
  const stem = /assets\/(.+?)-[\w-]{6,}\.js$/.exec(file)?.[1] ?? file;
  if (/DeveloperPanel/i.test(stem)) return 'developer panel';
  if (/admin/i.test(stem)) return 'admin';
  if (/tutor/i.test(stem)) return 'tutor';
  return stem;
}

interface SourceMap {
  readonly sources: readonly string[];
  readonly mappings: string;
}

/** The generated text of `file` that its source map attributes to src/resilience. Empty without a map. */
function runtimeSpans(outDir: string, file: string): string {
  const mapPath = join(outDir, `${file}.map`);
  if (!existsSync(mapPath)) return '';
  const map = JSON.parse(readFileSync(mapPath, 'utf8')) as SourceMap;
  const lines = readFileSync(join(outDir, file), 'utf8').split('\n');
  const isRuntime = map.sources.map((source) => RUNTIME_SOURCE.test(source.replaceAll('\\', '/')));
  const spans: string[] = [];
  let source = 0;
  map.mappings.split(';').forEach((group, lineIndex) => {
    const line = lines[lineIndex] ?? '';
    let column = 0;
    const segments = group.length === 0 ? [] : group.split(',').map(decodeVlq);
    segments.forEach((segment, index) => {
      column += segment[0] ?? 0;
      if (segment.length >= 4) source += segment[1] ?? 0;
      const end = index + 1 < segments.length ? column + (segments[index + 1]?.[0] ?? 0) : line.length;
      if (segment.length >= 4 && isRuntime[source]) spans.push(line.slice(column, end));
    });
  });
  return spans.join('');
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
