/**
 * Recovery versus reconnect storm: 50 clients of each contender connected to one loopback server at once, the
 * server crashes, stays down `downtimeMs` and comes back on the same port. Per contender: connection attempts per
 * client while it was down, attempts per second reaching the server's port (every client's attempts, counted at
 * the client: while the port is closed the server cannot count them), and the median time from the server's
 * return to the client's open (ours: open + welcome, the session resumed).
 */
import { WebSocket } from 'ws';
import type { BenchSocketServer } from './socketRecovery.server';

export interface OutageFigures {
  readonly attemptsPerClient: number;
  readonly attemptsPerSecond: number;
  readonly medianRecoverMs: number;
  readonly recovered: number;
}

export interface OutageProbe {
  readonly opens: number[];
  close(): void;
}

export type MakeProbe = (id: string, WS: typeof WebSocket) => OutageProbe;

export const OUTAGE_CLIENTS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A ws class that records when each connection attempt starts. */
export function recordingWebSocket(attempts: number[]): typeof WebSocket {
  return class extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args);
      attempts.push(performance.now());
    }
  } as typeof WebSocket;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** One outage with every contender's clients connected at the same time (interleaved by construction). */
export async function outageRound(server: BenchSocketServer, makers: Record<string, MakeProbe>, downtimeMs: number, round: number): Promise<Record<string, OutageFigures>> {
  const clients = Object.entries(makers).flatMap(([kind, make]) =>
    Array.from({ length: OUTAGE_CLIENTS }, (_, i) => {
      const attempts: number[] = [];
      return { kind, attempts, probe: make(`outage${round}-${kind}-${i}`, recordingWebSocket(attempts)) };
    }),
  );
  try {
    await until(() => clients.every(({ probe }) => probe.opens.length > 0), 20_000);
    await sleep(200);
    await server.kill();
    const downAt = performance.now();
    await sleep(downtimeMs);
    const restartedAt = await server.restart();
    await until(() => clients.every(({ probe }) => (probe.opens.at(-1) ?? 0) > restartedAt), 60_000);
    const figures: Record<string, OutageFigures> = {};
    for (const kind of Object.keys(makers)) {
      const mine = clients.filter((client) => client.kind === kind);
      const during = mine.reduce((sum, { attempts }) => sum + attempts.filter((at) => at >= downAt && at < restartedAt).length, 0);
      const recover = mine.map(({ probe }) => (probe.opens.find((at) => at > restartedAt) ?? Number.POSITIVE_INFINITY) - restartedAt);
      figures[kind] = {
        attemptsPerClient: during / mine.length,
        attemptsPerSecond: during / ((restartedAt - downAt) / 1000),
        medianRecoverMs: median(recover),
        recovered: recover.filter(Number.isFinite).length,
      };
    }
    return figures;
  } finally {
    for (const { probe } of clients) probe.close();
  }
}

/** Median of each figure over rounds, per contender. */
export function medianFigures(rounds: readonly Record<string, OutageFigures>[]): Record<string, OutageFigures> {
  const out: Record<string, OutageFigures> = {};
  for (const kind of Object.keys(rounds[0] ?? {})) {
    const of = (pick: (f: OutageFigures) => number) => median(rounds.map((r) => pick(r[kind] as OutageFigures)));
    out[kind] = { attemptsPerClient: of((f) => f.attemptsPerClient), attemptsPerSecond: of((f) => f.attemptsPerSecond), medianRecoverMs: of((f) => f.medianRecoverMs), recovered: of((f) => f.recovered) };
  }
  return out;
}
