import { ResilienceError } from '../../core/errors';
import type { AskLedger } from './askLedger';
import type { ServerFrame } from './frames';

/** The frames of a session that carry replies (everything but ping, pong and welcome). */
export type ReplyFrame = Extract<ServerFrame, { t: 'token' | 'done' | 'error' }>;

/**
 * The session protocol's reply side: the server numbers every reply frame of a session (`seq`), so a frame
 * with seq ≤ the last one applied is a duplicate from a resumed connection and is ignored; the rest reach the
 * ask ledger in order, once each. `lastSeq` is what `hello` tells the server on reconnect.
 */
export function createReplySequence(ledger: AskLedger) {
  let lastSeq = 0;
  let duplicatesIgnored = 0;
  return {
    lastSeq: () => lastSeq,
    duplicatesIgnored: () => duplicatesIgnored,
    /** On `welcome {seq}`: a server that knows no later seq than ours has forgotten the session (restart), so replies may restart. */
    welcomed(serverSeq: number): void {
      if (serverSeq <= lastSeq) ledger.expectRestream();
    },
    apply(frame: ReplyFrame): void {
      const seq = frame.seq;
      if (seq === undefined) {
        // Session-level error (no seq). RESUME_GAP: frames we missed are gone; the re-asks sent on welcome
        // bring those replies again from their start. BAD_FRAME: the server dropped something we sent.
        if (frame.t === 'error' && frame.code === 'RESUME_GAP') ledger.expectRestream();
        return;
      }
      if (seq <= lastSeq) {
        duplicatesIgnored += 1;
        return;
      }
      lastSeq = seq;
      if (frame.t === 'token') ledger.token(frame.replyTo, frame.text);
      else if (frame.t === 'done') ledger.done(frame.replyTo);
      else if (frame.replyTo !== undefined) {
        // The server refused the ask itself (e.g. UNKNOWN_LESSON): a client error, not worth retrying.
        ledger.fail(frame.replyTo, new ResilienceError('HTTP_4XX', `${frame.code}: ${frame.message}`, { retryable: false, detail: frame }));
      }
    },
  };
}
