import { openLesson, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForPending, type E2EWorld } from '../helpers/e2e';

const BREAKER_OPEN_MS = 1_000;

describe('saved answers across tabs and tab closes in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  /** Queues `count` answers on the fractions page while the browser is offline; returns them in order. */
  async function queueOffline(count: number, beforeOffline: () => Promise<void> = async () => {}): Promise<string[]> {
    const { page, server, browser } = world;
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', String(BREAKER_OPEN_MS));
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await beforeOffline();
    await browser.context.setOffline(true);
    const answers: string[] = [];
    for (let i = 0; i < count; i++) {
      answers.push(`${i}/7`);
      await submitAnswer(page, (i % 5) + 1, `${i}/7`);
      await waitForPending(page, i + 1);
    }
    return answers;
  }

  it('c. two tabs open with 30 queued answers when the network returns: exactly 30 applied, one drainer', async () => {
    const { page, server, browser } = world;
    const second = await browser.newPage();
    const answers = await queueOffline(30, async () => {
      await second.goto(`${server.url}/#/lessons/fractions`);
      await second.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
      await page.bringToFront(); // the student types in the first tab; the second stays open behind it
    });

    await browser.context.setOffline(false);
    await waitFor(() => server.stats(), (s) => s.answers.applied >= 30, '30 applied answers', 20_000);
    await waitForPending(page, 0);
    const stats = await server.stats();
    expect(stats.answers.applied).toBe(30);
    expect(new Set(stats.appliedKeys).size).toBe(30);
    expect(stats.applied.map((a) => a.answer)).toEqual(answers);
    // Two drainers would send the same keys twice: the server would see replays or in-flight conflicts.
    expect(stats.answers.replayed).toBe(0);
    expect(stats.answers.conflicts).toBe(0);
  });

  it('d. the tab closes in the middle of a drain: the rest drains on the next visit, exactly once', async () => {
    const { page, server, browser } = world;
    const answers = await queueOffline(12);
    // Slow answers: the tab closes while the server holds the drain's request (its keys reserved, not acked).
    await server.chaos({ http: { latencyMs: 1_500, pathPrefix: '/api/answers' } });
    await browser.context.setOffline(false);
    await waitFor(() => server.stats(), (s) => s.answers.inFlight >= 1, 'a drain request in flight', 15_000);
    await page.close();
    expect((await server.stats()).answers.applied).toBeLessThan(12);

    await server.chaos({ http: { latencyMs: 0, pathPrefix: '/api' } });
    const next = await browser.newPage();
    await next.goto(`${server.url}/#/lessons/fractions`);
    await waitFor(() => server.stats(), (s) => s.answers.applied >= 12, 'all 12 applied', 20_000);
    await waitForPending(next, 0);
    const stats = await server.stats();
    expect(stats.answers.applied).toBe(12);
    expect(new Set(stats.appliedKeys).size).toBe(12);
    expect(stats.applied.map((a) => a.answer)).toEqual(answers);
  });
});
