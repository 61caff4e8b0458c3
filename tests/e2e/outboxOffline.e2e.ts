import type { StatsResponse } from '../../src/protocol/dev';
import { openLesson, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

/** Short open period so the API breaker the outage opened closes soon after the server heals. */
const BREAKER_OPEN_MS = 1_500;

/** The answers of one lesson, in apply order, as the server recorded them. */
const appliedIn = (stats: StatsResponse, lessonId: string) => stats.applied.filter((a) => a.lessonId === lessonId).map((a) => a.answer);

describe('offline answers in Chromium with real IndexedDB', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('a. 20 answers over 2 lessons during an outage, two reloads, then back online: each applied exactly once, in order per lesson', async () => {
    const { page, server } = world;
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', String(BREAKER_OPEN_MS));
    await signIn(page, server.url, 'Ada');
    // Visited online once, so saved copies exist for the outage.
    await openLesson(page, server.url, 'linear-equations', 'Linear equations');
    await openLesson(page, server.url, 'fractions', 'Fractions');

    await server.chaos({ http: { failRate: 1, status: 503 } });
    const sent: Record<string, string[]> = { fractions: [], 'linear-equations': [] };
    const answerOffline = async (lessonId: string, exercise: number, text: string) => {
      const card = await submitAnswer(page, exercise, text);
      sent[lessonId]?.push(text);
      const total = sent.fractions!.length + sent['linear-equations']!.length;
      await waitForPending(page, total);
      await waitForText(card.getByRole('status'), /^Saved offline — will sync/);
    };

    for (let i = 0; i < 6; i++) await answerOffline('fractions', (i % 5) + 1, `f${i}`);
    await page.reload(); // reload 1: the saved lesson copy comes back, and so does the count
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForText(page.locator('.stale-label').first(), /^Saved copy from .* — you're offline or the server is having trouble\.$/);
    await waitForPending(page, 6);
    for (let i = 6; i < 10; i++) await answerOffline('fractions', (i % 5) + 1, `f${i}`);

    await openLesson(page, server.url, 'linear-equations', 'Linear equations');
    for (let i = 0; i < 5; i++) await answerOffline('linear-equations', i + 1, `x = ${i}`);
    await page.reload(); // reload 2
    await page.getByRole('heading', { level: 1, name: 'Linear equations' }).waitFor();
    await waitForPending(page, 15);
    for (let i = 5; i < 10; i++) await answerOffline('linear-equations', (i % 5) + 1, `x = ${i}`);
    await waitForPending(page, 20);
    expect((await server.stats()).answers.applied).toBe(0);

    // The server heals; the next visit (start-up trigger) drains everything.
    await server.chaos({ http: { failRate: 0 } });
    await page.reload();
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied >= 20, '20 applied answers', 20_000);
    await waitForPending(page, 0);
    const final = await server.stats();
    expect(final.answers.applied).toBe(20);
    expect(new Set(final.appliedKeys).size).toBe(20);
    expect(appliedIn(final, 'fractions')).toEqual(sent.fractions);
    expect(appliedIn(final, 'linear-equations')).toEqual(sent['linear-equations']);
    expect(stats.applied.every((a) => a.student === 'ada')).toBe(true);
  });
});
