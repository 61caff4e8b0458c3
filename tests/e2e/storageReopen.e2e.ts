import { openLesson, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

describe('IndexedDB connection closed under the app, in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('another connection upgrades the database (versionchange): the next answer is still stored durably and syncs once', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await server.chaos({ http: { failRate: 1, status: 503, pathPrefix: '/api/answers' } });
    const first = await submitAnswer(page, 1, '1/2');
    await waitForText(first.getByRole('status'), /^Saved offline — will sync/, 15_000);
    await waitForPending(page, 1);

    // A second connection (another tab, a newer build) opens the app's database at a higher version: the
    // app's own connection gets `versionchange` and must close to let it through.
    const upgradedTo = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const request = indexedDB.open('resilience', 9);
          request.onsuccess = () => {
            const version = request.result.version;
            request.result.close();
            resolve(version);
          };
          request.onerror = () => reject(new Error(String(request.error)));
          request.onblocked = () => reject(new Error('blocked: the app did not close its connection'));
        }),
    );
    expect(upgradedTo).toBe(9);

    const second = await submitAnswer(page, 2, '1/4');
    await waitForText(second.getByRole('status'), /^Saved offline — will sync/, 15_000);
    await waitForPending(page, 2);

    // Durable: a reload finds both, and once the server accepts answers each is applied exactly once.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
    await waitForPending(page, 2);
    await server.chaos({ http: { failRate: 0 } });
    // The outbox retries by itself (its backoff timer, or any success as a trigger): no click needed.
    const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === 2, 'both answers applied', 30_000);
    expect(stats.applied.map((a) => a.answer)).toEqual(['1/2', '1/4']);
    await waitForPending(page, 0);
  });
});
