// `npm start` (and `npm run server`): builds the app unless told not to, then runs the server in this very process.
// package.json `exec`s this script, so no shell sits between npm and it: the SIGINT/SIGTERM npm passes on, or that
// a process manager sends, reach the server's own shutdown (server/main.ts). Options: `--no-build` or SKIP_BUILD=1
// serves the dist/ built earlier.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const viteBin = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

/** Runs `vite build` as a child; a stop signal meanwhile stops the build and this script (no server starts). */
async function build() {
  const child = spawn(process.execPath, [viteBin, 'build'], { stdio: 'inherit' });
  let stoppedBy = null;
  const forward = (signal) => {
    stoppedBy = signal;
    child.kill(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, forward);
  const [code, signal] = await once(child, 'exit');
  for (const signal of STOP_SIGNALS) process.off(signal, forward);
  if (stoppedBy) process.exit(128 + constants.signals[stoppedBy]);
  if (code !== 0) {
    console.error(`The build failed (${signal ?? `exit code ${code}`}); the server was not started.`);
    process.exit(code || 1);
  }
}

/**
 * Under npm, a parent that dies without passing a signal on (npm itself got SIGHUP or SIGKILL) leaves us orphaned:
 * then stop as on SIGTERM. Only under npm, so `nohup node scripts/start.mjs &` keeps running after its shell exits.
 */
function stopWhenNpmDies() {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
  }, 1_000).unref();
}

if (!process.argv.includes('--no-build') && process.env.SKIP_BUILD !== '1') await build();
stopWhenNpmDies();
register();
await import('../server/main.ts');
