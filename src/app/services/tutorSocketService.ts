import type { StreamSocket } from '../../resilience';
import type { TutorService } from './types';

/**
 * The app's tutor over the runtime's self-healing socket manager. The manager owns connecting,
 * heartbeat, reconnect and resume, so this only translates: each ask gets a fresh id (the idempotency key the
 * manager re-sends unchanged after a reconnect), tokens reach `onToken` exactly once, and the reply resolves
 * as `live`. An ask made while the socket is down waits in the manager's buffer and is sent after it heals.
 * Failures reject with the runtime's ResilienceError (SOCKET_CLOSED when the buffer is full, HTTP_4XX for an
 * unknown lesson, ABORTED after close or when `options.signal` aborts: the ask leaves the manager and is not re-sent), whose `code` the UI words with `describeError`.
 */
export function createSocketTutorService(socket: StreamSocket, createId: () => string = () => crypto.randomUUID()): TutorService {
  return {
    async ask(lessonId, text, onToken, options = {}) {
      const reply = await socket.ask({ id: options.id ?? createId(), topic: lessonId, text }, onToken, options.signal ? { signal: options.signal } : {});
      return { replyTo: reply.replyTo, text: reply.text, source: 'live' };
    },
    /** Final: the socket belongs to the student's runtime and goes with it at log-out. */
    close: () => socket.close(),
  };
}
