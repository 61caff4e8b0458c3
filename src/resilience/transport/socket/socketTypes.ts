import type { Clock, RandomSource } from '../../core/clock';
import type { EventBus } from '../../core/eventBus';
import type { ReconnectBackoff } from './reconnectBackoff';
import type { StreamReply } from './askLedger';
import type { SocketFrameCodec } from './frames';

/** A handler type checked bivariantly, so both the DOM WebSocket and `ws` fit {@link WebSocketLike}. */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the WebSocket API the manager uses: the browser's global WebSocket and Node's `ws` both fit. */
export interface WebSocketLike {
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Constructs a `WebSocketLike`; defaults to the global WebSocket. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Where `online` events come from (window in the browser). */
export interface OnlineEventSource {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
}

/** The socket's state; `open` means welcomed (session resumed), so asks flow. */
export type StreamSocketSnapshot =
  | { readonly state: 'connecting'; readonly attempt: number; readonly since: number }
  | { readonly state: 'open'; readonly openedAt: number; readonly reconnects: number }
  | { readonly state: 'stale'; readonly since: number; readonly silentForMs: number }
  | { readonly state: 'closed'; readonly reason: string; readonly since: number; readonly nextAttemptAt: number | null };

/** Counters of a `StreamSocket` since it was created, for diagnostics. */
export interface StreamSocketStats {
  /** Malformed, binary or oversized frames dropped. */
  framesDropped: number;
  /** Frames with seq ≤ the last processed one (resume re-sends), ignored. */
  duplicatesIgnored: number;
  /** Welcomes after the first one. */
  reconnects: number;
  staleDetections: number;
  lastSeq: number;
  bufferedAsks: number;
  pendingAsks: number;
}

/** One question sent over the `StreamSocket`. */
export interface AskRequest {
  /** Idempotency key; default a fresh id. Re-sent unchanged after reconnects, so the server answers once. */
  id?: string;
  /** What the question is about, in the app's terms (sent with it; the codec decides how). */
  topic: string;
  text: string;
}

/** Per-ask options of `StreamSocket.ask`. */
export interface AskOptions {
  /** Reject with TIMEOUT when the whole reply has not arrived in time. Default: no limit. */
  timeoutMs?: number;
  /**
   * Aborting cancels the ask: it rejects with ABORTED and leaves the ledger, so no reconnect re-sends it (the
   * caller has handed the question to someone else). Tokens arriving for it later are ignored.
   */
  signal?: AbortSignal;
}

/** A reconnecting WebSocket for streamed replies: asks survive reconnects, each token is delivered once. */
export interface StreamSocket {
  /**
   * Asks the tutor. `onToken` gets each new piece of the reply exactly once, across reconnects. Resolves with
   * the full reply; rejects with a ResilienceError: SOCKET_CLOSED (buffer full, or the socket closed in plain
   * mode), TIMEOUT, HTTP_4XX (the server refused the ask, e.g. unknown lesson), CONFLICT (id already pending),
   * ABORTED (`close()`, or `options.signal` aborted).
   */
  ask(request: AskRequest, onToken: (text: string) => void, options?: AskOptions): Promise<StreamReply>;
  /** Skips a pending reconnect delay (network came back, a healing strategy asked). No-op while connected. */
  reconnectNow(): void;
  snapshot(): StreamSocketSnapshot;
  subscribe(listener: (snapshot: StreamSocketSnapshot) => void): () => void;
  stats(): StreamSocketStats;
  /** Closes the socket, rejects unanswered asks with ABORTED, clears every timer and listener. Idempotent. */
  close(): void;
}

/** Options of `createStreamSocket`. */
export interface StreamSocketOptions {
  /** ws(s)://…/ws/tutor?session=<id> */
  url: string;
  session: string;
  clock: Clock;
  random: RandomSource;
  events: EventBus;
  /** Default: globalThis.WebSocket. */
  WebSocketImpl?: WebSocketConstructor;
  /** Default 10 s; stale after 2 × this with no frame. */
  pingIntervalMs?: number;
  backoff?: ReconnectBackoff;
  /** Asks made while not connected that wait to be sent. Default 20. */
  maxBufferedAsks?: number;
  /** Default 16 KiB. */
  maxFrameBytes?: number;
  /** The wire format of frames; default each frame as its JSON object. */
  codec?: SocketFrameCodec;
  /** Ask ids; default crypto.randomUUID(). */
  createId?: () => string;
  /**
   * Read at each decision: true (default) = heartbeat, reconnect and resume; false = a plain socket that
   * connects on demand and fails unanswered asks when it closes (the `socket` flag off).
   */
  resilient?: () => boolean;
  /** `online` events trigger reconnectNow(). */
  onlineSource?: OnlineEventSource;
  /** Called on each welcome (evidence of connectivity). */
  onOpen?: () => void;
  /** Called when a connection failed to open or was lost (evidence of trouble); not on close() or dispose. */
  onLost?: (reason: string) => void;
}
