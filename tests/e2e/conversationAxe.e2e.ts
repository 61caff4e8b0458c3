import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { until } from '../helpers/until';
import { askTutor, completedReply, openLesson, signIn, startWorld, type E2EWorld } from '../helpers/e2e';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

describe('the conversation in Chromium, checked by axe-core', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld({ tokenDelayMs: 1 });
  });
  afterEach(async () => {
    await world.close();
  });

  it('a conversation long enough to scroll has no serious or critical violation, and the log can be scrolled from the keyboard', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    const log = page.getByRole('log', { name: 'Conversation with the tutor' });
    for (let i = 1; i <= 6; i++) {
      await completedReply(await askTutor(page, `Can I have a hint for exercise ${(i % 5) + 1}? (${i})`));
      const scrolls = await log.evaluate((element) => element.scrollHeight > element.clientHeight);
      if (scrolls && i >= 3) break;
    }
    expect(await log.evaluate((element) => element.scrollHeight > element.clientHeight)).toBe(true);

    // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not apply.
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: Element): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run(document.body)).violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    if (violations.length > 0) console.info(`axe (all impacts): ${JSON.stringify(violations.map((v) => `${v.impact} ${v.id}`))}`);
    expect(serious).toEqual([]);

    // Keyboard: the log takes focus and the arrow keys scroll it.
    await log.focus();
    expect(await log.evaluate((element) => element === document.activeElement)).toBe(true);
    await log.evaluate((element) => (element.scrollTop = 0));
    await page.keyboard.press('PageDown');
    // Keyboard scrolling may be animated (smooth scrolling): wait for it to move rather than read it at once.
    expect(await until(() => log.evaluate((element) => element.scrollTop), (top) => top > 0)).toBeGreaterThan(0);
  });
});
