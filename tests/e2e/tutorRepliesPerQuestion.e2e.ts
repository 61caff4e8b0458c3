import {
  askTutor,
  completedReply,
  connectionBanner,
  dropSockets,
  openLesson,
  signIn,
  startWorld,
  waitForText,
  type E2EWorld,
} from '../helpers/e2e';

const SIMPLIFIED = /\(simplified tutor\)$/;

describe('with the tutor socket refused, every question gets its own best reply (Chromium)', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('two questions about different exercises asked together: each reply is about its own exercise, both from the simplified tutor', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions'); // saved on this device: offline hints could answer too
    await server.chaos({ socket: { refuse: true } });
    await dropSockets(server.url);
    await waitForText(connectionBanner(page), /^Reconnecting/);

    // A first question: the simplified tutor answers it (the socket is refused, the API is fine).
    const first = await completedReply(await askTutor(page, 'Can you help with exercise 1?'), 30_000);
    expect(first).toMatch(SIMPLIFIED);
    expect(first).toMatch(/exercise 1 \(/);

    // Two more at once, about different exercises. A tutor that just worked is not passed over for hints.
    await page.getByLabel('Ask the tutor').fill('I am stuck on exercise 2');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByLabel('Ask the tutor').fill('I am stuck on exercise 4');
    await page.getByRole('button', { name: 'Send' }).click();
    const replies = page.getByRole('log').locator('li.chat-tutor');
    const second = await completedReply(replies.nth(1), 30_000);
    const third = await completedReply(replies.nth(2), 30_000);
    expect(second).toMatch(SIMPLIFIED);
    expect(third).toMatch(SIMPLIFIED);
    expect(second).toMatch(/exercise 2 \(/);
    expect(second).not.toMatch(/exercise 4 \(/);
    expect(third).toMatch(/exercise 4 \(/);
    expect(third).not.toMatch(/exercise 2 \(/);
    const stats = await server.stats();
    expect(stats.tutor.httpAsks).toBe(3); // each question asked for itself, none answered with another's reply
  });
});
