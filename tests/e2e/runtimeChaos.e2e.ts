import { readFile } from 'node:fs/promises';
import { signIn, startWorld } from '../helpers/e2e';

interface Exported {
  history: { injections: { seq: number; kind: string; target: string }[] };
}

/** One fresh server and browser: open the app with a chaos seed, sign in, let it load, export the metrics. */
async function runScenario(chaos: string): Promise<Exported['history']['injections']> {
  const world = await startWorld();
  try {
    const { page, server } = world;
    await page.goto(`${server.url}/?chaos=${chaos}`);
    await signIn(page, server.url, 'Ada', { goto: false });
    await page.getByRole('button', { name: 'Developer tools' }).click();
    await page.getByRole('img', { name: /^chaos injections: latest/ }).waitFor();
    // The panel records from when its chunk loaded: open lessons now (same document, hash routes).
    for (const lesson of ['fractions', 'linear-equations', 'percentages']) {
      await page.goto(`${server.url}/?chaos=${chaos}#/lessons/${lesson}`);
      await page.waitForTimeout(1_500);
    }
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export last 10 minutes (JSON)' }).click()]);
    const path = await download.path();
    return ((JSON.parse(await readFile(path, 'utf8')) as Exported).history.injections);
  } finally {
    await world.close();
  }
}

describe('seeded runtime chaos in Chromium', () => {
  it('the same seed and scenario twice give the same injections, in the same order', async () => {
    const first = await runScenario('7:mixed');
    const second = await runScenario('7:mixed');
    const n = Math.min(first.length, second.length);
    expect(n).toBeGreaterThanOrEqual(3);
    // Decisions depend only on the seed and how many calls came before; which request each lands on follows
    // the app's call order, so the kinds are compared per sequence number.
    expect(second.slice(0, n).map((i) => [i.seq, i.kind])).toEqual(first.slice(0, n).map((i) => [i.seq, i.kind]));
    const other = await runScenario('8:mixed');
    const m = Math.min(n, other.length);
    expect(other.slice(0, m).map((i) => i.kind)).not.toEqual(first.slice(0, m).map((i) => i.kind));
  });
});
