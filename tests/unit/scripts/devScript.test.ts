import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, descendants, eventually, freePort, isRunning, killAll, occupyPort, portIsFree, spawnScript, type Script } from '../../helpers/processes';

// The real dev script (Vite's dev server and `tsx watch` of the API server) on free ports, stopped every way it can
// end. Whatever the way, no Vite, tsx or server process may be left, and both ports are free again.
describe('npm run dev stops every child on any exit', () => {
  let dataDir: string;
  let script: Script | undefined;
  let family: number[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tutor-dev-data-'));
  });
  afterEach(() => {
    killAll(script ? [script.pid, ...family, ...descendants(script.pid)] : []);
    script = undefined;
    family = [];
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the dev script (through npm, or node directly) and waits until Vite and the API both answer. */
  async function startDev(via: 'npm' | 'node') {
    const [apiPort, vitePort] = [await freePort(), await freePort()];
    const viteArgs = ['--port', String(vitePort), '--strictPort'];
    const env = { ...process.env, API_PORT: String(apiPort), DATA_DIR: dataDir };
    script = via === 'npm' ? spawnScript('npm', ['run', 'dev', '--', ...viteArgs], { env }) : spawnScript(process.execPath, ['scripts/dev.mjs', ...viteArgs], { env });
    await script.waitForOutput(new RegExp(`Local:\\s+http://localhost:${vitePort}/`), 45_000);
    expect((await fetch(`http://localhost:${vitePort}/api/health`)).status).toBe(200); // proxied to our API server
    family = descendants(script.pid);
    const find = (pattern: RegExp) => family.find((pid) => pattern.test(commandLine(pid)));
    const processes = { vite: find(/vite\/bin\/vite\.js/), tsxWatch: find(/tsx\/dist\/cli\.mjs watch/), server: find(/loader\.mjs server\/main\.ts/) };
    expect(processes).toEqual({ vite: expect.any(Number), tsxWatch: expect.any(Number), server: expect.any(Number) });
    return { script, apiPort, vitePort, processes: processes as Record<keyof typeof processes, number> };
  }

  async function expectAllGone(apiPort: number, vitePort: number) {
    await eventually(() => family.every((pid) => !isRunning(pid)), 'no Vite, tsx or server process is left');
    expect(await portIsFree(apiPort)).toBe(true);
    expect(await portIsFree(vitePort)).toBe(true);
  }

  const signals = [
    { via: 'npm', signal: 'SIGINT' },
    { via: 'npm', signal: 'SIGTERM' },
    { via: 'node', signal: 'SIGHUP' },
  ] as const;
  for (const { via, signal } of signals) {
    it(`${signal} to the ${via === 'npm' ? 'npm' : 'dev script'} pid`, async () => {
      const { script, apiPort, vitePort } = await startDev(via);
      process.kill(script.pid, signal);
      expect(await script.exited()).toBe(0);
      await expectAllGone(apiPort, vitePort);
    }, 90_000);
  }

  // SIGKILL: the crashed child cannot pass anything on; tsx watch's own child (the server) is only reached through
  // its process group.
  for (const crashed of ['vite', 'tsxWatch'] as const) {
    it(`a crash of ${crashed === 'vite' ? 'Vite' : 'tsx watch'} (SIGKILL) stops the rest and exits non-zero`, async () => {
      const { script, apiPort, vitePort, processes } = await startDev('node');
      process.kill(processes[crashed], 'SIGKILL');
      expect(await script.exited()).toBe(1);
      expect(script.output()).toMatch(/\[dev\] .* exited \(SIGKILL\); stopping\./);
      await expectAllGone(apiPort, vitePort);
    }, 90_000);
  }

  it('on a busy API port says so and exits 1 without starting Vite or the server', async () => {
    const [apiPort, vitePort] = [await freePort(), await freePort()];
    const other = await occupyPort(apiPort);
    try {
      script = spawnScript(process.execPath, ['scripts/dev.mjs', '--port', String(vitePort), '--strictPort'], { env: { ...process.env, API_PORT: String(apiPort), DATA_DIR: dataDir } });
      expect(await script.exited()).toBe(1);
      expect(script.output()).toContain(`Port ${apiPort} is in use — set API_PORT=… to another port, or stop what is using it.`);
      expect(script.output()).not.toMatch(/VITE|Tutor server listening/);
      expect(await portIsFree(vitePort)).toBe(true);
    } finally {
      other.close();
    }
  }, 60_000);
});
