import type { TimerHandle } from '../core/clock';
import { createListeners } from '../core/listeners';
import { ResilienceError } from '../core/errors';
import { reportInternalError } from '../core/guard';
import { createAskLedger, type AskEntry } from './socket/askLedger';
import { readServerFrame } from './socket/frameReader';
import { jsonFrameCodec, type ClientFrame, type ServerFrame } from './socket/frames';
import { createHeartbeat } from './socket/heartbeat';
import { reconnectBackoff } from './socket/reconnectBackoff';
import { createReplySequence } from './socket/replySequence';
import type { StreamSocket, StreamSocketOptions, StreamSocketSnapshot, StreamSocketStats, WebSocketLike } from './socket/socketTypes';

const ignoreError = () => undefined;

/** Frames larger than this are dropped and counted (the app may set its server's limit). */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024;

/** Close code we use for a socket we declared stale (4000–4999 are for applications). */
export const STALE_CLOSE_CODE = 4000;

/**
 * The self-healing tutor socket. Connects at once; `hello {session, lastSeq}` on open; `welcome`
 * → state `open`, backoff reset, then every unanswered ask is (re)sent in order with its id (the server
 * dedupes by id). Frames with seq ≤ lastSeq are ignored and replies streamed again from the start are
 * reconciled (askLedger), so each token reaches its caller exactly once. A socket silent for 2 × the ping
 * interval is stale: closed with 4000 without waiting for a close event a half-open socket never sends.
 * Losses reconnect after a jittered delay (reconnectBackoff). Failure is a value inside; only `ask` rejects.
 */
export function createStreamSocket(options: StreamSocketOptions): StreamSocket {
  const { clock, random, events, url, session } = options;
  const pingIntervalMs = options.pingIntervalMs ?? 10_000;
  const backoff = options.backoff ?? reconnectBackoff();
  const maxBufferedAsks = options.maxBufferedAsks ?? 20;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const codec = options.codec ?? jsonFrameCodec;
  const createId = options.createId ?? (() => crypto.randomUUID());
  const resilient = options.resilient ?? (() => true);
  const WebSocketImpl = options.WebSocketImpl ?? (globalThis as { WebSocket?: StreamSocketOptions['WebSocketImpl'] }).WebSocket;
  const listeners = createListeners<StreamSocketSnapshot>((error) => reportInternalError(events, 'socket.listener', error));
  const ledger = createAskLedger((error) => reportInternalError(events, 'socket.onToken', error));
  const replies = createReplySequence(ledger);
  const stats = { framesDropped: 0, reconnects: 0, staleDetections: 0 };
  let snapshot: StreamSocketSnapshot = { state: 'closed', reason: 'not started', since: clock.now(), nextAttemptAt: null };
  let socket: WebSocketLike | null = null;
  let connection = 0;
  let welcomed = false;
  let everWelcomed = false;
  let attempt = 0;
  let outageStartedAt: number | null = null;
  let reconnectTimer: TimerHandle | undefined;
  let disposed = false;

  const setState = (next: StreamSocketSnapshot) => {
    const changed = next.state !== snapshot.state;
    snapshot = next;
    if (changed) events.emit('socket.state', { state: next.state });
    listeners.notify(next);
  };
  const send = (frame: ClientFrame): boolean => {
    try {
      socket?.send(codec.encode(frame));
      return socket !== null;
    } catch {
      return false; // not open after all; the close handler or the watchdog takes it from here
    }
  };
  const heartbeat = createHeartbeat({
    clock,
    intervalMs: pingIntervalMs,
    sendPing: () => void send({ t: 'ping', ts: clock.now() }),
    onStale: () => {
      stats.staleDetections += 1;
      setState({ state: 'stale', since: clock.now(), silentForMs: 2 * pingIntervalMs });
      lose('stale: no frame for 2 × the ping interval', STALE_CLOSE_CODE);
    },
  });

  const connect = () => {
    if (disposed || socket !== null) return;
    cancelReconnect();
    connection += 1;
    const mine = connection;
    setState({ state: 'connecting', attempt, since: clock.now() });
    try {
      if (!WebSocketImpl) throw new Error('No WebSocket implementation (pass WebSocketImpl)');
      socket = new WebSocketImpl(url);
    } catch (error) {
      reportInternalError(events, 'socket', error);
      return lose('could not create the socket');
    }
    socket.onopen = () => {
      if (mine === connection) send({ t: 'hello', session, lastSeq: replies.lastSeq() });
    };
    socket.onmessage = (event) => {
      if (mine === connection) onMessage(event.data);
    };
    socket.onclose = (event) => {
      if (mine === connection) lose(`closed (${event.code})`);
    };
    socket.onerror = ignoreError; // a close event follows; the watchdog covers the case where none does
    // Watchdog from the start: a connect or hello that hangs (black-holed network) is stale too.
    if (resilient()) heartbeat.start(false);
  };

  /** The current socket is gone (closed, stale, or never made): detach it and decide what comes next. */
  const lose = (reason: string, closeCode = 1000) => {
    const lost = socket;
    socket = null;
    welcomed = false;
    heartbeat.stop();
    if (lost) {
      lost.onopen = lost.onmessage = lost.onclose = null;
      // Keep an error listener: `ws` emits 'error' when a connecting socket is closed, and an EventEmitter
      // with no 'error' listener throws it as an uncaught exception.
      lost.onerror = ignoreError;
      try {
        lost.close(closeCode, reason.slice(0, 100));
      } catch {
        // already closing
      }
    }
    if (disposed) return;
    try {
      options.onLost?.(reason);
    } catch (error) {
      reportInternalError(events, 'socket.onLost', error);
    }
    if (!resilient()) {
      setState({ state: 'closed', reason, since: clock.now(), nextAttemptAt: null });
      ledger.failAll(new ResilienceError('SOCKET_CLOSED', `The socket connection closed: ${reason}`));
      return;
    }
    attempt += 1;
    outageStartedAt ??= clock.now();
    const delayMs = backoff.delayMs(attempt, clock.now() - outageStartedAt, random);
    events.emit('socket.reconnectScheduled', { attempt, delayMs, reason });
    setState({ state: 'closed', reason, since: clock.now(), nextAttemptAt: clock.now() + delayMs });
    reconnectTimer = clock.setTimeout(() => {
      reconnectTimer = undefined;
      connect();
    }, delayMs);
  };
  const cancelReconnect = () => {
    if (reconnectTimer !== undefined) clock.clearTimeout(reconnectTimer);
    reconnectTimer = undefined;
  };

  const onMessage = (data: unknown) => {
    heartbeat.seen();
    const frame = readServerFrame(data, maxFrameBytes, codec);
    if (frame === null) {
      stats.framesDropped += 1;
      return;
    }
    onFrame(frame);
  };
  const onFrame = (frame: ServerFrame) => {
    switch (frame.t) {
      case 'ping':
        return void send({ t: 'pong', ts: frame.ts });
      case 'pong':
        return;
      case 'welcome':
        return onWelcome(frame.seq);
    }
    replies.apply(frame);
  };
  const onWelcome = (serverSeq: number) => {
    if (welcomed) return;
    welcomed = true;
    if (everWelcomed) stats.reconnects += 1;
    everWelcomed = true;
    attempt = 0;
    outageStartedAt = null;
    replies.welcomed(serverSeq);
    if (resilient()) heartbeat.start(true);
    setState({ state: 'open', openedAt: clock.now(), reconnects: stats.reconnects });
    for (const entry of ledger.unsentOn(connection)) sendAsk(entry);
    try {
      options.onOpen?.();
    } catch (error) {
      reportInternalError(events, 'socket.onOpen', error);
    }
  };
  const sendAsk = (entry: AskEntry) => {
    if (send({ t: 'ask', id: entry.id, topic: entry.topic, text: entry.text })) entry.sentOn = connection;
  };

  const reconnectNow = () => {
    if (disposed || socket !== null) return;
    connect();
  };
  const onOnline = () => reconnectNow();
  options.onlineSource?.addEventListener('online', onOnline);
  connect();

  return {
    ask(request, onToken, askOptions = {}) {
      return new Promise((resolve, reject) => {
        const id = request.id ?? createId();
        if (disposed) return reject(new ResilienceError('ABORTED', 'The socket was closed by the app'));
        if (ledger.has(id)) return reject(new ResilienceError('CONFLICT', `An ask with id ${id} is already pending`, { retryable: false }));
        if (!welcomed && ledger.bufferedCount() >= maxBufferedAsks) {
          const message = `Ask buffer full: ${maxBufferedAsks} asks are already waiting for the connection`;
          return reject(new ResilienceError('SOCKET_CLOSED', message, { retryable: false }));
        }
        const { signal } = askOptions;
        if (signal?.aborted) return reject(new ResilienceError('ABORTED', 'The ask was cancelled before it was sent', { cause: signal.reason }));
        let timer: TimerHandle | undefined;
        const onAbort = () => ledger.fail(id, new ResilienceError('ABORTED', 'The ask was cancelled by the caller', { cause: signal?.reason }));
        const entry: AskEntry = {
          id,
          topic: request.topic,
          text: request.text,
          delivered: '',
          sentOn: 0,
          echo: null,
          onToken,
          resolve,
          reject,
          cleanup: () => {
            if (timer !== undefined) clock.clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
          },
        };
        ledger.add(entry);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (askOptions.timeoutMs !== undefined) {
          timer = clock.setTimeout(() => {
            timer = undefined;
            ledger.fail(id, new ResilienceError('TIMEOUT', `No complete reply within ${askOptions.timeoutMs} ms`));
          }, askOptions.timeoutMs);
        }
        if (welcomed) sendAsk(entry);
        else if (socket === null && reconnectTimer === undefined) connect(); // plain mode connects on demand
      });
    },
    reconnectNow,
    snapshot: () => snapshot,
    subscribe: listeners.subscribe,
    stats: (): StreamSocketStats => ({ ...stats, duplicatesIgnored: replies.duplicatesIgnored(), lastSeq: replies.lastSeq(), bufferedAsks: ledger.bufferedCount(), pendingAsks: ledger.pendingCount() }),
    close() {
      if (disposed) return;
      disposed = true;
      cancelReconnect();
      options.onlineSource?.removeEventListener('online', onOnline);
      lose('closed by the app');
      ledger.failAll(new ResilienceError('ABORTED', 'The socket was closed by the app'));
      setState({ state: 'closed', reason: 'closed by the app', since: clock.now(), nextAttemptAt: null });
      listeners.clear();
    },
  };
}
