import { signIn, startWorld, type E2EWorld } from '../helpers/e2e';

describe('developer panel metrics in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('the breaker timeline shows the api breaker opening during 503s injected by runtime chaos', async () => {
    const { page, server } = world;
    await page.goto(`${server.url}/?chaos=1:backend-503`);
    await signIn(page, server.url, 'Ada', { goto: false });
    await page.getByRole('button', { name: 'Developer tools' }).click();
    const timeline = page.getByRole('img', { name: /^api breaker: .*open at/ });
    for (let tries = 0; (await timeline.count()) === 0; tries++) {
      expect(tries).toBeLessThan(10);
      const again = page.getByRole('button', { name: 'Try again' });
      if (await again.isVisible()) await again.click();
      await page.waitForTimeout(1_000); // the chart redraws every second
    }
    expect(await timeline.locator('rect[data-state="open"]').count()).toBeGreaterThan(0);
    await page.getByRole('img', { name: /^api error rate: latest 1,/ }).waitFor();
    // Injected innermost: the server never saw a lesson request.
    expect((await server.stats()).http.chaosFailures).toBe(0);
  });
});
