// `npm run dev`: the local server (API + socket, chaos endpoints on, restarted by `tsx watch` on a change) and Vite's
// dev server, which proxies /api, /__* and /ws to it. Open the URL Vite prints (http://localhost:5173/): the API
// port serves only the last production build. Arguments go to Vite (`npm run dev -- --port 5199`).
//
// Each child runs in a process group of its own, and every way this script ends (Ctrl-C, SIGTERM, SIGHUP, either
// child exiting, an error here, this script's own exit) stops both groups, grandchildren included.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const bin = (path) => fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url));
const host = process.env.HOST || '127.0.0.1';
const apiPort = Number(process.env.API_PORT || 8787);
if (!Number.isInteger(apiPort) || apiPort < 1 || apiPort > 65_535) fail(`API_PORT must be an integer from 1 to 65535, got "${process.env.API_PORT}".`);
const apiTarget = `http://${host.includes(':') ? `[${host}]` : host}:${apiPort}`;
const env = { ...process.env, PORT: String(apiPort), CHAOS: process.env.CHAOS ?? '1', API_TARGET: apiTarget };

/** Leaders of the children's process groups (a group's id is its leader's pid). */
const groups = new Set();
let stopping = false;

function fail(message) {
  console.error(message);
  process.exit(1);
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

/** Stops both groups (SIGTERM, then SIGKILL for whatever is left after 5 s) and exits with `code`. */
async function stop(code, why) {
  if (stopping) return;
  stopping = true;
  if (why) console.error(`[dev] ${why}; stopping.`);
  for (const pgid of groups) signalGroup(pgid, 'SIGTERM');
  for (let waited = 0; waited < 5_000 && [...groups].some((pgid) => signalGroup(pgid, 0)); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  groups.clear();
  process.exit(code);
}

function start(name, args, stdout) {
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', stdout, 'pipe'] });
  groups.add(child.pid);
  child.stderr.pipe(process.stderr, { end: false });
  child.once('error', (error) => void stop(1, `${name} could not start (${error.message})`));
  child.once('exit', (code, signal) => void stop(code ?? 1, `${name} exited (${signal ?? `exit code ${code}`})`));
  return child;
}

/** Whether something already listens on host:port (then Vite would proxy to someone else's server). */
function portBusy() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(error.code === 'EADDRINUSE' ? true : error));
    probe.listen({ host, port: apiPort, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(0));
process.on('uncaughtException', (error) => {
  console.error(error);
  void stop(1);
});
// Last resort for an exit that did not go through stop(): the groups get SIGTERM (nothing can be awaited here).
process.on('exit', () => groups.forEach((pgid) => signalGroup(pgid, 'SIGTERM')));
if (process.env.npm_lifecycle_event) {
  // npm died without passing a signal on (it got SIGHUP or SIGKILL): stop as if we had been told to.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(0, 'npm exited'), 1_000).unref();
}

const busy = await portBusy();
if (busy === true) fail(`Port ${apiPort} is in use — set API_PORT=… to another port, or stop what is using it.`);
if (busy) fail(`Cannot listen on ${host}:${apiPort}: ${busy.message}`);

// Vite starts only once this server listens, so it never proxies to another one that took the port meanwhile.
const server = start('The API server (tsx watch)', [bin('tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', 'server/main.ts'], 'pipe');
let seen = '';
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (seen === null) return;
  seen = (seen + chunk.toString()).slice(-500);
  if (!seen.includes('Tutor server listening on')) return;
  seen = null;
  console.log(`[dev] API and socket on ${apiTarget} (chaos ${env.CHAOS === '1' ? 'on' : 'off'}); open the URL Vite prints below.`);
  start('Vite', [bin('vite/bin/vite.js'), ...process.argv.slice(2)], 'inherit');
});
// main.ts exits on a busy port, but `tsx watch` would wait for a change: give up instead (lost a race for the port).
server.stderr.on('data', (chunk) => /is in use — set PORT=/.test(chunk.toString()) && void stop(1));
