import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTutorServer, type TutorServer, type TutorServerOptions } from '../../server/createServer';
import type { ChaosConfig, ChaosUpdate, StatsResponse } from '../../src/protocol/dev';
import { TUTOR_SOCKET_PATH } from '../../src/protocol/socket';

export type TestServerOptions = Partial<Omit<TutorServerOptions, 'port' | 'host'>>;

export interface TestServer {
  /** http://127.0.0.1:<port>; stays the same across restart(). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The running server instance (replaced by restart()). */
  readonly server: TutorServer;
  /** ws://127.0.0.1:<port>/ws/tutor?session=<session> */
  socketUrl(session: string): string;
  /** POST /__chaos with a partial update; resolves to the merged config. */
  chaos(update: ChaosUpdate): Promise<ChaosConfig>;
  /** GET /__stats. */
  stats(): Promise<StatsResponse>;
  /** POST /__reset: chaos off, all data and counters wiped. */
  reset(): Promise<void>;
  /** Stops the server and deletes its data directory (unless the caller passed one). */
  close(): Promise<void>;
  /** Stops the server and starts it again on the same port and data directory (like a crash-free redeploy). */
  restart(): Promise<void>;
}

async function devRequest<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** The passphrase test helpers sign in with unless told otherwise. */
export const TEST_PASSPHRASE = 'purple tiger';

/**
 * Signs in over HTTP (POST /api/session, claiming the name on first use); resolves the `Cookie` header value
 * that carries the session, for requests made outside a browser.
 */
export async function signInOverHttp(baseUrl: string, name: string, passphrase = TEST_PASSPHRASE): Promise<string> {
  const response = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, passphrase }),
  });
  if (!response.ok) throw new Error(`Signing in as ${name} answered ${response.status}: ${await response.text()}`);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] ?? '';
}

/**
 * Starts the tutoring server on 127.0.0.1 with a free port, a fresh temporary DATA_DIR and chaos
 * endpoints on (override with `chaos: false` / `production: true`). Tokens stream 2 ms apart by default.
 * The test switch `trustStudentHeader` is on (X-Student-Id acts for a student without a session) unless a
 * test turns it off, as the end-to-end tests do (the browser signs in for real). End-to-end tests pass
 * `staticDir: 'dist'` to serve the built app.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tutor-server-'));
  const settings: TutorServerOptions = {
    chaos: true,
    tokenDelayMs: 2,
    ...(options.production ? {} : { trustStudentHeader: true }),
    ...options,
    dataDir,
    host: '127.0.0.1',
    port: 0,
  };
  let server = await createTutorServer(settings);
  const { url, port } = server;

  return {
    url,
    port,
    dataDir,
    get server() {
      return server;
    },
    socketUrl: (session) => `${url.replace(/^http/, 'ws')}${TUTOR_SOCKET_PATH}?session=${encodeURIComponent(session)}`,
    chaos: (update) =>
      devRequest<ChaosConfig>(`${url}/__chaos`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(update) }),
    stats: () => devRequest<StatsResponse>(`${url}/__stats`),
    reset: async () => {
      await devRequest(`${url}/__reset`, { method: 'POST' });
    },
    async close() {
      await server.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await server.close();
      server = await createTutorServer({ ...settings, port });
    },
  };
}
