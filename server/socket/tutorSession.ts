import type { WebSocket } from 'ws';
import type { ServerFrame } from '../../src/protocol/socket';

/** Frames that take a place in the session's seq stream (and are kept for resume). */
export type SequencedFrame = Extract<ServerFrame, { t: 'token' | 'done' }> | (Extract<ServerFrame, { t: 'error' }> & { seq: number });
type Unsequenced = SequencedFrame extends infer F ? (F extends SequencedFrame ? Omit<F, 'seq'> : never) : never;

interface AskRecord {
  state: 'queued' | 'streaming' | 'done';
  firstSeq: number | null;
  lastSeq: number | null;
}

export interface SessionOptions {
  tokenDelayMs: number;
  maxKeptFrames: number;
  /** Sends one frame to one socket (or not, when chaos keeps the socket silent). */
  deliver(socket: WebSocket, frame: ServerFrame): void;
}

const MAX_ASK_RECORDS = 2000;

/** One word (with its trailing space) per token frame, so the reply visibly streams. */
export function tokenize(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text];
}

/**
 * A tutor conversation that outlives its sockets. Every reply frame gets the next `seq` and is kept
 * (the last `maxKeptFrames`), so a socket that reconnects with `lastSeq` gets exactly what it missed.
 * Replies stream one at a time, in ask order, and keep streaming into the buffer while no socket is attached.
 */
export class TutorSession {
  private seq = 0;
  private readonly frames: SequencedFrame[] = [];
  private readonly asks = new Map<string, AskRecord>();
  private readonly queue: Array<{ askId: string; tokens: string[] }> = [];
  private readonly sockets = new Set<WebSocket>();
  private timer: NodeJS.Timeout | undefined;
  private streaming = false;
  private disposed = false;
  lastActiveAt = Date.now();

  constructor(
    readonly id: string,
    private readonly options: SessionOptions,
  ) {}

  get idle(): boolean {
    return this.sockets.size === 0 && !this.streaming && this.queue.length === 0;
  }

  /** Sends `welcome` and every kept frame after `lastSeq`, then streams live frames to `socket`. */
  attach(socket: WebSocket, lastSeq: number): void {
    this.lastActiveAt = Date.now();
    // A client that knows a later seq than we do talked to a previous run of the server: continue after
    // its seq, so it never mistakes new frames for repeats.
    if (lastSeq > this.seq) this.seq = lastSeq;
    this.options.deliver(socket, { t: 'welcome', session: this.id, seq: this.seq });
    const firstKept = this.frames[0]?.seq ?? this.seq + 1;
    if (lastSeq < this.seq && firstKept > lastSeq + 1) {
      this.options.deliver(socket, { t: 'error', code: 'RESUME_GAP', message: `Frames ${lastSeq + 1} to ${firstKept - 1} are no longer kept; re-ask by id to get those replies.` });
    }
    for (const frame of this.frames) if (frame.seq > lastSeq) this.options.deliver(socket, frame);
    this.sockets.add(socket);
  }

  detach(socket: WebSocket): void {
    this.sockets.delete(socket);
    this.lastActiveAt = Date.now();
  }

  askState(askId: string): AskRecord['state'] | undefined {
    return this.asks.get(askId)?.state;
  }

  /** Queues a reply to stream as token frames followed by `done`. */
  stream(askId: string, text: string): void {
    this.remember(askId, { state: 'queued', firstSeq: null, lastSeq: null });
    this.queue.push({ askId, tokens: tokenize(text) });
    this.pump();
  }

  /** Answers an ask with an error frame in the seq stream. */
  fail(askId: string, code: string, message: string): void {
    this.remember(askId, { state: 'done', firstSeq: null, lastSeq: null });
    this.emit({ t: 'error', replyTo: askId, code, message });
  }

  /** Re-sends a finished ask's kept frames (same seqs) to one socket; false when they are no longer all kept. */
  resend(socket: WebSocket, askId: string): boolean {
    const record = this.asks.get(askId);
    const oldestKept = this.frames[0]?.seq;
    if (record?.state !== 'done' || record.firstSeq === null || record.lastSeq === null) return false;
    if (oldestKept === undefined || oldestKept > record.firstSeq) return false;
    for (const frame of this.frames) {
      if (frame.seq >= record.firstSeq && frame.seq <= record.lastSeq && frame.replyTo === askId) this.options.deliver(socket, frame);
    }
    return true;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.sockets.clear();
  }

  private remember(askId: string, record: AskRecord): void {
    this.asks.delete(askId);
    this.asks.set(askId, record);
    if (this.asks.size <= MAX_ASK_RECORDS) return;
    for (const [id, old] of this.asks) {
      if (old.state === 'done') {
        this.asks.delete(id);
        break;
      }
    }
  }

  private pump(): void {
    if (this.streaming || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.streaming = true;
    const record = this.asks.get(next.askId);
    if (record) record.state = 'streaming';
    this.step(next.askId, next.tokens, 0);
  }

  private step(askId: string, tokens: string[], index: number): void {
    if (this.disposed) return;
    const token = tokens[index];
    if (token !== undefined) {
      this.emit({ t: 'token', replyTo: askId, text: token });
      this.timer = setTimeout(() => this.step(askId, tokens, index + 1), this.options.tokenDelayMs);
      return;
    }
    this.emit({ t: 'done', replyTo: askId });
    const record = this.asks.get(askId);
    if (record) record.state = 'done';
    this.streaming = false;
    this.pump();
  }

  private emit(frame: Unsequenced): void {
    this.seq += 1;
    this.lastActiveAt = Date.now();
    const sequenced = { ...frame, seq: this.seq } as SequencedFrame;
    this.frames.push(sequenced);
    if (this.frames.length > this.options.maxKeptFrames) this.frames.shift();
    const record = sequenced.replyTo === undefined ? undefined : this.asks.get(sequenced.replyTo);
    if (record) {
      record.firstSeq ??= sequenced.seq;
      record.lastSeq = sequenced.seq;
    }
    for (const socket of this.sockets) this.options.deliver(socket, sequenced);
  }
}
