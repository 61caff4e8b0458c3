import { openLesson, pendingWork, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

/**
 * g. Storage quota exhausted. Chromium 156 ignores CDP's Storage.overrideQuotaForOrigin for IndexedDB
 * (navigator.storage.estimate() keeps reporting the disk's quota and writes succeed), so the quota is
 * exhausted at the browser edge instead: from the moment the test says so, every IndexedDB write fails
 * the way Chromium fails it when the origin is over quota, with a QuotaExceededError DOMException.
 */
describe('storage quota exhausted, in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('g. the student sees a clear error, and the answers saved before are neither lost nor duplicated', async () => {
    const { page, server, browser } = world;
    await browser.context.addInitScript(() => {
      const quotaFull = () => sessionStorage.getItem('e2e.quotaFull') === '1';
      for (const method of ['put', 'add'] as const) {
        const original = IDBObjectStore.prototype[method];
        IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
          if (quotaFull()) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          return original.apply(this, args);
        };
      }
    });
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', '1000');
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');

    await browser.context.setOffline(true);
    const first = await submitAnswer(page, 1, '1/2');
    await waitForText(first.getByRole('status'), /Saved offline — will sync/);
    await waitForPending(page, 1);
    await submitAnswer(page, 2, '3/4');
    await waitForPending(page, 2);

    await page.evaluate(() => sessionStorage.setItem('e2e.quotaFull', '1'));
    const third = await submitAnswer(page, 3, '5/6');
    await waitForText(third.getByRole('alert'), /out of storage space.*Nothing you saved before is lost/);
    expect(await third.getByLabel('Answer').inputValue()).toBe('5/6');
    expect(await third.textContent()).not.toMatch(/Saved offline/);
    await waitForPending(page, 2);

    // Space comes back and so does the network: exactly the two saved answers are applied, once, in order.
    await page.evaluate(() => sessionStorage.removeItem('e2e.quotaFull'));
    await browser.context.setOffline(false);
    await waitFor(() => server.stats(), (s) => s.answers.applied >= 2, 'the saved answers applied');
    await waitForPending(page, 0);
    const stats = await server.stats();
    expect(stats.applied.map((a) => [a.exerciseId, a.answer])).toEqual([
      ['pizza-left', '1/2'],
      ['add-quarter-half', '3/4'],
    ]);
    expect(stats.answers.replayed).toBe(0);
    expect(await pendingWork(page).textContent()).toBe('');
  });
});
