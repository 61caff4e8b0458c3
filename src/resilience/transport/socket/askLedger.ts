import type { ResilienceError } from '../../core/errors';

/** What the caller gets when a reply is complete. */
export interface StreamReply {
  readonly replyTo: string;
  readonly text: string;
}

/** One ask that has not been answered yet. */
export interface AskEntry {
  readonly id: string;
  readonly topic: string;
  readonly text: string;
  /** Text already handed to the caller's onToken, in order. Never handed out twice. */
  delivered: string;
  /** The connection the ask was last sent on; 0 while it has only been buffered. */
  sentOn: number;
  /**
   * Non-null while we may be receiving the reply again from its start (server restarted or frames lost):
   * the incoming text held back so far. See {@link AskLedger.token}.
   */
  echo: string | null;
  readonly onToken: (text: string) => void;
  readonly resolve: (reply: StreamReply) => void;
  readonly reject: (error: ResilienceError) => void;
  /** Called once when the entry leaves the ledger (clears its timeout). */
  readonly cleanup: () => void;
}

export interface AskLedger {
  add(entry: AskEntry): void;
  has(id: string): boolean;
  /** Asks never sent on any connection (the bounded buffer). */
  bufferedCount(): number;
  pendingCount(): number;
  /** Unanswered asks not yet sent on `connection`, in the order they were made. */
  unsentOn(connection: number): AskEntry[];
  /** The reply to every partly delivered ask may restart from its first token (re-asked by id). */
  expectRestream(): void;
  token(replyTo: string, text: string): void;
  done(replyTo: string): void;
  fail(replyTo: string, error: ResilienceError): void;
  /** Rejects and forgets every unanswered ask. */
  failAll(error: ResilienceError): void;
}

/**
 * Bookkeeping of unanswered asks, with the exactly-once rule for their tokens. Seq filtering (done by the
 * socket) removes frames we already processed; what it cannot remove is a reply the server streams again from
 * the start with new seqs (after a restart, or when its frames were no longer kept and we re-asked by id).
 * For such asks incoming text is compared with what the caller already has: while it is a prefix of that,
 * it is held back; once it goes past, only the new part is delivered; if it disagrees, it was a continuation
 * after all and the held text is delivered. Replies are deterministic per id (the server stores them), so the
 * comparison is sound; the only ambiguity is a continuation that itself repeats the reply's beginning.
 * `onToken` exceptions belong to the caller: they are reported by `onCallbackError`, never break the stream.
 */
export function createAskLedger(onCallbackError: (error: unknown) => void): AskLedger {
  const asks = new Map<string, AskEntry>();

  const deliver = (entry: AskEntry, text: string) => {
    if (text === '') return;
    entry.delivered += text;
    try {
      entry.onToken(text);
    } catch (error) {
      onCallbackError(error);
    }
  };
  const remove = (entry: AskEntry) => {
    asks.delete(entry.id);
    entry.cleanup();
  };

  return {
    add: (entry) => void asks.set(entry.id, entry),
    has: (id) => asks.has(id),
    bufferedCount: () => {
      let count = 0;
      for (const entry of asks.values()) if (entry.sentOn === 0) count += 1;
      return count;
    },
    pendingCount: () => asks.size,
    unsentOn: (connection) => [...asks.values()].filter((entry) => entry.sentOn !== connection),
    expectRestream() {
      for (const entry of asks.values()) if (entry.delivered !== '' && entry.echo === null) entry.echo = '';
    },
    token(replyTo, text) {
      const entry = asks.get(replyTo);
      if (!entry) return;
      if (entry.echo === null) return deliver(entry, text);
      const incoming = entry.echo + text;
      if (entry.delivered.startsWith(incoming)) {
        // Still replaying what the caller has; caught up exactly → back to normal delivery.
        entry.echo = incoming.length === entry.delivered.length ? null : incoming;
        return;
      }
      entry.echo = null;
      if (incoming.startsWith(entry.delivered)) deliver(entry, incoming.slice(entry.delivered.length));
      else deliver(entry, incoming);
    },
    done(replyTo) {
      const entry = asks.get(replyTo);
      if (!entry) return;
      // A re-stream cannot end before reaching what was delivered: held text was a continuation.
      if (entry.echo !== null) deliver(entry, entry.echo);
      remove(entry);
      entry.resolve({ replyTo: entry.id, text: entry.delivered });
    },
    fail(replyTo, error) {
      const entry = asks.get(replyTo);
      if (!entry) return;
      remove(entry);
      entry.reject(error);
    },
    failAll(error) {
      for (const entry of [...asks.values()]) {
        remove(entry);
        entry.reject(error);
      }
    },
  };
}
