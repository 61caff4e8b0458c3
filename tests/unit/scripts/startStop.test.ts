import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTutorServer } from '../../../server/createServer';
import { describeListenError } from '../../../server/listenCheck';
import { descendants, eventually, freePort, isRunning, killAll, occupyPort, portIsFree, spawnScript, type Script } from '../../helpers/processes';

// The real `npm start` (package.json → scripts/start.mjs → server/main.ts) on a free port. SKIP_BUILD=1 serves a
// tiny prebuilt app instead of running vite build; the signal path is the one `npm start` always takes.
describe('npm start stops on a signal sent to its pid', () => {
  let dataDir: string;
  let staticDir: string;
  let script: Script | undefined;
  let family: number[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tutor-start-data-'));
    staticDir = mkdtempSync(join(tmpdir(), 'tutor-start-dist-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tutor</title>');
  });
  afterEach(() => {
    killAll(script ? [script.pid, ...family, ...descendants(script.pid)] : []);
    script = undefined;
    family = [];
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(staticDir, { recursive: true, force: true });
  });

  async function startNpm(port: number): Promise<{ script: Script; family: number[] }> {
    script = spawnScript('npm', ['start'], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, STATIC_DIR: staticDir, SKIP_BUILD: '1' } });
    await script.waitForOutput(new RegExp(`Tutor server listening on http://127\\.0\\.0\\.1:${port}`));
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).status).toBe(200);
    family = descendants(script.pid);
    expect(family.length).toBeGreaterThan(0);
    return { script, family };
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the npm pid shuts the server down: exit code 0, port freed, no process left`, async () => {
      const port = await freePort();
      const { script, family } = await startNpm(port);
      process.kill(script.pid, signal);
      expect(await script.exited()).toBe(0);
      expect(script.output()).toContain(`${signal}: shutting down`);
      await eventually(() => family.every((pid) => !isRunning(pid)), 'every process of npm start has ended');
      expect(await portIsFree(port)).toBe(true);
    }, 60_000);
  }

  it('stops by itself when npm dies without passing a signal on (SIGKILL to npm)', async () => {
    const port = await freePort();
    const { script, family } = await startNpm(port);
    process.kill(script.pid, 'SIGKILL');
    await script.exited();
    await eventually(() => family.every((pid) => !isRunning(pid)), 'the orphaned server has stopped');
    expect(await portIsFree(port)).toBe(true);
  }, 60_000);
});

describe('a busy port', () => {
  it('makes the server say which port and what to set, exit 1 without a stack, and leave DATA_DIR untouched', async () => {
    const port = await freePort();
    const other = await occupyPort(port);
    const parent = mkdtempSync(join(tmpdir(), 'tutor-busy-'));
    const dataDir = join(parent, 'data');
    try {
      const script = spawnScript(process.execPath, ['scripts/start.mjs', '--no-build'], { env: { ...process.env, PORT: String(port), DATA_DIR: dataDir } });
      expect(await script.exited()).toBe(1);
      expect(script.output()).toContain(`Port ${port} is in use — set PORT=… to another port, or stop what is using it.`);
      expect(script.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
      // A second server on the same data must not touch it (opening the database releases unanswered requests).
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      other.close();
      rmSync(parent, { recursive: true, force: true });
    }
  }, 60_000);

  it('lost in a race (taken after the check) is described the same way', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tutor-busy-race-'));
    mkdirSync(dataDir, { recursive: true });
    const first = await createTutorServer({ dataDir, port: 0 });
    try {
      const error = await createTutorServer({ dataDir: join(dataDir, 'second'), port: first.port }).then(() => null, (caught: unknown) => caught);
      expect(describeListenError(error, '127.0.0.1', first.port)).toBe(`Port ${first.port} is in use — set PORT=… to another port, or stop what is using it.`);
      expect(describeListenError(new Error('a bug'), '127.0.0.1', first.port)).toBeNull();
    } finally {
      await first.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
