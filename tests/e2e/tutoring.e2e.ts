import { startWorld, signIn, waitForText, type E2EWorld } from '../helpers/e2e';

describe('a student working through a lesson in Chromium', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('picks a name and a lesson, gets a wrong then a correct answer checked, and sees a streamed tutor reply', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada Lovelace');
    await page.getByRole('link', { name: 'Fractions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();

    const first = page.getByRole('group', { name: 'Exercise 1' });
    const outcome = first.getByRole('status');
    await first.getByLabel('Answer').fill('3/8');
    await first.getByRole('button', { name: 'Submit answer' }).click();
    await waitForText(outcome, /Not quite/);

    await first.getByLabel('Answer').fill('2/4');
    await first.getByRole('button', { name: 'Submit answer' }).click();
    await waitForText(outcome, /Correct/);

    const stats = await server.stats();
    expect(stats.answers.applied).toBe(2);
    expect(stats.applied.map((a) => [a.student, a.exerciseId, a.correct])).toEqual([
      ['ada-lovelace', 'pizza-left', false],
      ['ada-lovelace', 'pizza-left', true],
    ]);

    const log = page.getByRole('log');
    await page.getByLabel('Ask the tutor').fill('Can I have a hint for exercise 2?');
    await page.getByRole('button', { name: 'Send' }).click();
    await waitForText(log, /You: Can I have a hint for exercise 2\?/);

    // Streamed: the reply is seen part-way (busy, shorter) before it is complete.
    const reply = log.locator('[aria-busy="true"]');
    await reply.waitFor({ timeout: 10_000 });
    const partial = (await reply.textContent()) ?? '';
    await log.locator('[aria-busy="true"]').waitFor({ state: 'detached', timeout: 20_000 });
    const full = (await log.textContent()) ?? '';
    expect(full.length).toBeGreaterThan(partial.length);
    expect(full).toMatch(/Tutor: .*1\/4/s);
    expect((await server.stats()).socket.asksAnswered).toBe(1);
  });

  it('keeps the student on the lesson across a reload, and log out returns to the name screen', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Grace');
    await page.getByRole('link', { name: 'Percentages' }).click();
    await page.getByRole('heading', { level: 1, name: 'Percentages' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Percentages' }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Your name').waitFor();
  });
});
