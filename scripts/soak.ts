/**
 * `npm run soak [-- --seconds 240 --seed 18]` (run under the browser lock: it builds the app and drives Chromium).
 * Prints submitted / applied / duplicates / lost / order inversions / time to empty (scripts/soak/soakRun.ts says
 * what it injects and checks) and exits 1 on any loss, duplicate or order inversion, or an outbox left non-empty.
 */
import { runSoak, soakPassed } from './soak/soakRun';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};

const report = await runSoak({ seconds: arg('seconds', 240), seed: arg('seed', 18) });
process.exitCode = soakPassed(report) ? 0 : 1;
