import { queueTwoAnswersOffline, openLesson, pendingWork, recordApiRequests, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

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

  it('i. A logs out while offline and B signs in on the same browser: nothing of A is shown to or sent for B; A\'s answers sync when A returns', async () => {
    const { page, server, browser } = world;
    await queueTwoAnswersOffline(world, BREAKER_OPEN_MS);

    // Signing out cannot reach the server while offline; the screen still returns to the sign-in form.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Your name').waitFor();
    // Signing in needs the server: offline, Bob is told so and is not signed in.
    await page.getByLabel('Your name').fill('Bob');
    await page.getByLabel('Passphrase', { exact: true }).fill('bobs own passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page.getByRole('alert'), /^The server could not be reached, so you are not signed in\./);

    // Online, Bob signs in (his cookie replaces Ada's) and answers once: no pending answers of Ada's, none sent.
    await browser.context.setOffline(false);
    const requests = recordApiRequests(page);
    await signIn(page, server.url, 'Bob', { passphrase: 'bobs own passphrase' });
    await openLesson(page, server.url, 'fractions', 'Fractions');
    expect(await pendingWork(page).textContent()).toBe('');
    await waitForText((await submitAnswer(page, 3, '1/2')).getByRole('status'), /^(Correct|Not quite)/);
    expect((await server.stats()).applied.map((a) => a.student)).toEqual(['bob']);
    expect(requests.paths.filter((path) => path.startsWith('POST /api/answers'))).toEqual(['POST /api/answers']);

    // Ada returns: her two answers sync, as Ada, in order.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Continue as Ada' }).click();
    await signIn(page, server.url, 'Ada', { goto: false });
    await waitFor(() => server.stats(), (s) => s.answers.applied >= 2, "Ada's answers applied");
    await waitForPending(page, 0);
    const stats = await server.stats();
    expect(stats.applied.map((a) => [a.student, a.answer])).toEqual([
      ['bob', '1/2'],
      ['ada', '3/8'],
      ['ada', '1/4'],
    ]);
  });
});
