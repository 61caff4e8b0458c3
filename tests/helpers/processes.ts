import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/** A port that was free a moment ago (bound to 0, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Holds 127.0.0.1:port, as another program would; close() releases it. */
export async function occupyPort(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

/** Whether 127.0.0.1:port can be bound now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** /proc/<pid>/stat: [state, ppid], or null when there is no such process. */
function stat(pid: number): [string, number] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return [fields[0] ?? '?', Number(fields[1])];
  } catch {
    return null;
  }
}

/** Whether the process runs (a zombie, dead but not yet reaped, does not count). */
export function isRunning(pid: number): boolean {
  const state = stat(pid);
  return state !== null && state[0] !== 'Z' && state[0] !== 'X';
}

/** Every running descendant of `pid` (children, grandchildren, …), from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const state = stat(Number(entry));
    if (!state || !isRunning(Number(entry))) continue;
    children.set(state[1], [...(children.get(state[1]) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** The command line of a running process ('' when gone). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Test clean-up: SIGKILL to each process still running (a test that failed may leave some). */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    if (!isRunning(pid)) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

// CSI sequences such as ESC[1m (bold) and ESC[22m, as terminals colour output.
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[ -/]*[@-~]`, 'g');

export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}

/** A spawned script with its stdout and stderr collected. */
export interface Script {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  /** Resolves with the output once `pattern` appears in it; rejects if the script exits first or after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal's name) once the script has exited. */
  exited(timeoutMs?: number): Promise<number | string>;
}

export function spawnScript(command: string, args: readonly string[], options: SpawnOptions): Script {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let raw = '';
  const collect = (chunk: Buffer) => {
    raw += chunk.toString();
    // Colours are stripped (from the whole text, as a chunk may end inside an escape): CI forces them on, and an
    // escape inside "Local:" hides it from a pattern.
    output = stripAnsi(raw);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const within = <T>(promise: Promise<T>, timeoutMs: number, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`Timed out waiting for ${what}; output:\n${output}`)), timeoutMs).unref())]);
  return {
    child,
    pid: child.pid as number,
    output: () => output,
    waitForOutput(pattern, timeoutMs = 30_000) {
      const appeared = new Promise<string>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) resolve(output);
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`exited before ${pattern}; output:\n${output}`));
          else setTimeout(check, 50);
        };
        check();
      });
      return within(appeared, timeoutMs, String(pattern));
    },
    exited: (timeoutMs = 30_000) => within(exit, timeoutMs, 'the exit'),
  };
}

/** Polls `condition` until it holds; throws naming `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
