/**
 * Time to recover the tutor socket: a loopback server crashes, stays down 5 s and comes back on
 * the same port. Measured from the moment it listens again to (a) our socket open AND resumed (welcome
 * received), (b) partysocket's ReconnectingWebSocket and (c) reconnecting-websocket opened, all with their
 * defaults, connected at the same time to the same server in every trial. Then the spread of 50 clients'
 * reconnect attempts after a drop (server stays up). Real timers and Math.random; figures are reported only.
 */
import { createRequire } from 'node:module';
import PartySocket from 'partysocket/ws';
import { WebSocket } from 'ws';
import { createStreamSocket, type WebSocketConstructor } from '../src/resilience';
import { systemClock, systemRandom } from '../src/resilience/core/clock';
import { createEventBus } from '../src/resilience/core/eventBus';
import { medianFigures, OUTAGE_CLIENTS, outageRound, recordingWebSocket, type OutageFigures } from './socketRecovery.outage';
import { startBenchSocketServer } from './socketRecovery.server';
import { ratio, type PartResult, type SummaryRow } from './summary';

const TRIALS = 10;
const CLIENTS_PER_KIND = 3;
const DOWNTIME_MS = 5_000;
const HERD = 50;

type Kind = 'ours' | 'partysocket' | 'reconnecting-websocket';
const KINDS: readonly Kind[] = ['ours', 'partysocket', 'reconnecting-websocket'];

interface Probe {
  /** performance.now() of every open (ours: every welcome). */
  readonly opens: number[];
  close(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const require = createRequire(import.meta.url);

/**
 * reconnecting-websocket draws its random minReconnectionDelay once, when its module loads, so every instance
 * of a page shares it. A fresh module per trial samples what different page loads would do.
 */
function freshReconnectingWebSocket(): new (url: string, protocols: undefined, options: object) => Probe & { addEventListener(type: 'open', l: () => void): void } {
  const path = require.resolve('reconnecting-websocket');
  delete require.cache[path];
  return require(path);
}

function makeProbe(kind: Kind, url: string, id: string, WS: typeof WebSocket, Rws = freshReconnectingWebSocket()): Probe {
  const opens: number[] = [];
  if (kind === 'ours') {
    const clock = systemClock();
    const socket = createStreamSocket({
      url: `${url}?session=${id}`,
      session: id,
      clock,
      random: systemRandom(),
      events: createEventBus(clock),
      WebSocketImpl: WS as unknown as WebSocketConstructor, // the subclass's constructor signature is ws's
    });
    socket.subscribe((snapshot) => snapshot.state === 'open' && opens.push(performance.now()));
    return { opens, close: () => socket.close() };
  }
  const client = kind === 'partysocket' ? new PartySocket(url, undefined, { WebSocket: WS }) : new Rws(url, undefined, { WebSocket: WS });
  client.addEventListener('open', () => opens.push(performance.now()));
  return { opens, close: () => client.close() };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const pad = (text: string | number, width: number) => String(text).padStart(width);

async function recoveryTrials(): Promise<Record<Kind, number[]>> {
  const server = await startBenchSocketServer();
  const times: Record<Kind, number[]> = { ours: [], partysocket: [], 'reconnecting-websocket': [] };
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      const Rws = freshReconnectingWebSocket();
      const probes = KINDS.flatMap((kind) =>
        Array.from({ length: CLIENTS_PER_KIND }, (_, i) => ({ kind, probe: makeProbe(kind, server.url, `t${trial}-${i}`, WebSocket, Rws) })),
      );
      await until(() => probes.every(({ probe }) => probe.opens.length > 0), 10_000);
      await sleep(200);
      await server.kill();
      await sleep(DOWNTIME_MS);
      const restartedAt = await server.restart();
      await until(() => probes.every(({ probe }) => (probe.opens.at(-1) ?? 0) > restartedAt), 20_000);
      for (const { kind, probe } of probes) {
        const reopenedAt = probe.opens.find((at) => at > restartedAt);
        times[kind].push(reopenedAt === undefined ? Number.POSITIVE_INFINITY : reopenedAt - restartedAt);
        probe.close();
      }
    }
  } finally {
    await server.close();
  }
  return times;
}

/** 50 clients connected, every socket dropped at once; where do their first reconnect attempts land? */
async function herdSpread(kind: Kind): Promise<{ busiestShare: number; firstMs: number; lastMs: number }> {
  const server = await startBenchSocketServer();
  const attempts: number[][] = Array.from({ length: HERD }, () => []);
  const Rws = freshReconnectingWebSocket(); // one module: 50 clients of one page
  const probes = attempts.map((list, i) => makeProbe(kind, server.url, `herd-${i}`, recordingWebSocket(list), Rws));
  try {
    await until(() => probes.every((probe) => probe.opens.length > 0), 10_000);
    for (const list of attempts) list.length = 0;
    const droppedAt = performance.now();
    server.dropAll();
    await until(() => attempts.every((list) => list.length > 0), 15_000);
    const delays = attempts.map((list) => (list[0] ?? Number.POSITIVE_INFINITY) - droppedAt);
    const buckets = new Map<number, number>();
    for (const delay of delays) buckets.set(Math.floor(delay / 100), (buckets.get(Math.floor(delay / 100)) ?? 0) + 1);
    return { busiestShare: Math.max(...buckets.values()) / HERD, firstMs: Math.min(...delays), lastMs: Math.max(...delays) };
  } finally {
    for (const probe of probes) probe.close();
    await server.close();
  }
}

/**
 * Outages measured for the storm figures: 5 s (3 rounds) and a long one, BENCH_LONG_OUTAGE_S (default 60 s) for
 * BENCH_LONG_OUTAGE_ROUNDS rounds (default 3: ours draws random delays, so one round of 50 clients moves the
 * median by about half a second; partysocket's delays are fixed).
 */
const OUTAGES = [
  { seconds: 5, rounds: 3 },
  { seconds: Number(process.env.BENCH_LONG_OUTAGE_S ?? 60), rounds: Number(process.env.BENCH_LONG_OUTAGE_ROUNDS ?? 3) },
];

async function outageFigures(): Promise<{ seconds: number; rounds: number; figures: Record<Kind, OutageFigures> }[]> {
  const server = await startBenchSocketServer();
  try {
    const results = [];
    for (const outage of OUTAGES) {
      const rounds = [];
      for (let round = 0; round < outage.rounds; round++) {
        const Rws = freshReconnectingWebSocket();
        const makers = Object.fromEntries(KINDS.map((kind) => [kind, (id: string, WS: typeof WebSocket) => makeProbe(kind, server.url, id, WS, Rws)]));
        rounds.push(await outageRound(server, makers, outage.seconds * 1000, round));
      }
      results.push({ ...outage, figures: medianFigures(rounds) as Record<Kind, OutageFigures> });
    }
    return results;
  } finally {
    await server.close();
  }
}

function outageRows(results: Awaited<ReturnType<typeof outageFigures>>): SummaryRow[] {
  return results.flatMap(({ seconds, rounds, figures }) => {
    const ours = figures.ours;
    const peer = figures.partysocket;
    const method = `${OUTAGE_CLIENTS} clients each, same server, ${rounds} round(s), median`;
    const long = seconds >= 30;
    return [
      { figure: `socket ${seconds} s outage: recover after return, ms`, ours: ours.medianRecoverMs.toFixed(0), peer: `partysocket ${peer.medianRecoverMs.toFixed(0)}`, ratio: ratio(ours.medianRecoverMs, peer.medianRecoverMs), goal: long ? '≤ partysocket' : '≤ 1000', method },
      { figure: `socket ${seconds} s outage: attempts per client`, ours: ours.attemptsPerClient.toFixed(1), peer: `partysocket ${peer.attemptsPerClient.toFixed(1)}`, ratio: ratio(ours.attemptsPerClient, peer.attemptsPerClient), goal: long ? '≤ partysocket' : '—', method },
      { figure: `socket ${seconds} s outage: attempts/s at server (${OUTAGE_CLIENTS} clients)`, ours: ours.attemptsPerSecond.toFixed(1), peer: `partysocket ${peer.attemptsPerSecond.toFixed(1)}`, ratio: ratio(ours.attemptsPerSecond, peer.attemptsPerSecond), goal: '—', method: 'counted at the clients while the port is closed' },
    ];
  });
}

function outageTable(results: Awaited<ReturnType<typeof outageFigures>>): string[] {
  const lines = ['', `server down 5 s and ${OUTAGES[1]?.seconds} s with ${OUTAGE_CLIENTS} clients per contender connected at once`, ''];
  lines.push(`${'outage / contender'.padEnd(34)}${pad('attempts/client', 17)}${pad('attempts/s', 12)}${pad('recover ms', 12)}${pad('recovered', 11)}`, '-'.repeat(86));
  for (const { seconds, figures } of results) {
    for (const kind of KINDS) {
      const f = figures[kind];
      lines.push(`${`${seconds} s, ${kind}`.padEnd(34)}${pad(f.attemptsPerClient.toFixed(1), 17)}${pad(f.attemptsPerSecond.toFixed(1), 12)}${pad(Math.round(f.medianRecoverMs), 12)}${pad(`${f.recovered}/${OUTAGE_CLIENTS}`, 11)}`);
    }
  }
  return lines;
}

export async function runSocketRecoveryNode(): Promise<PartResult> {
  const times = await recoveryTrials();
  const lines = [
    `restart → reopened, ${TRIALS} trials × ${CLIENTS_PER_KIND} clients per contender, server down ${DOWNTIME_MS} ms (ms)`,
    '',
    `${'contender'.padEnd(44)}${pad('median', 8)}${pad('max', 8)}${pad('min', 8)}`,
    '-'.repeat(68),
  ];
  const label: Record<Kind, string> = {
    ours: 'ours (open + welcome, i.e. session resumed)',
    partysocket: 'partysocket/ws 1.3.0 defaults (open)',
    'reconnecting-websocket': 'reconnecting-websocket 4.4.0 defaults (open)',
  };
  for (const kind of KINDS) {
    const values = times[kind];
    lines.push(`${label[kind].padEnd(44)}${pad(Math.round(median(values)), 8)}${pad(Math.round(Math.max(...values)), 8)}${pad(Math.round(Math.min(...values)), 8)}`);
  }
  lines.push('', `first reconnect attempts of ${HERD} clients after a drop (server stays up)`, '');
  lines.push(`${'contender'.padEnd(44)}${pad('busiest 100 ms', 16)}${pad('first..last ms', 16)}`, '-'.repeat(76));
  for (const kind of KINDS) {
    const spread = await herdSpread(kind);
    const range = `${Math.round(spread.firstMs)}..${Math.round(spread.lastMs)}`;
    lines.push(`${label[kind].padEnd(44)}${pad(`${Math.round(spread.busiestShare * 100)} %`, 16)}${pad(range, 16)}`);
  }
  const outages = await outageFigures();
  lines.push(...outageTable(outages));
  return { text: lines.join('\n'), rows: outageRows(outages) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runSocketRecoveryNode();
  console.log(typeof result === 'string' ? result : result.text);
}
