import type { Page } from 'playwright-core';
import { recordApiRequests, setDevSetting, signIn, startWorld, waitForText, type E2EWorld } from '../helpers/e2e';

const LIMITED = /^Limited mode — the server is having trouble; we'll keep trying\.$/;
/** Long enough for the reload and second-tab checks to finish before the first probe is due. */
const BREAKER_OPEN_MS = 8_000;

const banner = (page: Page) => page.locator('.banner-slot').getByRole('status');

describe('the API circuit breaker in Chromium, across a reload and a second tab', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('opens on a failing API, stays open after reload and in a second tab without hammering, and one probe closes it everywhere', async () => {
    const { page, server, browser } = world;
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', String(BREAKER_OPEN_MS));
    // Saved copies of the lessons would stand in for the failing API; this spec is about the breaker alone.
    await setDevSetting(page, server.url, 'resilience.flagOverrides', JSON.stringify({ responseCache: false }));
    await signIn(page, server.url, 'Ada');
    expect(await banner(page).textContent()).toBe('');

    // The API fails every request: each load (with its own retries) is one failure for the breaker.
    await server.chaos({ http: { failRate: 1, status: 503 } });
    await page.reload();
    for (let load = 1; !LIMITED.test((await banner(page).textContent()) ?? ''); load++) {
      expect(load).toBeLessThanOrEqual(5);
      await page.getByRole('alert').waitFor();
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('alert').waitFor();
    }
    await waitForText(banner(page), LIMITED);
    await page.getByRole('button', { name: 'Developer tools' }).click();
    await waitForText(page.getByRole('row', { name: /^api/ }), /^api\s*open/);

    // After a reload the breaker is still open: the banner says so at once and the lessons fail fast.
    const failuresBeforeReload = (await server.stats()).http.chaosFailures;
    const firstTab = recordApiRequests(page);
    await page.reload();
    await waitForText(banner(page), LIMITED, 2_000);
    await waitForText(page.getByRole('alert'), /The lessons could not be loaded\. The server is having trouble/, 2_000);
    expect(firstTab.paths).toEqual([]);

    // A second tab learns the open state from storage and does not call the API either.
    const second = await browser.newPage();
    const secondTab = recordApiRequests(second);
    await second.goto(server.url);
    await waitForText(banner(second), LIMITED, 5_000);
    await waitForText(second.getByRole('alert'), /The server is having trouble/, 2_000);
    expect(secondTab.paths).toEqual([]);
    expect((await server.stats()).http.chaosFailures).toBe(failuresBeforeReload);

    // The API heals: when the open period ends, one probe from one tab closes the breaker in both.
    await server.chaos({ http: { failRate: 0 } });
    const requestsBefore = (await server.stats()).http.requests;
    await waitForText(banner(page), /^$/, BREAKER_OPEN_MS + 10_000);
    await waitForText(banner(second), /^$/, 5_000);
    // Exactly one probe went out, from one tab, before anything else; once it closed the breaker both tabs
    // refreshed what had failed (the lesson list) without a reload, and nothing else was sent.
    await page.getByRole('link', { name: 'Fractions' }).waitFor({ timeout: 5_000 });
    await second.getByRole('link', { name: 'Fractions' }).waitFor({ timeout: 5_000 });
    const all = [...firstTab.paths, ...secondTab.paths];
    expect(all.filter((path) => path === 'GET /api/health')).toHaveLength(1);
    const prober = firstTab.paths.includes('GET /api/health') ? firstTab : secondTab;
    expect(prober.paths[0]).toBe('GET /api/health');
    expect(all.filter((path) => path !== 'GET /api/health').every((path) => path === 'GET /api/lessons')).toBe(true);
    const requestsAfter = (await server.stats()).http.requests;
    // The probe, each tab's refresh of the lesson list, and this /__stats request itself.
    expect(requestsAfter - requestsBefore).toBe(all.length + 1);
    await page.getByRole('button', { name: 'Developer tools' }).click(); // collapsed again since the reload
    await waitForText(page.getByRole('row', { name: /^api/ }), /^api\s*closed/);
  });
});
