import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type BrowserSession } from '../helpers/browser';
import { countPageLoads, openLesson, signIn, submitAnswer, waitFor, waitForPending, waitForText } from '../helpers/e2e';
import { startTestServer, type TestServer } from '../helpers/server';
import { buildApp, checkForUpdate, chunkName, deploy, waitForServiceWorkerControl } from '../helpers/swBuilds';

// Three builds made here (each spec file runs under the browser lock): v1 with developer tools as the other
// specs' build, v2 a plain production build (its chunks differ, so their hashed names do), and the kill switch.
let v1: string;
let v2: string;
let killSwitch: string;

beforeAll(() => {
  v1 = buildApp({ VITE_DEV_TOOLS: '1' }, 'v1');
  v2 = buildApp({}, 'v2');
  killSwitch = buildApp({ VITE_SW_KILL_SWITCH: '1' }, 'kill');
}, 180_000);

afterAll(() => {
  for (const dir of [v1, v2, killSwitch]) if (dir) rmSync(dir, { recursive: true, force: true });
});

const updatePrompt = (page: Page) => page.locator('.update-prompt');
const scriptOf = (page: Page) => page.evaluate(() => document.querySelector<HTMLScriptElement>('script[type="module"]')?.src ?? '');

describe('the service worker (Chromium, production build)', () => {
  let servedDir: string;
  let server: TestServer;
  let browser: BrowserSession;

  beforeEach(async () => {
    servedDir = mkdtempSync(join(tmpdir(), 'tutor-served-'));
    deploy(v1, servedDir);
    server = await startTestServer({ staticDir: servedDir, tokenDelayMs: 15 });
    browser = await launchBrowser({ serviceWorkers: 'allow' });
  });
  afterEach(async () => {
    await browser.close();
    await server.close();
    rmSync(servedDir, { recursive: true, force: true });
  });

  it('starts offline: the shell loads, the lesson opens from its saved copy, an answer is queued durably and syncs once when the server is back', async () => {
    const page = await browser.newPage();
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await waitForServiceWorkerControl(page);

    await server.server.close(); // the server is gone: every request is refused
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForText(page.locator('main'), /Saved copy from .* — you're offline or the server is having trouble/);

    const card = await submitAnswer(page, 1, '3/8');
    await waitForText(card, /Saved offline — will sync/, 20_000);
    await waitForPending(page, 1);
    await page.reload(); // still offline: the queued answer was durable
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForPending(page, 1);

    await server.restart();
    await waitForPending(page, 0, 60_000);
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === 1, 'the queued answer applied');
    expect(stats.applied.map((a) => [a.student, a.answer])).toEqual([['ada', '3/8']]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await server.stats()).answers.applied).toBe(1);
  });

  it('a deploy shows the update prompt; accepting reloads once, the outbox survives, and an old tab still gets its lazy chunk', async () => {
    const oldTutorChunk = chunkName(v1, 'TutorChat');
    expect(chunkName(v2, 'TutorChat')).not.toBe(oldTutorChunk); // precondition: the deploy changes the chunk

    const page = await browser.newPage();
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await waitForServiceWorkerControl(page);
    // A second tab on the lesson list has not loaded the tutor chunk. It already reloaded by itself a moment
    // ago (the shared guard's mark), so it may not reload by itself again and stays on the old version.
    const oldTab = await browser.newPage();
    await oldTab.goto(server.url);
    await oldTab.getByRole('heading', { name: 'Lessons' }).waitFor();
    await waitForServiceWorkerControl(oldTab);
    await oldTab.evaluate(() => sessionStorage.setItem('resilience.chunkReloadAt', String(Date.now())));
    const v1Script = await scriptOf(page);

    // An answer waits in the outbox; a draft is typed in the next box (a reload would lose it).
    await server.chaos({ http: { failRate: 1, status: 503, pathPrefix: '/api/answers' } });
    await submitAnswer(page, 1, '1/2');
    await waitForPending(page, 1, 20_000);
    await page.getByRole('group', { name: 'Exercise 2' }).getByLabel('Answer').fill('3/');

    const loads = countPageLoads(page);
    deploy(v2, servedDir);
    expect((await fetch(`${server.url}/assets/${oldTutorChunk}`)).status).toBe(404); // the old chunk is gone
    await checkForUpdate(page);
    await waitForText(updatePrompt(page), /^A new version is ready — Reload$/, 20_000);
    await waitForText(updatePrompt(oldTab), /^A new version is ready — Reload$/, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(loads.count).toBe(0); // the draft keeps it from reloading by itself

    await updatePrompt(page).getByRole('button', { name: 'Reload' }).click();
    await waitFor(async () => loads.count, (count) => count === 1, 'the accepted reload');
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForPending(page, 1); // the queued answer survived
    expect(await scriptOf(page)).not.toBe(v1Script); // the new version
    await waitForText(updatePrompt(page), /^$/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(loads.count).toBe(1); // once

    // The old tab still runs v1 and opens a lesson: its tutor chunk, gone from the server, comes from the worker
    // (the browser's HTTP cache, which may also hold it, is emptied first: it is no guarantee).
    expect(await scriptOf(oldTab)).toBe(v1Script);
    await (await browser.context.newCDPSession(oldTab)).send('Network.clearBrowserCache');
    const chunkStatuses: number[] = [];
    oldTab.on('response', (response) => {
      if (response.url().endsWith(oldTutorChunk)) chunkStatuses.push(response.status());
    });
    await oldTab.getByRole('link', { name: 'Fractions' }).click();
    await oldTab.getByLabel('Ask the tutor').waitFor({ timeout: 20_000 });
    expect(chunkStatuses).toEqual([200]);
    expect(await oldTab.getByRole('alert').count()).toBe(0);

    await server.chaos({ http: { failRate: 0, pathPrefix: '/api' } });
    await page.getByRole('button', { name: 'Sync now' }).click({ timeout: 2_000 }).catch(() => undefined);
    await waitForPending(page, 0, 30_000);
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === 1, 'the queued answer applied');
    expect(stats.applied.map((a) => a.answer)).toEqual(['1/2']);
  });

  it('Background Sync: the worker asks the open tab to drain, and the queued answer syncs once', async () => {
    const page = await browser.newPage();
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await waitForServiceWorkerControl(page);
    await page.evaluate(() => {
      const box = globalThis as { __drainAsks?: number };
      box.__drainAsks = 0;
      navigator.serviceWorker.addEventListener('message', (event) => {
        if ((event.data as { type?: string } | null)?.type === 'outbox.drain') box.__drainAsks = (box.__drainAsks ?? 0) + 1;
      });
    });
    // Answers are refused for now. (The outbox's own timers may replay it too; what this shows is the wake-up
    // reaching the tab through the worker. A server's Retry-After would hold both back, as it should.)
    await server.chaos({ http: { failRate: 1, status: 503, pathPrefix: '/api/answers' } });
    await submitAnswer(page, 1, '3/8');
    await waitForPending(page, 1, 20_000);
    await server.chaos({ http: { failRate: 0, pathPrefix: '/api' } });

    // What Chromium does when connectivity returns: fire the tag the page registered.
    const cdp = await browser.context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event: { registrations: { registrationId: string; scopeURL: string }[] }) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    const registration = await waitFor(async () => registrations.find((r) => r.scopeURL.startsWith(server.url)), (r) => r !== undefined, 'the registration');
    // (The browser already fired the tag once, when the page registered it while online and the server refused.)
    const drainAsks = () => page.evaluate(() => (globalThis as { __drainAsks?: number }).__drainAsks ?? 0);
    const before = await drainAsks();
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin: server.url, registrationId: registration!.registrationId, tag: 'outbox-drain', lastChance: false });

    await waitFor(drainAsks, (n) => n === before + 1, 'the drain request');
    await waitForPending(page, 0, 20_000);
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === 1, 'the queued answer applied');
    expect(stats.applied.map((a) => a.answer)).toEqual(['3/8']);
    expect((await server.stats()).answers.applied).toBe(1);
  });

  it('the kill switch removes the worker and its caches without reloading the page', async () => {
    const page = await browser.newPage();
    await signIn(page, server.url, 'Ada');
    await waitForServiceWorkerControl(page);
    const loads = countPageLoads(page);

    deploy(killSwitch, servedDir);
    await checkForUpdate(page);
    const left = await waitFor(
      () => page.evaluate(async () => ({ registrations: (await navigator.serviceWorker.getRegistrations()).length, caches: await caches.keys() })),
      (state) => state.registrations === 0 && state.caches.length === 0,
      'the worker to unregister and its caches to go',
    );
    expect(left).toEqual({ registrations: 0, caches: [] });
    expect(loads.count).toBe(0);
    await page.getByRole('heading', { name: 'Lessons' }).waitFor(); // the open page keeps working

    await page.reload();
    await page.getByRole('heading', { name: 'Lessons' }).waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
    // Nothing serves the app offline any more.
    await server.server.close();
    await expect(page.reload()).rejects.toThrow(/ERR_CONNECTION_REFUSED/);
  });
});
