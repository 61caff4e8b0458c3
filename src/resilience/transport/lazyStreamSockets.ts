import type { Clock } from '../core/clock';
import type { DeferredCalls } from '../core/deferredCalls';
import { ResilienceError } from '../core/errors';
import { reportInternalError } from '../core/guard';
import { createListeners } from '../core/listeners';
import { loadDeferred } from '../flags/loadWithFlag';
import type { StreamSocket, StreamSocketSnapshot, StreamSocketStats } from './socket/socketTypes';
import type { StreamSocketConfig, StreamSockets, StreamSocketsDeps } from './streamSocketWiring';

/** Loads the tutor sockets' code (the afterFirstLoad chunk in a build). */
export type LoadStreamSockets = () => Promise<{ createStreamSockets(deps: StreamSocketsDeps): StreamSockets }>;

const NO_STATS: StreamSocketStats = { framesDropped: 0, duplicatesIgnored: 0, reconnects: 0, staleDetections: 0, lastSeq: 0, bufferedAsks: 0, pendingAsks: 0 };

/**
 * The tutor sockets without their code in the first load: the reconnecting socket, its frames, heartbeat, resume
 * and backoff (~3.5 KB gz) are imported at start-up, after the first load. `connect` answers at once with a
 * socket that says `connecting` (true: it connects as soon as the code is there) and becomes the real one when it
 * loads; asks made meanwhile wait for it, in order. A failed load is reported (`runtime.internalError`): the socket
 * says `closed`, its asks reject SOCKET_CLOSED (the tutor's fallback chain answers), and the next ask or
 * `reconnectNow()` tries the load again.
 */
export function lazyStreamSockets(deps: StreamSocketsDeps, load: LoadStreamSockets = () => import('../afterFirstLoad')): StreamSockets {
  const report = (error: unknown) => reportInternalError(deps.events, 'socket', error);
  const waiting = new Set<DeferredSocket>();
  const { calls, code } = loadDeferred({
    load,
    what: 'the stream socket code',
    report,
    build: (module) => module.createStreamSockets(deps),
    failed: (error) => waiting.forEach((socket) => socket.loadFailed(error)),
  });
  return {
    connect(config) {
      const loaded = calls.current();
      if (loaded) return loaded.connect(config);
      const socket = deferredSocket({ calls, config, clock: deps.clock, report, retry: () => code.retry(), settled: () => waiting.delete(socket) });
      waiting.add(socket);
      return socket;
    },
    // The sockets still waiting for their code, and the real ones.
    live: () => [...waiting, ...(calls.current()?.live() ?? [])],
    dispose() {
      code.dispose();
      [...waiting].forEach((socket) => socket.close());
      calls.current()?.dispose();
      calls.dispose();
    },
  };
}

interface DeferredSocket extends StreamSocket {
  loadFailed(error: unknown): void;
}

/** A socket handed out before its code loaded: it stands for the real one, then passes everything to it. */
function deferredSocket(options: {
  calls: DeferredCalls<StreamSockets>;
  config: StreamSocketConfig;
  clock: Clock;
  report: (error: unknown) => void;
  retry: () => void;
  /** The socket became real or was closed: no longer waiting. */
  settled: () => void;
}): DeferredSocket {
  const { calls, clock } = options;
  let real: StreamSocket | undefined;
  let closed = false;
  let snapshot: StreamSocketSnapshot = { state: 'connecting', attempt: 0, since: clock.now() };
  const listeners = createListeners<StreamSocketSnapshot>(options.report);
  const tell = (next: StreamSocketSnapshot) => {
    snapshot = next;
    listeners.notify(next);
  };
  calls.run((sockets) => {
    if (closed) return;
    real = sockets.connect(options.config);
    options.settled();
    real.subscribe(tell);
    tell(real.snapshot());
  });
  const closedError = (error: unknown) =>
    closed
      ? new ResilienceError('ABORTED', 'The socket was closed by the app')
      : new ResilienceError('SOCKET_CLOSED', `The stream socket's code did not load: ${String(error)}`, { retryable: false, cause: error });
  return {
    ask(request, onToken, askOptions) {
      if (real) return real.ask(request, onToken, askOptions);
      if (closed) return Promise.reject(closedError(undefined));
      return calls.ask(() => {
        if (!real) throw closedError(undefined);
        return real.ask(request, onToken, askOptions);
      }).catch((error: unknown) => {
        throw real ? error : closedError(error);
      });
    },
    reconnectNow() {
      if (real) real.reconnectNow();
      else if (!closed) options.retry();
    },
    snapshot: () => (real ? real.snapshot() : snapshot),
    subscribe: listeners.subscribe,
    stats: () => (real ? real.stats() : NO_STATS),
    close() {
      if (closed) return;
      closed = true;
      options.settled();
      if (real) real.close();
      else tell({ state: 'closed', reason: 'closed by the app', since: clock.now(), nextAttemptAt: null });
      listeners.clear();
    },
    loadFailed(error) {
      if (!closed && !real) tell({ state: 'closed', reason: `code did not load: ${String(error)}`, since: clock.now(), nextAttemptAt: null });
    },
  };
}
