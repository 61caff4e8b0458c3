import { askTutor, completedReply, openLesson, setDevSetting, signIn, startWorld, submitAnswer, waitFor, waitForText, type E2EWorld } from '../helpers/e2e';
import { configureMonitoring, raiseUncaught, recordSinkTraffic, sinkEnvelopes, sinkErrorMessages, sinkItems, sinkMetrics } from '../helpers/sentrySink';

const sentryChunkRequests = (urls: readonly string[]) => urls.filter((url) => /sentryBridge-[^/]*\.js/.test(url));

describe('monitoring in Chromium against the local envelope sink', () => {
  let world: E2EWorld;
  let scripts: string[];

  beforeEach(async () => {
    world = await startWorld();
    scripts = [];
    world.page.on('request', (request) => void scripts.push(request.url()));
  });
  afterEach(async () => {
    await world.close();
  });

  it('an error and a recovery arrive as an error event with resilience context and breadcrumbs, and as metrics', async () => {
    const { page, server } = world;
    await configureMonitoring(page, server, { flag: true });
    await setDevSetting(page, server.url, 'tutor.dev.breakerOpenMs', '1500');
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions'); // a saved copy exists from now on
    await waitFor(async () => sentryChunkRequests(scripts).length, (n) => n >= 1, 'the Sentry chunk to load');
    // Lessons only: with every API path failing, the breaker could open before the second lesson's recovery
    // (polls and progress count too), which then ends as circuit_open instead of escalating.
    await server.chaos({ http: { failRate: 1, status: 503, pathPrefix: '/api/lessons' } });
    await page.reload(); // the saved copy answers: a fallback
    await waitForText(page.locator('.stale-label').first(), /^Saved copy from/);
    // A lesson never visited has no saved copy: the RecoveryOrchestrator runs its whole flow and escalates.
    await page.goto(`${server.url}/#/lessons/percentages`);
    const recovered = await waitFor(() => sinkEnvelopes(server), (list) => sinkMetrics(list).some((m) => m.name === 'resilience.recovery'), 'a finished recovery in the sink', 30_000);
    await server.chaos({ http: { failRate: 0, pathPrefix: '/api' } });
    await raiseUncaught(page, 'e2e: something broke');

    // The escalation's error event and the recovery metric travel in envelopes of their own: wait for both.
    const envelopes = await waitFor(
      () => sinkEnvelopes(server),
      (list) => sinkErrorMessages(list).includes('e2e: something broke') && sinkErrorMessages(list).some((m) => m.startsWith('Recovery escalated: lesson_data')),
      'the error event and the escalation',
      20_000,
    );
    expect(sinkMetrics(recovered).some((m) => m.name === 'resilience.recovery')).toBe(true);
    const event = sinkItems(envelopes).find((item) => item.type === 'event' && JSON.stringify(item.payload).includes('e2e: something broke'));
    const payload = event?.payload as { tags?: Record<string, string>; contexts?: Record<string, unknown>; breadcrumbs?: Array<{ category: string; data?: Record<string, unknown> }>; environment?: string };
    expect(payload.environment).toBe('e2e');
    expect(payload.tags?.['resilience.mode']).toEqual(expect.any(String));
    expect(payload.contexts?.resilience).toMatchObject({ lastRecovery: { status: expect.any(String) } });
    const categories = new Set(payload.breadcrumbs?.map((crumb) => crumb.category));
    expect(categories).toContain('resilience.recovery');
    expect(categories).toContain('resilience.fallback');
    const recovery = sinkMetrics(envelopes).find((m) => m.name === 'resilience.recovery');
    expect(recovery?.attributes).toMatchObject({ op: expect.any(String), status: expect.any(String), method: expect.any(String) });
    expect(sinkMetrics(envelopes).some((m) => m.name === 'resilience.fallback.activation' && typeof m.attributes.strategy === 'string')).toBe(true);
    expect(sinkMetrics(envelopes).some((m) => m.name === 'resilience.recovery.duration')).toBe(true);

    // The sink's dashboard page draws the same widgets from what it received.
    await page.goto(`${server.url}/__sentry/dashboard`);
    const fallbacks = page.locator('section[data-widget="Fallback activations by strategy"]');
    expect(await fallbacks.locator('td').first().textContent()).toMatch(/\w+/);
    expect(await page.locator('section[data-widget="Error events"] polyline').count()).toBeGreaterThan(0);
  });

  it('20 errors raised while offline all arrive after reconnecting', async () => {
    const { page, server, browser } = world;
    await configureMonitoring(page, server, { flag: true });
    await signIn(page, server.url, 'Ada');
    await waitFor(async () => sentryChunkRequests(scripts).length, (n) => n === 1, 'the Sentry chunk to load');
    await browser.context.setOffline(true);
    for (let i = 1; i <= 20; i++) await raiseUncaught(page, `offline error ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sinkErrorMessages(await sinkEnvelopes(server)).filter((m) => m.startsWith('offline error'))).toEqual([]);

    await browser.context.setOffline(false);
    const envelopes = await waitFor(
      () => sinkEnvelopes(server),
      (list) => sinkErrorMessages(list).filter((m) => m.startsWith('offline error')).length >= 20,
      '20 offline errors in the sink',
      30_000,
    );
    const offline = sinkErrorMessages(envelopes).filter((m) => m.startsWith('offline error'));
    expect(new Set(offline)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `offline error ${i + 1}`)));
    expect(offline).toHaveLength(20); // each exactly once
  });

  it('above the queue cap envelopes are dropped, counted, and the count is reported after reconnecting', async () => {
    const { page, server, browser } = world;
    await configureMonitoring(page, server, { flag: true, queueMaxEnvelopes: 8 });
    await signIn(page, server.url, 'Ada');
    await waitFor(async () => sentryChunkRequests(scripts).length, (n) => n === 1, 'the Sentry chunk to load');
    await browser.context.setOffline(true);
    for (let i = 1; i <= 20; i++) await raiseUncaught(page, `capped error ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await browser.context.setOffline(false);
    const envelopes = await waitFor(
      () => sinkEnvelopes(server),
      (list) => sinkMetrics(list).some((m) => m.name === 'resilience.telemetry.dropped'),
      'the drop count in the sink',
      30_000,
    );
    const arrived = sinkErrorMessages(envelopes).filter((m) => m.startsWith('capped error'));
    const dropped = sinkMetrics(envelopes)
      .filter((m) => m.name === 'resilience.telemetry.dropped' && m.attributes.stage === 'offline_queue')
      .reduce((sum, m) => sum + m.value, 0);
    expect(arrived.length).toBeGreaterThan(0);
    expect(arrived.length).toBeLessThanOrEqual(8);
    expect(dropped).toBeGreaterThanOrEqual(20 - arrived.length);
  });

  it('canary PII typed into the name, answers and tutor questions and put into URLs reaches no byte the sink receives', async () => {
    const { page, server } = world;
    const canaries = {
      name: 'Zelda Canaryfield',
      id: 'zelda-canaryfield',
      answer: 'canary-answer-7Qx',
      question: 'canary question about pelicans',
      email: 'zelda.canary@example.org',
      jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnY2FuYXJ5',
      token: 'tok9CanaryPathToken1234567',
    };
    const traffic = recordSinkTraffic(page);
    await configureMonitoring(page, server, { flag: true });
    await signIn(page, server.url, canaries.name);
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await submitAnswer(page, 1, canaries.answer);
    await completedReply(await askTutor(page, canaries.question));
    const loadsBefore = sentryChunkRequests(scripts).length;
    await page.goto(`${server.url}/?email=${encodeURIComponent(canaries.email)}&t=${canaries.jwt}#/lessons/fractions?token=${canaries.token}`);
    await waitFor(async () => sentryChunkRequests(scripts).length, (n) => n > loadsBefore, 'the Sentry chunk to load in the new document');
    await page.evaluate((c) => {
      setTimeout(() => {
        throw new Error(`${c.name} answered "${c.answer}" asking ${c.email}`);
      }, 0);
    }, canaries);
    await raiseUncaught(page, 'e2e: canary run finished');
    await waitFor(
      () => sinkEnvelopes(server),
      (list) => sinkErrorMessages(list).includes('e2e: canary run finished') && sinkMetrics(list).length > 0,
      'the canary run in the sink',
      20_000,
    );
    const received = [...traffic.requests, JSON.stringify(await sinkEnvelopes(server))].join('\n').toLowerCase();
    expect(traffic.requests.length).toBeGreaterThan(0);
    for (const [what, value] of Object.entries(canaries)) {
      for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
        expect({ what, leaked: received.includes(form.toLowerCase()) }).toEqual({ what, leaked: false });
      }
    }
  });

  it('with the flag off the sink receives nothing and the Sentry chunk is never requested', async () => {
    const { page, server } = world;
    await configureMonitoring(page, server, { flag: false });
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await raiseUncaught(page, 'e2e: flag off');
    await server.chaos({ http: { failRate: 1, status: 503 } });
    await page.reload();
    await waitForText(page.locator('.stale-label').first(), /^Saved copy from/);
    // Longer than the idle load (≤ 2 s) and the SDK's metric flush (5 s) would take with the flag on.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(sentryChunkRequests(scripts)).toEqual([]);
    expect(await sinkEnvelopes(server)).toEqual([]);
  });
});
