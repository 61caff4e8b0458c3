import { isPlainObject } from './isPlainObject';

/**
 * Tutor socket protocol: JSON frames on /ws/tutor?session=<id>.
 * `seq` grows per session; the server re-sends what a client missed after `hello` with `lastSeq`,
 * and an `ask` with a known id re-streams the stored reply instead of asking twice.
 */

export const TUTOR_SOCKET_PATH = '/ws/tutor';
/** Frames larger than this are dropped and counted, by both ends. */
export const MAX_FRAME_BYTES = 16 * 1024;

export type ClientFrame =
  | { t: 'hello'; session: string; lastSeq: number }
  | { t: 'ask'; id: string; lessonId: string; text: string }
  | { t: 'ping'; ts: number }
  | { t: 'pong'; ts: number };

export type ServerFrame =
  | { t: 'welcome'; session: string; seq: number }
  | { t: 'token'; seq: number; replyTo: string; text: string }
  | { t: 'done'; seq: number; replyTo: string }
  | { t: 'error'; seq?: number; replyTo?: string; code: string; message: string }
  | { t: 'ping'; ts: number }
  | { t: 'pong'; ts: number };

const isStr = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length <= max;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses and validates a frame sent by a client; null for anything malformed. */
export function parseClientFrame(raw: string): ClientFrame | null {
  const value = safeParse(raw);
  if (!isPlainObject(value)) return null;
  switch (value.t) {
    case 'hello':
      return isStr(value.session, 128) && isSeq(value.lastSeq)
        ? { t: 'hello', session: value.session, lastSeq: value.lastSeq }
        : null;
    case 'ask':
      return isStr(value.id, 128) && isStr(value.lessonId, 128) && isStr(value.text, 2000) && value.text.trim() !== ''
        ? { t: 'ask', id: value.id, lessonId: value.lessonId, text: value.text }
        : null;
    case 'ping':
    case 'pong':
      return typeof value.ts === 'number' ? { t: value.t, ts: value.ts } : null;
    default:
      return null;
  }
}

function safeParse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
