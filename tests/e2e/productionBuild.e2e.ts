import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { formatBundle, measureBundle, readBudget } from '../../bench/bundleSize';
import { CHAOS_ACTIONS } from '../../src/react/chaosClient';
import { assetFiles, buildApp, firstLoadScripts } from '../helpers/appBuild';
import { launchBrowser, type BrowserSession } from '../helpers/browser';
import { signIn } from '../helpers/e2e';
import { startTestServer, type TestServer } from '../helpers/server';

/** Text only the developer panel and its chaos controls contain (the panel's own chunk). */
const PANEL_BODY = ['Feature flags', 'Circuit breakers', 'Recent events', 'dev-panel', 'dev-chaos', ...CHAOS_ACTIONS.flatMap((action) => [action.label, action.path, action.done])];
/** Text only the runtime's own chaos code contains (chaos/chaosFetch.ts, chaosStorage.ts, chaosWiring.ts). */
const RUNTIME_CHAOS = ['injected by runtime chaos'];
/** In a build without developer tools, not even the panel's place holder exists. */
const PANEL_ANY = ['Developer tools', ...PANEL_BODY];

const found = (text: string, needles: readonly string[]) => needles.filter((needle) => text.includes(needle));
const read = (dir: string, urlPath: string) => readFileSync(join(dir, urlPath.replace(/^\//, '')), 'utf8');

// Builds into temporary folders (dist/ is the e2e suite's VITE_DEV_TOOLS=1 build and stays as it is).
describe('the production build ships only what production needs', () => {
  let prodDir: string;
  let devToolsDir: string;
  let browser: BrowserSession | undefined;
  let server: TestServer | undefined;

  beforeAll(async () => {
    prodDir = mkdtempSync(join(tmpdir(), 'tutor-build-prod-'));
    devToolsDir = mkdtempSync(join(tmpdir(), 'tutor-build-devtools-'));
    await buildApp(prodDir, { devTools: false });
    await buildApp(devToolsDir, { devTools: true });
  });
  afterEach(async () => {
    await browser?.close();
    await server?.close();
    browser = undefined;
    server = undefined;
  });
  afterAll(() => {
    rmSync(prodDir, { recursive: true, force: true });
    rmSync(devToolsDir, { recursive: true, force: true });
  });

  const jsFiles = (dir: string) => assetFiles(dir).filter((name) => name.endsWith('.js'));

  it('has no developer panel or chaos code in the first-load JS, nor anywhere in a production build', () => {
    const entry = firstLoadScripts(prodDir);
    expect(entry.length).toBeGreaterThan(0);
    for (const url of entry) expect({ url, found: found(read(prodDir, url), PANEL_ANY) }).toEqual({ url, found: [] });
    for (const name of jsFiles(prodDir)) expect({ name, found: found(read(prodDir, `assets/${name}`), PANEL_ANY) }).toEqual({ name, found: [] });
  });

  it('keeps the panel of a VITE_DEV_TOOLS=1 build in its own chunk, outside the first-load JS', () => {
    const entry = firstLoadScripts(devToolsDir);
    for (const url of entry) expect({ url, found: found(read(devToolsDir, url), PANEL_BODY) }).toEqual({ url, found: [] });
    const panelChunks = jsFiles(devToolsDir).filter((name) => found(read(devToolsDir, `assets/${name}`), PANEL_BODY).length > 0);
    expect(panelChunks).toHaveLength(1);
    expect(entry).not.toContain(`/assets/${panelChunks[0]}`);
  });

  it("ships the runtime's chaos code only in a VITE_DEV_TOOLS=1 build", () => {
    for (const name of jsFiles(prodDir)) expect({ name, found: found(read(prodDir, `assets/${name}`), RUNTIME_CHAOS) }).toEqual({ name, found: [] });
    expect(jsFiles(devToolsDir).filter((name) => found(read(devToolsDir, `assets/${name}`), RUNTIME_CHAOS).length > 0)).not.toEqual([]);
  });

  it('keeps the predictor and the monitor (loaded when their flags are on), and the code loaded after the first load, in chunks of their own', () => {
    const entry = firstLoadScripts(prodDir);
    for (const stem of ['predictorWiring', 'monitoringWiring', 'afterFirstLoad']) {
      const chunks = jsFiles(prodDir).filter((name) => name.startsWith(`${stem}-`));
      expect({ stem, chunks: chunks.length }).toEqual({ stem, chunks: 1 });
      expect(entry).not.toContain(`/assets/${chunks[0]}`);
    }
  });

  it('keeps what the afterFirstLoad chunk carries out of the first load: no first-load source map names it', () => {
    // A module also reached through an unused re-export of the runtime's barrel would land in the first load.
    const carried = ['transport/apiClient.ts', 'policies/retry.ts', 'policies/sharedDeadline.ts', 'core/storage.ts', 'outbox/outbox.ts', 'outbox/outboxStore.ts', 'cache/responseCache.ts', 'cache/cachedApi.ts', 'transport/streamSocket.ts', 'outbox/drainScheduler.ts', 'escalation/escalationWiring.ts', 'checkpoint/checkpointWiring.ts', 'orchestrator/recoveryWiring.ts'];
    for (const url of firstLoadScripts(prodDir)) {
      const { sources } = JSON.parse(read(prodDir, `${url}.map`)) as { sources: string[] };
      const named = carried.filter((file) => sources.some((source) => source.replaceAll('\\', '/').endsWith(`src/resilience/${file}`)));
      expect({ url, named }).toEqual({ url, named: [] });
    }
  });

  it('keeps the first-load JS, the runtime\'s share of it and of the signed-in start-up within the gzip budget recorded in bench/budget.json', () => {
    const sizes = measureBundle(prodDir);
    const budget = readBudget();
    console.log(`bundle (production build):\n${formatBundle(sizes, budget)}`);
    expect(sizes.runtimeGzipBytes).toBeGreaterThan(0);
    expect(sizes.firstLoadGzipBytes).toBeLessThanOrEqual(budget.firstLoadGzipBytes);
    expect(sizes.runtimeGzipBytes).toBeLessThanOrEqual(budget.runtimeGzipBytes);
    // The session's code and the afterFirstLoad chunk are found (a renamed chunk would empty the start-up set).
    expect(sizes.startUp.map((chunk) => chunk.file.replace(/-[\w-]+\.js$/, ''))).toEqual(expect.arrayContaining(['assets/appSession', 'assets/afterFirstLoad']));
    expect(sizes.runtimeStartUpGzipBytes).toBeGreaterThan(sizes.runtimeGzipBytes);
    expect(sizes.runtimeStartUpGzipBytes).toBeLessThanOrEqual(budget.runtimeStartUpGzipBytes);
  });

  it('keeps hidden source maps in the build: one per JS file, named by none, and served by no server', async () => {
    const files = assetFiles(prodDir);
    for (const name of jsFiles(prodDir)) {
      expect(files).toContain(`${name}.map`);
      expect(read(prodDir, `assets/${name}`)).not.toMatch(/sourceMappingURL/);
    }
    server = await startTestServer({ staticDir: prodDir, production: true });
    const [firstScript] = firstLoadScripts(prodDir);
    expect((await fetch(`${server.url}${firstScript}`)).status).toBe(200);
    expect((await fetch(`${server.url}${firstScript}.map`)).status).toBe(404);
  });

  /** Signs in on the build served by a fresh server; the JS files the page fetched, by URL path. */
  async function openApp(staticDir: string): Promise<{ page: Page; scripts: Map<string, string> }> {
    server = await startTestServer({ staticDir, production: true });
    browser = await launchBrowser();
    const page = await browser.newPage();
    const scripts = new Map<string, string>();
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.endsWith('.js')) void response.text().then((text) => scripts.set(path, text), () => undefined);
    });
    await signIn(page, server.url, 'Ada');
    return { page, scripts };
  }

  it('in Chromium, a production build shows no developer tools and fetches none of their code', async () => {
    const { page, scripts } = await openApp(prodDir);
    await page.getByRole('link', { name: 'Fractions' }).waitFor();
    expect(await page.getByRole('button', { name: 'Developer tools' }).count()).toBe(0);
    expect(scripts.size).toBeGreaterThan(0);
    for (const [path, text] of scripts) expect({ path, found: found(text, PANEL_ANY) }).toEqual({ path, found: [] });
  });

  it("in Chromium, a session chunk that cannot be fetched reloads the tab once, then says so with the student still signed in", async () => {
    const { page } = await openApp(prodDir);
    await page.getByRole('link', { name: 'Fractions' }).waitFor();
    const sessionChunk = /\/assets\/appSession-[\w-]+\.js$/;
    let refused = 0;
    await page.route(sessionChunk, (route) => {
      refused += 1;
      return route.abort('failed');
    });
    let loads = 0;
    page.on('load', () => (loads += 1));

    await page.reload();
    await page.getByRole('alert').filter({ hasText: "The app could not be loaded. Part of the app couldn't be downloaded." }).waitFor();
    // Ours, and the one the page made by itself (the budget allows one per window: no second, no loop).
    expect(loads).toBe(2);
    expect(refused).toBe(2);
    expect(await page.getByText('Signed in as Ada').count()).toBe(1);

    await page.unroute(sessionChunk);
    await page.reload();
    await page.getByRole('link', { name: 'Fractions' }).waitFor();
  });

  it('in Chromium, a VITE_DEV_TOOLS=1 build still shows the panel, loaded from its own chunk', async () => {
    const { page, scripts } = await openApp(devToolsDir);
    await page.getByRole('button', { name: 'Developer tools' }).click();
    await page.getByRole('heading', { name: 'Chaos', exact: true }).waitFor();
    await page.getByRole('switch', { name: 'retry' }).waitFor();
    const panelChunk = [...scripts].find(([, text]) => found(text, PANEL_BODY).length > 0)?.[0];
    expect(panelChunk).toMatch(/^\/assets\/DeveloperPanel-[\w-]+\.js$/);
    expect(firstLoadScripts(devToolsDir)).not.toContain(panelChunk);
  });
});
