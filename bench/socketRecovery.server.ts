/**
 * A minimal tutor-socket server for the recovery bench: `welcome` on `hello` (continuing from the client's
 * lastSeq, as the real server does after a restart) and `pong` on `ping`. It can crash (every socket cut, port
 * closed → connections refused), come back on the same port, or drop every socket while staying up.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { parseClientFrame } from '../src/protocol/socket';

export interface BenchSocketServer {
  readonly port: number;
  readonly url: string;
  /** Crash: cut every socket (1006 for clients) and stop listening. */
  kill(): Promise<void>;
  /** Listen again on the same port; resolves with performance.now() once listening. */
  restart(): Promise<number>;
  /** Cut every socket now and stay up. */
  dropAll(): void;
  close(): Promise<void>;
}

function listen(port: number): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port });
    wss.once('listening', () => resolve(wss));
    wss.once('error', reject);
    wss.on('connection', (socket: WebSocket) => {
      socket.on('error', () => undefined);
      socket.on('message', (data, isBinary) => {
        const frame = isBinary ? null : parseClientFrame(String(data));
        if (frame?.t === 'hello') socket.send(JSON.stringify({ t: 'welcome', session: frame.session, seq: frame.lastSeq }));
        else if (frame?.t === 'ping') socket.send(JSON.stringify({ t: 'pong', ts: frame.ts }));
      });
    });
  });
}

export async function startBenchSocketServer(): Promise<BenchSocketServer> {
  let wss: WebSocketServer | null = await listen(0);
  const address = wss.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  const { port } = address;
  const dropAll = () => {
    for (const client of wss?.clients ?? []) client.terminate();
  };
  const stop = async () => {
    const closing = wss;
    wss = null;
    if (!closing) return;
    for (const client of closing.clients) client.terminate();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  return {
    port,
    url: `ws://127.0.0.1:${port}/ws/tutor`,
    kill: stop,
    async restart() {
      wss = await listen(port);
      return performance.now();
    },
    dropAll,
    close: stop,
  };
}
