/**
 * The frames of the runtime's resumable streaming protocol, as the socket manager sees them. `seq` grows per
 * session; `hello` with `lastSeq` asks the server to re-send what the client missed; an `ask` with a known id
 * is answered once (re-streamed, never asked twice). How they look on the wire is the app's codec.
 */
export type ClientFrame =
  | { readonly t: 'hello'; readonly session: string; readonly lastSeq: number }
  /** `topic`: what the question is about, as the app names it (e.g. its lesson). */
  | { readonly t: 'ask'; readonly id: string; readonly topic: string; readonly text: string }
  | { readonly t: 'ping'; readonly ts: number }
  | { readonly t: 'pong'; readonly ts: number };

/** A frame the server sends on the stream socket, as decoded by the `SocketFrameCodec`. */
export type ServerFrame =
  | { readonly t: 'welcome'; readonly session: string; readonly seq: number }
  | { readonly t: 'token'; readonly seq: number; readonly replyTo: string; readonly text: string }
  | { readonly t: 'done'; readonly seq: number; readonly replyTo: string }
  | { readonly t: 'error'; readonly seq?: number; readonly replyTo?: string; readonly code: string; readonly message: string }
  | { readonly t: 'ping'; readonly ts: number }
  | { readonly t: 'pong'; readonly ts: number };

/** Turns frames into wire messages and back. `decode` returns null for anything malformed; neither throws. */
export interface SocketFrameCodec {
  encode(frame: ClientFrame): string;
  decode(data: string): ServerFrame | null;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStr = (value: unknown, max = 4096): value is string => typeof value === 'string' && value.length <= max;
const isSeq = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Validates a parsed server frame (`{t: …}` JSON); null for anything malformed or unknown. */
export function validateServerFrame(value: unknown): ServerFrame | null {
  if (!isObject(value)) return null;
  switch (value.t) {
    case 'welcome':
      return isStr(value.session, 128) && isSeq(value.seq) ? { t: 'welcome', session: value.session, seq: value.seq } : null;
    case 'token':
      return isSeq(value.seq) && isStr(value.replyTo, 128) && isStr(value.text) ? { t: 'token', seq: value.seq, replyTo: value.replyTo, text: value.text } : null;
    case 'done':
      return isSeq(value.seq) && isStr(value.replyTo, 128) ? { t: 'done', seq: value.seq, replyTo: value.replyTo } : null;
    case 'error':
      if (!isStr(value.code, 64) || !isStr(value.message)) return null;
      return {
        t: 'error',
        code: value.code,
        message: value.message,
        ...(isSeq(value.seq) ? { seq: value.seq } : {}),
        ...(isStr(value.replyTo, 128) ? { replyTo: value.replyTo } : {}),
      };
    case 'ping':
    case 'pong':
      return typeof value.ts === 'number' ? { t: value.t, ts: value.ts } : null;
    default:
      return null;
  }
}

/** The default codec: each frame as its JSON object. */
export const jsonFrameCodec: SocketFrameCodec = {
  encode: (frame) => JSON.stringify(frame),
  decode(data) {
    try {
      return validateServerFrame(JSON.parse(data));
    } catch {
      return null;
    }
  },
};
