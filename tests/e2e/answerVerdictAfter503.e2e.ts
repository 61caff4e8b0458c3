import { openLesson, signIn, startWorld, submitAnswer, waitForText, type E2EWorld } from '../helpers/e2e';

describe('an answer meeting one 503 while online (Chromium)', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('is sent again inside its 8 s wait: the verdict appears with no "Saved offline" in between', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    // Every status the page shows from now on (exercise outcomes, banner, pending work) is recorded, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenTexts: string[] }).seenTexts = seen;
      const read = () => [...document.querySelectorAll('[role=status], .pending-work')].map((element) => element.textContent ?? '').join(' | ');
      new MutationObserver(() => seen.push(read())).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await server.chaos({ http: { failNext: 1, pathPrefix: '/api/answers' } });

    const card = await submitAnswer(page, 1, '1/2');
    await waitForText(card.getByRole('status'), /^Correct/, 10_000);
    const seen = await page.evaluate(() => (window as unknown as { seenTexts: string[] }).seenTexts);
    expect(seen.filter((text) => text.includes('Saved offline'))).toEqual([]);
    const stats = await server.stats();
    expect(stats.http.chaosFailures).toBe(1);
    expect(stats.answers.applied).toBe(1);
  });
});
