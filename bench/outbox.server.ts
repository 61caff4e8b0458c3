/**
 * The local tutoring server in its own process for the outbox bench (`node --import tsx server/main.ts`, the
 * same as `npx tsx server/main.ts` without the npx wrapper process): fresh DATA_DIR, PORT=0, CHAOS=1 for
 * /__reset and /__stats. Resolves once it printed its listening line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsResponse } from '../src/protocol/dev';

export interface ServerProcess {
  readonly url: string;
  reset(): Promise<void>;
  stats(): Promise<StatsResponse>;
  /** Signs in as `name` (claiming it); resolves the Cookie header value of the session. */
  signIn(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** `staticDir`: a folder the server serves as its app (a bench page), else none. */
export async function startServerProcess(options: { staticDir?: string } = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'outbox-bench-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: options.staticDir ?? dataDir, CHAOS: '1', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Tutor server listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)));
  });
  const dev = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(url + path, init);
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    url,
    reset: async () => void (await dev('/__reset', { method: 'POST' })),
    stats: () => dev<StatsResponse>('/__stats'),
    async signIn(name) {
      const response = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, passphrase: 'bench passphrase' }) });
      if (!response.ok) throw new Error(`sign-in answered ${response.status}`);
      return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    },
    async stop() {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
