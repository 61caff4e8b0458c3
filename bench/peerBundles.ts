/**
 * The peers' bundles for the subset of the runtime they cover, measured in the same run with the same bundler
 * (Vite library mode, minified, gzipped) as the runtime's own standalone bundle: cockatiel (retry, breaker,
 * timeout, wrap), workbox-background-sync (the IndexedDB replay queue) and partysocket (the reconnecting socket).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';

/** What each peer's entry imports: the parts of it the app would use in place of ours. */
const PEER_ENTRIES: Readonly<Record<string, string>> = {
  'cockatiel (retry+breaker+timeout+wrap)': "export { retry, circuitBreaker, timeout, wrap, handleAll, ExponentialBackoff, ConsecutiveBreaker, TimeoutStrategy } from 'cockatiel';",
  'workbox-background-sync (Queue)': "export { Queue } from 'workbox-background-sync';",
  'partysocket (WebSocket)': "export { WebSocket } from 'partysocket';",
};

export interface BundleFigure {
  readonly label: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
}

/** Bundles `entry` (a file path) alone with Vite in library mode; its minified and gzipped sizes. */
export async function bundleSize(label: string, entry: string): Promise<BundleFigure> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    root: process.cwd(),
    // As in the app's production build: development-only logging and checks are dropped.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { lib: { entry, formats: ['es'], fileName: 'bundle' }, minify: true, write: false, target: 'es2022' },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const code = (Array.isArray(output) ? output : [output])
    .flatMap((result) => result.output)
    .map((chunk) => (chunk.type === 'chunk' ? chunk.code : ''))
    .join('\n');
  return { label, minifiedBytes: Buffer.byteLength(code), gzipBytes: gzipSync(code).length };
}

/** The runtime's public entry alone, and each peer's entry, measured now. */
export async function measurePeerBundles(): Promise<{ runtime: BundleFigure; peers: BundleFigure[] }> {
  const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.bench-peers-'));
  try {
    const runtime = await bundleSize('src/resilience (whole public entry)', resolve('src/resilience/index.ts'));
    const peers: BundleFigure[] = [];
    for (const [label, source] of Object.entries(PEER_ENTRIES)) {
      const file = join(dir, `${peers.length}.js`);
      writeFileSync(file, source);
      peers.push(await bundleSize(label, file));
    }
    return { runtime, peers };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const sumGzip = (figures: readonly BundleFigure[]): number => figures.reduce((total, figure) => total + figure.gzipBytes, 0);

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const { runtime, peers } = await measurePeerBundles();
  for (const figure of [runtime, ...peers]) console.log(`${figure.label.padEnd(44)} ${(figure.minifiedBytes / 1024).toFixed(1).padStart(7)} KB min ${(figure.gzipBytes / 1024).toFixed(1).padStart(6)} KB gz`);
  console.log(`peers together: ${(sumGzip(peers) / 1024).toFixed(1)} KB gz`);
}
