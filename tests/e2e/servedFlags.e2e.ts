import { connectionBanner, openLesson, signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

/** The app polls the served flags every 5 s (src/main.tsx); "within seconds" allows two polls and a render. */
const SWITCH_WITHIN_MS = 12_000;

describe('served flags in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('an operator switches the outbox off on the server: the open tab stops queuing within seconds and says so', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');

    // The API fails; with the outbox on, an answer is kept on the device.
    await server.chaos({ http: { failRate: 1, status: 503 } });
    const first = await submitAnswer(page, 1, '1/2');
    await waitForText(first.getByRole('status'), /^Saved offline — will sync/);
    await waitForPending(page, 1);

    await page.getByRole('button', { name: 'Developer tools' }).click();
    const outboxSwitch = page.getByRole('switch', { name: 'outbox', exact: true });
    expect(await outboxSwitch.getAttribute('aria-checked')).toBe('true');

    const flipped = await fetch(`${server.url}/__flags`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ flags: { outbox: { enabled: false } } }),
    });
    expect(flipped.status).toBe(200);
    const flippedAt = Date.now();
    await waitFor(() => outboxSwitch.getAttribute('aria-checked'), (value) => value === 'false', 'outbox switched off in the tab', SWITCH_WITHIN_MS);
    const appliedAfterMs = Date.now() - flippedAt;
    console.info(`served flag applied in the open tab after ${appliedAfterMs} ms`);

    // The next answer is not queued: it goes to the server, fails, and the card says it was not saved.
    const second = await submitAnswer(page, 2, '3/4');
    const words = await waitForText(second.getByRole('alert').or(second.getByRole('status')), /The server is having trouble right now\. Please try again/);
    expect(words).not.toMatch(/Saved offline/);
    await waitForPending(page, 1);

    // Offline, the banner no longer promises that answers are kept on this device.
    await page.context().setOffline(true);
    await waitForText(connectionBanner(page), /^Offline — you can keep reading; anything that needs the server will work again once you are back online\.$/);
    await page.context().setOffline(false);
    expect((await server.stats()).answers.applied).toBe(0);
  });
});
