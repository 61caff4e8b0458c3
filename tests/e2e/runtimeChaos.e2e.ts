import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { signIn, startWorld, submitAnswer, waitFor, waitForPending, waitForText, type E2EWorld } from '../helpers/e2e';

interface Injection {
  key: string;
  seq: number;
  kind: string;
  target: string;
}

interface Exported {
  history: { injections: Injection[] };
}

/** Chooses seed and scenario in the developer panel's runtime chaos form; applying reloads the page with them. */
async function applyInPanel(page: Page, chaos: string): Promise<void> {
  const [seed = '', scenario = ''] = chaos.split(':');
  const form = page.getByRole('form', { name: 'Runtime chaos' });
  await form.getByLabel('Seed').fill(seed);
  await form.getByLabel('Scenario').selectOption(scenario);
  await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Apply and reload' }).click()]);
  await page.getByRole('button', { name: 'Developer tools' }).click();
  await waitForText(page.getByRole('form', { name: 'Runtime chaos' }).getByRole('status'), new RegExp(`^Runtime chaos is on: seed ${seed}, scenario ${scenario}\\.`));
}

/**
 * One fresh server and browser (a new context: empty IndexedDB): open the app with a chaos seed (in the address,
 * or chosen in the panel's form), sign in, open the developer panel (it records from when its chunk loaded), run
 * `act`, export the metrics; `check` sees the world.
 */
async function runScenario(chaos: string, act: (page: Page, url: string) => Promise<void>, check?: (world: E2EWorld) => Promise<void>, via: 'address' | 'panel' = 'address'): Promise<Injection[]> {
  const world = await startWorld();
  try {
    const { page, server } = world;
    await page.goto(via === 'address' ? `${server.url}/?chaos=${chaos}` : server.url);
    await signIn(page, server.url, 'Ada', { goto: false });
    await page.getByRole('button', { name: 'Developer tools' }).click();
    if (via === 'panel') await applyInPanel(page, chaos);
    await page.getByRole('img', { name: /^chaos injections: latest/ }).waitFor();
    await act(page, `${server.url}/?chaos=${chaos}`);
    await check?.(world);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export last 10 minutes (JSON)' }).click()]);
    return (JSON.parse(await readFile(await download.path(), 'utf8')) as Exported).history.injections;
  } finally {
    await world.close();
  }
}

const openLessons = async (page: Page, url: string) => {
  // Same document, hash routes.
  for (const lesson of ['fractions', 'linear-equations', 'percentages']) {
    await page.goto(`${url}#/lessons/${lesson}`);
    await page.waitForTimeout(1_500);
  }
};

const ANSWERS = ['1/2', '3/4', '5/6', '3/10', '2'];

/** Answers the fractions lesson's exercises one by one; each must show its verdict (saved and sent). */
const answerFractions = async (page: Page, url: string) => {
  await page.goto(`${url}#/lessons/fractions`);
  await page.getByRole('heading', { level: 1, name: 'Fractions' }).waitFor();
  for (const [index, text] of ANSWERS.entries()) {
    const card = await submitAnswer(page, index + 1, text);
    await waitForText(card.getByRole('status'), /^Correct/, 20_000);
  }
  await waitForPending(page, 0);
};

const noAnswerLost = async ({ server }: E2EWorld) => {
  const stats = await waitFor(() => server.stats(), (s) => s.answers.applied === ANSWERS.length, 'every answer applied', 20_000);
  expect(stats.applied.map((a) => a.answer)).toEqual(ANSWERS);
};

describe('seeded runtime chaos in Chromium', () => {
  it('the same seed and scenario twice give the same injections, in the same order', async () => {
    const first = await runScenario('7:mixed', openLessons);
    const second = await runScenario('7:mixed', openLessons);
    const n = Math.min(first.length, second.length);
    expect(n).toBeGreaterThanOrEqual(3);
    // Decisions depend only on the seed and how many calls came before; which request each lands on follows
    // the app's call order, so the kinds are compared per sequence number.
    expect(second.slice(0, n).map((i) => [i.seq, i.kind])).toEqual(first.slice(0, n).map((i) => [i.seq, i.kind]));
    const other = await runScenario('8:mixed', openLessons);
    const m = Math.min(n, other.length);
    expect(other.slice(0, m).map((i) => i.kind)).not.toEqual(first.slice(0, m).map((i) => i.kind));
  });

  it('storage faults (IndexedDB closed under the app): the same scenario twice gives the same injections, and no answer is lost', async () => {
    const first = await runScenario('3:storage-closed', answerFractions, noAnswerLost);
    // The second time the scenario is chosen in the developer panel instead of the address.
    const second = await runScenario('3:storage-closed', answerFractions, noAnswerLost, 'panel');
    const storage = (list: Injection[]) => list.filter((i) => i.key === 'storage').map(({ key, kind, target, seq }) => ({ key, kind, target, seq }));
    // Seed 3 closes the connection under two of the answers' writes (both reopened and kept, as checked above).
    expect(storage(first).length).toBeGreaterThanOrEqual(2);
    expect(storage(second)).toEqual(storage(first));
  });
});
