import { queueTwoAnswersOffline, openLesson, pendingWork, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

const BREAKER_OPEN_MS = 1_000;

describe('storage without IndexedDB, and switching students, in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('h. IndexedDB unavailable: the app still works and says saving offline is off', async () => {
    const { page, server, browser } = world;
    await browser.context.addInitScript(() => {
      Object.defineProperty(window, 'indexedDB', { value: undefined });
    });
    await signIn(page, server.url, 'Ada');
    await waitForText(page.locator('.storage-notice'), /^Saving offline is off in this browser — answers need a connection\.$/);
    await openLesson(page, server.url, 'fractions', 'Fractions');
    const card = await submitAnswer(page, 1, '1/2');
    await waitForText(card.getByRole('status'), /^Correct/);

    await browser.context.setOffline(true);
    await submitAnswer(page, 2, '1/4');
    await waitForText(page.getByRole('group', { name: 'Exercise 2' }).getByRole('alert'), /^Your answer was not sent\. We couldn't reach the server, and saving offline is off in this browser/);
    expect(await pendingWork(page).textContent()).toBe('');
    expect((await server.stats()).answers.applied).toBe(1);
  });

  it('i. A logs out and B logs in while offline: nothing of A is shown to or replayed for B; A\'s answers sync when A returns', async () => {
    const { page, server, browser } = world;
    await queueTwoAnswersOffline(world, BREAKER_OPEN_MS);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Your name').fill('Bob');
    await page.getByRole('button', { name: 'Start learning' }).click();
    // Bob has no saved copy of the lesson (Ada's was purged and is never his), and no pending answers.
    await waitForText(page.getByRole('alert'), /^This lesson could not be loaded\./);
    expect(await pendingWork(page).textContent()).toBe('');
    await page.goto(`${server.url}/#/`);
    await waitForText(page.getByRole('alert'), /^The lessons could not be loaded\./);
    expect(await pendingWork(page).textContent()).toBe('');

    // Bob comes online: the list reloads by itself (no "Try again" needed), and still nothing of Ada's is sent.
    await browser.context.setOffline(false);
    await page.getByRole('link', { name: 'Fractions' }).waitFor();
    expect((await server.stats()).answers.received).toBe(0);

    // Ada returns: her two answers sync, as Ada, in order.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Continue as Ada' }).click();
    await waitFor(() => server.stats(), (s) => s.answers.applied >= 2, "Ada's answers applied");
    await waitForPending(page, 0);
    const stats = await server.stats();
    expect(stats.applied.map((a) => [a.student, a.answer])).toEqual([
      ['ada', '3/8'],
      ['ada', '1/4'],
    ]);
  });
});
