import type { Page } from 'playwright-core';
import { askTutor, completedReply, connectionBanner, openLesson, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

const OFFLINE = /^Offline — /;

/** The tutor socket is open (welcomed): a live reply came. */
async function tutorIsLive(page: Page): Promise<void> {
  const reply = await completedReply(await askTutor(page, 'What is a fraction?'));
  expect(reply).not.toMatch(/\((saved answer|simplified tutor|offline hint)\)$/);
}

/** Samples whether an alertdialog is on screen for `ms`; resolves the number of samples that saw one. */
async function dialogSamples(page: Page, ms: number): Promise<number> {
  let seen = 0;
  const endAt = Date.now() + ms;
  while (Date.now() < endAt) {
    if (await page.getByRole('alertdialog').isVisible().catch(() => false)) seen += 1;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return seen;
}

describe('offline is announced at once, and working offline is not blocked', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('the server killed: the banner says "Offline" within 5 s, with no student action', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await tutorIsLive(page);
    expect(await connectionBanner(page).textContent()).toBe('');

    await server.server.close(); // every connection cut, the port closed: nothing answers any more
    const killedAt = Date.now();
    await waitForText(connectionBanner(page), OFFLINE, 5_000);
    const announcedAfterMs = Date.now() - killedAt;
    console.info(`"Offline" shown ${announcedAfterMs} ms after the server was killed`);
    expect(announcedAfterMs).toBeLessThan(5_000);
  });

  it('an answer safely queued, then the server gone: no alertdialog, and the student keeps answering and asking', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await tutorIsLive(page);
    // Answers fail (the rest works): the first answer is queued durably, "Saved offline".
    await server.chaos({ http: { failRate: 1, status: 503, pathPrefix: '/api/answers' } });
    const first = await submitAnswer(page, 1, '1/2');
    await waitForText(first.getByRole('status'), /^Saved offline — will sync/, 15_000);
    await waitForPending(page, 1);

    await server.server.close();
    await waitForText(connectionBanner(page), OFFLINE, 10_000);
    expect(await dialogSamples(page, 3_000)).toBe(0);
    // A non-modal notice instead: the banner says what still works, the header how much is waiting.
    await waitForText(connectionBanner(page), /^Offline — you can keep reading and answering: answers are saved on this device/);
    await waitForPending(page, 1);

    // The page is usable: type and submit another answer, type a question and press Send (a modal's backdrop
    // would intercept these clicks).
    const second = await submitAnswer(page, 2, '1/4');
    await waitForText(second.getByRole('status'), /^Saved offline — will sync/);
    await waitForPending(page, 2);
    const hint = await completedReply(await askTutor(page, 'I am stuck on exercise 3'));
    expect(hint).toMatch(/\(offline hint\)$/);
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await waitFor(() => page.getByRole('alertdialog').count(), (count) => count === 0, 'no dialog');
  });
});
