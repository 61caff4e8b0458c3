import { runSoak, soakPassed, type SoakReport } from '../../scripts/soak/soakRun';

/**
 * The short soak CI runs (`npm run soak` is the long one): three tabs of two students answer for 45 s while a
 * seeded schedule injects 503s, dropped responses, blackholes, server restarts, reloads, tab closes, offline
 * flaps and 10 min wall-clock jumps. Every answer a card confirmed is applied exactly once, in order, and every
 * outbox empties once the faults stop.
 */
describe('soak: nothing lost at scale', () => {
  it('45 s of seeded faults over 3 tabs of 2 students: exactly once, in order, every outbox empty', async () => {
    const lines: string[] = [];
    const report: SoakReport = await runSoak({ seconds: 45, seed: 18, staticDir: 'dist', log: (line) => lines.push(line) });
    console.info(lines.join('\n'));
    expect(report.submitted).toBeGreaterThan(50);
    expect({ lost: report.lost, duplicates: report.duplicates, inversions: report.inversions, emptied: !Number.isNaN(report.timeToEmptyMs) }).toEqual({ lost: 0, duplicates: 0, inversions: 0, emptied: true });
    expect(soakPassed(report)).toBe(true);
  }, 240_000);
});
