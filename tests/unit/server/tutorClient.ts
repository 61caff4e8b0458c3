import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/protocol/socket';

/** A real `ws` client that records every frame the server sends, for socket tests. */
export class TutorClient {
  readonly frames: ServerFrame[] = [];
  private readonly waiters = new Set<() => void>();
  closeCode: number | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const wake of [...this.waiters]) wake();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** `headers` e.g. a session Cookie, or an Origin. */
  static connect(url: string, headers?: Record<string, string>): Promise<TutorClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, headers ? { headers } : undefined);
      const client = new TutorClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    });
  }

  /** Connects and says hello; resolves once `welcome` arrived. */
  static async open(url: string, session: string, lastSeq = 0): Promise<TutorClient> {
    const client = await TutorClient.connect(url);
    client.send({ t: 'hello', session, lastSeq });
    await client.waitFor((frame) => frame.t === 'welcome');
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first recorded frame matching `predicate` (already received or still to come). */
  waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(predicate);
        if (found) finish(() => resolve(found));
        else if (this.closeCode !== null) finish(() => reject(new Error(`socket closed (${this.closeCode}) while waiting`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error('timed out waiting for a frame'))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  waitForClose(timeoutMs = 5000): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.closeCode !== null) return resolve(this.closeCode);
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs);
      this.socket.once('close', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** Frames of the reply to `askId` (tokens, done, errors), in arrival order. */
  replyFrames(askId: string): Array<Extract<ServerFrame, { seq: number }>> {
    return this.frames.filter((frame): frame is Extract<ServerFrame, { seq: number }> => 'replyTo' in frame && frame.replyTo === askId);
  }

  close(): void {
    this.socket.close();
  }

  /** Cuts the connection without a close handshake, like a network drop. */
  terminate(): void {
    this.socket.terminate();
  }
}

/** The text a client assembles from token frames. */
export function replyText(frames: readonly ServerFrame[]): string {
  return frames.map((frame) => (frame.t === 'token' ? frame.text : '')).join('');
}
