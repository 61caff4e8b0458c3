import { queueTwoAnswersOffline, openLesson, pendingWork, recordApiRequests, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

/**
 * Failures while the browser is offline count towards the API breaker; a short open period (dev setting) keeps
 * the wait for its recovery probe after reconnecting short.
 */
const BREAKER_OPEN_MS = 1_000;

describe('replaying saved answers in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('b. an answer the server applied but whose response was lost is replayed with its key and still applied once', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');

    // The server applies the answer, then the connection is cut before the response reaches the page.
    await server.chaos({ http: { dropResponseRate: 1, pathPrefix: '/api/answers' } });
    const card = await submitAnswer(page, 1, '3/8');
    await waitFor(() => server.stats(), (s) => s.answers.applied === 1, 'the answer applied');
    await server.chaos({ http: { dropResponseRate: 0, pathPrefix: '/api' } });

    // The outbox replays with the same key: the server's stored response comes back, and the page shows it.
    await waitForText(card.getByRole('status'), /^Not quite…/);
    await waitForPending(page, 0);
    const stats = await server.stats();
    expect(stats.answers.applied).toBe(1);
    expect(stats.answers.replayed).toBeGreaterThanOrEqual(1);
    expect(stats.http.chaosDroppedResponses).toBeGreaterThanOrEqual(1);
    expect(stats.applied.map((a) => a.answer)).toEqual(['3/8']);
  });

  it('e. a 503 with Retry-After during replay: nothing is sent before it expires, then the answers drain', async () => {
    const { page, server, browser } = world;
    await queueTwoAnswersOffline(world, BREAKER_OPEN_MS);

    const requests = recordApiRequests(page);
    await server.chaos({ http: { failRate: 1, status: 503, retryAfterSeconds: 3, pathPrefix: '/api/answers' } });
    await browser.context.setOffline(false);
    await waitFor(() => server.stats(), (s) => s.http.chaosFailures >= 1, 'the first replay refused with Retry-After');
    await server.chaos({ http: { failRate: 0, retryAfterSeconds: null, pathPrefix: '/api' } });
    // "Sync now" during the wait honours the server's Retry-After too.
    await page.getByRole('button', { name: 'Sync now' }).click();

    await waitFor(() => server.stats(), (s) => s.answers.applied === 2, 'both answers applied', 15_000);
    await waitForPending(page, 0);
    // Single answers or a batch of them: either way nothing reaches /api/answers… until Retry-After has passed.
    const answerTimes = requests.times.filter((_, i) => requests.paths[i]?.startsWith('POST /api/answers'));
    const [refused, ...after] = answerTimes;
    expect(refused, requests.paths.join(', ')).toBeDefined();
    expect(after.length).toBeGreaterThanOrEqual(1);
    for (const at of after) expect(at - (refused ?? 0)).toBeGreaterThanOrEqual(2_900); // 3 s, less event-timing jitter
    const stats = await server.stats();
    expect(stats.answers.applied).toBe(2);
    expect(stats.applied.map((a) => a.answer)).toEqual(['3/8', '1/4']);
  });

  it('f. an answer the server rejects (422) goes to "Needs your attention" and blocks neither its lesson nor others', async () => {
    const { page, server, browser } = world;
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', String(BREAKER_OPEN_MS));
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'linear-equations', 'Linear equations');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await browser.context.setOffline(true);
    const tooLong = 'x'.repeat(201); // the server refuses answers over 200 characters (422 ANSWER_TOO_LONG)
    await submitAnswer(page, 1, tooLong);
    await waitForPending(page, 1);
    await submitAnswer(page, 2, '1/4');
    await waitForPending(page, 2);
    await page.getByRole('link', { name: '← All lessons' }).waitFor();
    await openLesson(page, server.url, 'linear-equations', 'Linear equations');
    await submitAnswer(page, 1, 'x = 4');
    await waitForPending(page, 3);

    await browser.context.setOffline(false);
    await waitFor(() => server.stats(), (s) => s.answers.applied === 2, 'the two valid answers applied');
    await waitForPending(page, 0);
    const attention = page.getByRole('region', { name: 'Needs your attention' });
    await waitForText(attention, /Your answer “x{201}” to Fractions, exercise 1\.\s*The server did not accept it\./);
    const stats = await server.stats();
    expect(stats.applied.map((a) => [a.lessonId, a.answer])).toEqual(
      expect.arrayContaining([
        ['fractions', '1/4'],
        ['linear-equations', 'x = 4'],
      ]),
    );
    expect(stats.answers.rejected).toBe(1);

    // The student decides: discard it. Nothing more is sent.
    await attention.getByRole('button', { name: 'Discard' }).click();
    await attention.waitFor({ state: 'detached' });
    expect(await pendingWork(page).textContent()).toBe('');
    const after = await server.stats();
    expect(after.answers.applied).toBe(2);
    expect(after.answers.rejected).toBe(1);
  });
});
