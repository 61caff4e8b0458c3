import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { SocketChaos } from '../../src/protocol/dev';
import { MAX_FRAME_BYTES, TUTOR_SOCKET_PATH, parseClientFrame, type ClientFrame, type ServerFrame } from '../../src/protocol/socket';
import type { Counters } from '../stats';
import type { TutorService } from '../tutor/tutorService';
import { HttpError } from '../http/errors';
import { TutorSession } from './tutorSession';

const SESSION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const MAX_SESSIONS = 1000;
const MAX_KEPT_FRAMES = 1000;
/**
 * ws closes a connection whose frame exceeds maxPayload. Frames between MAX_FRAME_BYTES and this are
 * dropped and counted while the connection stays open; beyond it only the offending client is cut off.
 */
const MAX_PAYLOAD_BYTES = MAX_FRAME_BYTES * 4;

export interface SocketHubOptions {
  tutor: TutorService;
  counters: Counters;
  chaos: () => SocketChaos;
  tokenDelayMs: number;
  pingIntervalMs: number;
  /** The student an upgrade request acts for (its session cookie); throws an HttpError (401/403) otherwise. */
  authenticate(req: IncomingMessage): string;
}

interface Connection {
  /** The student of the session that opened this socket. */
  student: string;
  session: TutorSession | null;
  /** The session named in the URL, which `hello` must match. */
  expectedSession: string | null;
  lastSeenAt: number;
}

function rejectUpgrade(socket: Duplex, status: number, reason: string, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function frameBytes(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/** The tutor WebSocket endpoint: sessions with resumable seq streams, asks answered once per id. */
export function createSocketHub(options: SocketHubOptions) {
  const { counters, tutor } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD_BYTES });
  const connections = new Map<WebSocket, Connection>();
  const sessions = new Map<string, TutorSession>();
  /** Who each tutor session belongs to: another student can never attach to it and read its replies. */
  const owners = new Map<string, string>();

  const deliver = (socket: WebSocket, frame: ServerFrame): void => {
    if (options.chaos().silent || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify(frame));
  };

  function sessionFor(id: string): TutorSession {
    const existing = sessions.get(id);
    if (existing) return existing;
    if (sessions.size >= MAX_SESSIONS) {
      const idle = [...sessions.values()].filter((s) => s.idle).sort((a, b) => a.lastActiveAt - b.lastActiveAt)[0];
      if (idle) {
        sessions.delete(idle.id);
        owners.delete(idle.id);
      }
    }
    const session = new TutorSession(id, { tokenDelayMs: options.tokenDelayMs, maxKeptFrames: MAX_KEPT_FRAMES, deliver });
    sessions.set(id, session);
    return session;
  }

  function drop(socket: WebSocket, message: string): void {
    counters.socket.framesDropped += 1;
    deliver(socket, { t: 'error', code: 'BAD_FRAME', message });
  }

  function ask(connection: Connection, socket: WebSocket, frame: Extract<ClientFrame, { t: 'ask' }>): void {
    const session = connection.session;
    if (!session) {
      drop(socket, 'Send hello before asking.');
      return;
    }
    counters.socket.asksReceived += 1;
    const state = session.askState(frame.id);
    if (state === 'queued' || state === 'streaming' || (state === 'done' && session.resend(socket, frame.id))) {
      counters.socket.asksDeduplicated += 1;
      return;
    }
    const answer = tutor.reply(connection.student, frame);
    if (!answer.ok) {
      session.fail(frame.id, answer.code, answer.message);
      return;
    }
    counters.socket.asksAnswered += 1;
    session.stream(frame.id, answer.text);
  }

  function onMessage(socket: WebSocket, connection: Connection, data: RawData, isBinary: boolean): void {
    connection.lastSeenAt = Date.now();
    if (options.chaos().silent) {
      counters.socket.framesIgnoredWhileSilent += 1;
      return;
    }
    const bytes = frameBytes(data);
    if (isBinary || bytes.length > MAX_FRAME_BYTES) {
      drop(socket, `Frames must be JSON text of at most ${MAX_FRAME_BYTES} bytes.`);
      return;
    }
    const frame = parseClientFrame(bytes.toString('utf8'));
    if (!frame) {
      drop(socket, 'Unrecognised frame.');
      return;
    }
    switch (frame.t) {
      case 'hello':
        if (!SESSION_ID.test(frame.session) || (connection.expectedSession !== null && frame.session !== connection.expectedSession)) {
          drop(socket, 'hello must name the session given in the URL.');
          return;
        }
        if ((owners.get(frame.session) ?? connection.student) !== connection.student) {
          deliver(socket, { t: 'error', code: 'FORBIDDEN', message: 'This tutor session belongs to another student.' });
          return;
        }
        owners.set(frame.session, connection.student);
        connection.session?.detach(socket);
        connection.session = sessionFor(frame.session);
        connection.session.attach(socket, frame.lastSeq);
        return;
      case 'ask':
        ask(connection, socket, frame);
        return;
      case 'ping':
        deliver(socket, { t: 'pong', ts: frame.ts });
        return;
      case 'pong':
        return;
    }
  }

  function onConnection(socket: WebSocket, student: string, expectedSession: string | null): void {
    counters.socket.total += 1;
    const connection: Connection = { student, session: null, expectedSession, lastSeenAt: Date.now() };
    connections.set(socket, connection);
    socket.on('message', (data, isBinary) => onMessage(socket, connection, data, isBinary));
    // ws reports frames over maxPayload (and protocol violations) here, then closes this socket only.
    socket.on('error', () => {
      counters.socket.framesDropped += 1;
    });
    socket.on('close', () => {
      connection.session?.detach(socket);
      connections.delete(socket);
    });
  }

  /** Server pings keep proxies from idling the socket out; a client silent for 3 intervals is cut off. */
  const pingTimer = setInterval(() => {
    if (options.chaos().silent) return;
    const now = Date.now();
    for (const [socket, connection] of connections) {
      if (now - connection.lastSeenAt > 3 * options.pingIntervalMs) socket.terminate();
      else deliver(socket, { t: 'ping', ts: now });
    }
  }, options.pingIntervalMs);
  pingTimer.unref();

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => undefined);
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== TUTOR_SOCKET_PATH) return rejectUpgrade(socket, 404, 'Not Found', 'NOT_FOUND', 'No WebSocket endpoint here.');
      if (options.chaos().refuse) {
        return rejectUpgrade(socket, 503, 'Service Unavailable', 'CHAOS_INJECTED', 'Tutor socket refused (chaos).');
      }
      // A page of another site may open a socket to us (no CORS for WebSockets): only our own origin may.
      const origin = req.headers.origin;
      if (origin !== undefined && originHost(origin) !== req.headers.host) {
        return rejectUpgrade(socket, 403, 'Forbidden', 'FORBIDDEN_ORIGIN', 'The tutor socket accepts pages of this site only.');
      }
      let student: string;
      try {
        student = options.authenticate(req);
      } catch (error) {
        const { status, code, message } = error instanceof HttpError ? error : { status: 401, code: 'UNAUTHENTICATED', message: 'Sign in first.' };
        return rejectUpgrade(socket, status, status === 403 ? 'Forbidden' : status === 400 ? 'Bad Request' : 'Unauthorized', code, message);
      }
      const session = url.searchParams.get('session');
      if (session !== null && !SESSION_ID.test(session)) {
        return rejectUpgrade(socket, 400, 'Bad Request', 'INVALID_SESSION', 'session must be 1–128 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-".');
      }
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, student, session));
    },
    /** Cuts every tutor socket at once (no close handshake); sessions and their streams live on. */
    dropAll(): number {
      const count = connections.size;
      for (const socket of connections.keys()) socket.terminate();
      return count;
    },
    /** Cuts every socket and forgets every session. */
    reset(): void {
      this.dropAll();
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
      owners.clear();
    },
    get openCount(): number {
      return connections.size;
    },
    close(): Promise<void> {
      clearInterval(pingTimer);
      this.reset();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

export type SocketHub = ReturnType<typeof createSocketHub>;
