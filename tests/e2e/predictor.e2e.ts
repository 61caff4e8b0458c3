import type { Page } from 'playwright-core';
import { recordApiRequests, setDevSetting, signIn, startWorld, waitFor, waitForText, type E2EWorld } from '../helpers/e2e';

/** The predictor on (the shipped file rolls it out to nobody) and evaluating every second instead of 30 s. */
async function predictorOn(page: Page, url: string): Promise<void> {
  await setDevSetting(page, url, 'resilience.flagOverrides', JSON.stringify({ predictor: true }));
  await setDevSetting(page, url, 'tutor.dev.predictorIntervalMs', '1000');
}

const level = (page: Page) => page.getByTestId('predictor-level');
const apiBreaker = (page: Page) => page.getByRole('row', { name: /^api/ });

async function openDevTools(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Developer tools' }).click();
  await page.getByRole('heading', { name: 'Error predictor' }).waitFor();
}

/** Same-document navigation (the runtime keeps running), waiting for the page's heading. */
async function visit(page: Page, url: string, hash: string, heading: string | RegExp): Promise<void> {
  await page.goto(`${url}/${hash}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 20_000 });
}

describe('the error predictor in Chromium', () => {
  let world: E2EWorld;
  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('latency rising step by step: the level reaches high before the breaker opens, and the next lesson is cached in advance and served in the outage', async () => {
    const { page, server } = world;
    await predictorOn(page, server.url);
    // This machine's real CPU pressure must not count: the CPU source reads a steady "nominal" here.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setPressureSourceOverrideEnabled', { enabled: true, source: 'cpu' });
    await cdp.send('Emulation.setPressureStateOverride', { source: 'cpu', state: 'nominal' });
    await signIn(page, server.url, 'Ada');
    await openDevTools(page);
    const requests = recordApiRequests(page);
    await visit(page, server.url, '#/lessons/fractions', 'Fractions');

    // The student goes back and forth between the list and the lesson while the server slows down step by step.
    let reached: string | undefined;
    for (let latencyMs = 200; latencyMs <= 7000 && !reached; latencyMs += 500) {
      await server.chaos({ http: { latencyMs } });
      for (let trip = 0; trip < 2 && !reached; trip++) {
        await visit(page, server.url, '#/', 'Lessons');
        await visit(page, server.url, '#/lessons/fractions', 'Fractions');
        const now = (await level(page).textContent()) ?? '';
        if (now === 'high' || now === 'critical') reached = `${now} at ${latencyMs} ms`;
      }
    }
    expect(reached).toBeDefined();
    console.info(`predictor level ${reached} of added latency`);
    // The warning came while every request still succeeded: the breaker is closed.
    await waitForText(apiBreaker(page), /^api\s*closed/, 1000);
    // The predictor prefetched the next lesson, which the student never opened.
    const prefetchedNext = requests.paths.includes('GET /api/lessons/percentages');
    expect(prefetchedNext).toBe(true);

    // The outage: every request fails. The breaker opens; both lessons come from the saved copies.
    await server.chaos({ http: { latencyMs: 0, failRate: 1, status: 503 } });
    let trips = 0;
    await waitFor(
      async () => {
        // Each lesson load is served from its saved copy after its failed attempts; each is one breaker failure.
        await visit(page, server.url, trips++ % 2 === 0 ? '#/lessons/fractions' : '#/', trips % 2 === 1 ? 'Fractions' : 'Lessons');
        return (await apiBreaker(page).textContent()) ?? '';
      },
      (text) => /^api\s*open/.test(text),
      'the API breaker to open',
      60_000,
    );
    await visit(page, server.url, '#/lessons/percentages', 'Percentages');
    await page.getByText(/^Saved copy from/).waitFor();
    await visit(page, server.url, '#/lessons/fractions', 'Fractions');
    await page.getByText(/^Saved copy from/).waitFor();
  });

  it('CPU pressure critical (CDP override) suggests text-only; the button switches the mode', async () => {
    const { page, server } = world;
    await predictorOn(page, server.url);
    // The virtual pressure source must exist before the page's PressureObserver does (one created earlier
    // keeps reading the machine's real CPU pressure), so it is set up before the student's runtime starts.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setPressureSourceOverrideEnabled', { enabled: true, source: 'cpu' });
    await cdp.send('Emulation.setPressureStateOverride', { source: 'cpu', state: 'nominal' });
    await signIn(page, server.url, 'Ada');
    const suggestion = page.getByRole('status').filter({ hasText: 'This device is struggling' });
    await page.waitForTimeout(3000); // several evaluations at nominal: no offer
    expect(await suggestion.count()).toBe(0);
    await cdp.send('Emulation.setPressureStateOverride', { source: 'cpu', state: 'critical' });
    await waitForText(suggestion, /CPU pressure critical/, 15_000);

    // The pressure eases: the offer is withdrawn. It comes back with the pressure, and the student takes it.
    await cdp.send('Emulation.setPressureStateOverride', { source: 'cpu', state: 'nominal' });
    await suggestion.waitFor({ state: 'detached', timeout: 15_000 });
    await cdp.send('Emulation.setPressureStateOverride', { source: 'cpu', state: 'critical' });
    await page.getByRole('button', { name: 'Switch to text-only' }).click();
    await suggestion.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Leave text-only mode' }).waitFor();
  });
});
