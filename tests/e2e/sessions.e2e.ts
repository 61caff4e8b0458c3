import { openLesson, pendingWork, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';
import type { Route } from 'playwright-core';
import { TEST_PASSPHRASE } from '../helpers/server';

const BREAKER_OPEN_MS = 1_000;

/** Ends every sign-in session on the server now (development endpoint), as SESSION_TTL passing would. */
async function expireSessions(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/__sessions/expire`, { method: 'POST' });
  return ((await response.json()) as { expired: number }).expired;
}

describe('sign-in sessions in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /** Ada signs in, opens Fractions, goes offline and queues `count` answers. */
  async function queueOffline(count: number): Promise<void> {
    const { page, server, browser } = world;
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', String(BREAKER_OPEN_MS));
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await browser.context.setOffline(true);
    for (let i = 0; i < count; i++) {
      await submitAnswer(page, (i % 5) + 1, `${i}/9`);
      await waitForPending(page, i + 1);
    }
  }

  it('the session expires with 10 answers queued offline: back online the page asks to sign in again, then they sync once, as Ada', async () => {
    const { page, server, browser } = world;
    await queueOffline(10);
    expect(await expireSessions(server.url)).toBe(1);

    await browser.context.setOffline(false);
    const notice = page.getByRole('heading', { name: 'Sign in again to sync 10 answers' });
    await notice.waitFor();
    // Paused, not failed: still 10 pending, nothing applied, nothing in "Needs your attention".
    await waitForText(pendingWork(page), /^10 pending/);
    expect(await page.getByText('Needs your attention').count()).toBe(0);
    expect((await server.stats()).answers.applied).toBe(0);

    await page.getByLabel('Passphrase for Ada').fill(TEST_PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForPending(page, 0);
    await notice.waitFor({ state: 'detached' });
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === 10, '10 answers applied');
    expect(stats.applied.map((a) => a.student)).toEqual(Array(10).fill('ada'));
    expect(stats.applied.map((a) => a.answer)).toEqual(Array.from({ length: 10 }, (_, i) => `${i}/9`));
    expect(new Set(stats.appliedKeys).size).toBe(10);
    expect(stats.answers.replayed).toBe(0);
  });

  it('Bob signing in in another tab of the same browser never sends or sees Ada\'s queued answers; Ada signs in again and they sync as Ada', async () => {
    const { page, server, browser } = world;
    await queueOffline(3);
    // Ada's answers cannot reach the server for now, from any tab (they stay queued while the browser is online).
    const blockAda = (route: Route) => (route.request().headers()['x-student-id'] === 'ada' ? route.abort('internetdisconnected') : route.continue());
    await browser.context.route('**/api/answers**', blockAda);
    await browser.context.setOffline(false);

    // Another tab (it opens as Ada, this browser's student): Ada logs out there and Bob signs in; the browser's
    // session cookie is now Bob's.
    const bobTab = await browser.newPage();
    await bobTab.goto(server.url);
    await bobTab.getByRole('button', { name: 'Log out' }).click();
    await signIn(bobTab, server.url, 'Bob', { passphrase: 'bobs own passphrase', goto: false });
    await openLesson(bobTab, server.url, 'fractions', 'Fractions');
    await waitForText((await submitAnswer(bobTab, 1, '1/2')).getByRole('status'), /^(Correct|Not quite)/);
    expect(await pendingWork(bobTab).textContent()).toBe('');

    // Ada's tab syncs now, with Bob's cookie: refused (it is for Ada), so it pauses and asks Ada to sign in again.
    await browser.context.unroute('**/api/answers**', blockAda);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('heading', { name: 'Sign in again to sync 3 answers' }).waitFor();
    expect((await server.stats()).applied.map((a) => a.student)).toEqual(['bob']);
    expect(await page.getByText('Needs your attention').count()).toBe(0);

    await page.getByLabel('Passphrase for Ada').fill(TEST_PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForPending(page, 0);
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === 4, "Ada's 3 answers applied");
    expect(stats.applied.map((a) => [a.student, a.answer])).toEqual([
      ['bob', '1/2'],
      ['ada', '0/9'],
      ['ada', '1/9'],
      ['ada', '2/9'],
    ]);
  });
});
