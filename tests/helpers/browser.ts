import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { findChromium } from '../../scripts/find-chromium.mjs';

/**
 * Real Debian Chromium driven by playwright-core, with a fresh profile per context.
 * The background-networking flags matter here: this machine has no outside network, and Chromium's
 * own background connections otherwise get refused many at a time.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * The built app registers a service worker. Specs other than tests/e2e/serviceWorker.e2e.ts test the page
   * against the network, so by default workers are blocked (registration fails, the app runs as without
   * one); each context also has its own fresh profile, so nothing a worker cached can reach another spec.
   */
  serviceWorkers?: 'allow' | 'block';
}

/** Starts Chromium with a new empty profile; `close()` removes the profile. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: apt-get install -y chromium, or set CHROMIUM_PATH');
  const profileDir = mkdtempSync(join(tmpdir(), 'tutor-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 800 },
    serviceWorkers: options.serviceWorkers ?? 'block',
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
