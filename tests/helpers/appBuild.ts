import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const VITE_BIN = join(process.cwd(), 'node_modules', 'vite', 'bin', 'vite.js');

/**
 * Builds the app into `outDir` with the project's vite.config.ts: a production build, or with `devTools` one made
 * as `VITE_DEV_TOOLS=1 npm run build` makes it. Run from tests that run under the browser/build lock (e2e).
 */
export async function buildApp(outDir: string, options: { devTools: boolean }): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  delete env.VITE_DEV_TOOLS;
  if (options.devTools) env.VITE_DEV_TOOLS = '1';
  const child = spawn(process.execPath, [VITE_BIN, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`vite build exited with ${code}:\n${output}`);
}

/**
 * The JS a browser fetches on the first load of `index.html`: module scripts and modulepreload links (as URL paths,
 * e.g. `/assets/index-abc.js`), in document order.
 */
export function firstLoadScripts(outDir: string): string[] {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const urls: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    if (tag.startsWith('<script') && attr('type') === 'module' && attr('src')) urls.push(attr('src') as string);
    if (tag.startsWith('<link') && attr('rel') === 'modulepreload' && attr('href')) urls.push(attr('href') as string);
  }
  return urls;
}

/** Every file of the build's assets/ folder, by name. */
export function assetFiles(outDir: string): string[] {
  return readdirSync(join(outDir, 'assets'));
}
