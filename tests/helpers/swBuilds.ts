import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Build-time switches that decide what `vite build` makes; all unset unless given. */
export type BuildEnv = Partial<Record<'VITE_DEV_TOOLS' | 'VITE_SW_KILL_SWITCH' | 'VITE_SW_DEV', string>>;

/**
 * Runs `vite build` into a new temporary directory with exactly the given switches (the caller's own
 * VITE_* settings and NODE_ENV are not inherited). Run under the browser lock, like every build.
 */
export function buildApp(env: BuildEnv, label: string): string {
  const outDir = mkdtempSync(join(tmpdir(), `tutor-build-${label}-`));
  // Not NODE_ENV either: under vitest it is "test", which would make a development build (no worker).
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITE_') && key !== 'NODE_ENV'));
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    env: { ...base, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return outDir;
}

/** A deploy: the served directory's files are replaced by the build's (old hashed files are gone). */
export function deploy(build: string, servedDir: string): void {
  rmSync(servedDir, { recursive: true, force: true });
  mkdirSync(servedDir, { recursive: true });
  cpSync(build, servedDir, { recursive: true });
}

/** The hashed file name of a build's chunk, e.g. `TutorChat-abc123.js`. */
export function chunkName(build: string, prefix: string): string {
  const name = readdirSync(join(build, 'assets')).find((file) => file.startsWith(`${prefix}-`) && file.endsWith('.js'));
  if (!name) throw new Error(`${build}/assets has no ${prefix}-*.js chunk`);
  return name;
}

/** Resolves once a service worker controls the page (it precached everything first). */
export async function waitForServiceWorkerControl(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined, undefined, { timeout: timeoutMs });
}

/** What the browser would do on its own schedule: check the server's sw.js for a new version. */
export async function checkForUpdate(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });
}
