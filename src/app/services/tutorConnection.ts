import { MAX_FRAME_BYTES, parseServerFrame, type ClientFrame, type ServerFrame } from '../../protocol/socket';
import type { OpenSocket, SocketChannel } from './browserSocket';
import { ServiceError } from './serviceError';
import type { TutorReply, TutorService } from './types';

export interface TutorConnectionOptions {
  url: string;
  session: string;
  openSocket: OpenSocket;
  createId?: () => string;
}

interface PendingAsk {
  frame: Extract<ClientFrame, { t: 'ask' }>;
  text: string;
  onToken: (token: string) => void;
  resolve: (reply: TutorReply) => void;
  reject: (error: ServiceError) => void;
}

/**
 * A deliberately simple tutor socket client (DESIGN §8): connects on the first ask, says hello, sends
 * asks once welcomed, streams tokens to their ask and resolves it on `done`. No reconnection or
 * heartbeat — the runtime's self-healing socket manager replaces this; a closed socket fails what
 * was in flight and the next ask opens a new one (resuming the session from `lastSeq`).
 */
export function createTutorConnection(options: TutorConnectionOptions): TutorService {
  const createId = options.createId ?? (() => crypto.randomUUID());
  const pending = new Map<string, PendingAsk>();
  let channel: SocketChannel | null = null;
  let welcomed = false;
  let lastSeq = 0;

  const send = (frame: ClientFrame) => channel?.send(JSON.stringify(frame));

  const settleAll = (error: ServiceError) => {
    for (const ask of pending.values()) ask.reject(error);
    pending.clear();
  };

  const onFrame = (frame: ServerFrame) => {
    if (frame.t === 'ping') return send({ t: 'pong', ts: frame.ts });
    if (frame.t === 'welcome') {
      welcomed = true;
      for (const ask of pending.values()) send(ask.frame);
      return;
    }
    if (frame.t === 'pong') return;
    // seq only grows within a session: anything at or below the last applied seq is a re-sent
    // duplicate (e.g. after hello with lastSeq) and applying it would repeat text in the reply.
    if (frame.seq !== undefined) {
      if (frame.seq <= lastSeq) return;
      lastSeq = frame.seq;
    }
    const ask = frame.replyTo === undefined ? undefined : pending.get(frame.replyTo);
    if (!ask) return;
    if (frame.t === 'token') {
      ask.text += frame.text;
      ask.onToken(frame.text);
    } else if (frame.t === 'done') {
      pending.delete(ask.frame.id);
      ask.resolve({ replyTo: ask.frame.id, text: ask.text, source: 'live' });
    } else {
      pending.delete(ask.frame.id);
      ask.reject(new ServiceError('UNKNOWN', `${frame.code}: ${frame.message}`));
    }
  };

  const connect = () => {
    const opened = options.openSocket(options.url, {
      open: () => send({ t: 'hello', session: options.session, lastSeq }),
      message: (data) => {
        if (data.length > MAX_FRAME_BYTES) return;
        const frame = parseServerFrame(data);
        if (frame) onFrame(frame);
      },
      close: () => {
        if (channel !== opened) return;
        channel = null;
        welcomed = false;
        settleAll(new ServiceError('SOCKET_CLOSED', 'The tutor connection closed'));
      },
    });
    channel = opened;
  };

  return {
    ask(lessonId, text, onToken) {
      return new Promise<TutorReply>((resolve, reject) => {
        const frame = { t: 'ask', id: createId(), lessonId, text } as const;
        pending.set(frame.id, { frame, text: '', onToken, resolve, reject });
        if (!channel) connect();
        else if (welcomed) send(frame);
      });
    },
    close() {
      const closing = channel;
      channel = null;
      welcomed = false;
      closing?.close();
      settleAll(new ServiceError('ABORTED', 'The tutor connection was closed'));
    },
  };
}
