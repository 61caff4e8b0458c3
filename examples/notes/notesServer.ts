import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Note {
  readonly id: number;
  readonly text: string;
}

/** A tiny notes API: GET/POST /api/notes (POST idempotent by Idempotency-Key), GET /api/search?q=, GET /api/health. */
export interface NotesServer {
  readonly url: string;
  readonly notes: readonly Note[];
  /** How many POSTs were applied, and how many were answered from a stored response. */
  readonly stats: { applied: number; replayed: number; requests: number };
  /** While set, every request answers this status (e.g. 503). */
  failWith(status: number | null): void;
  close(): Promise<void>;
}

export async function startNotesServer(): Promise<NotesServer> {
  const notes: Note[] = [];
  const stored = new Map<string, Note>();
  const stats = { applied: 0, replayed: 0, requests: 0 };
  let failing: number | null = null;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text === '' ? undefined : JSON.parse(text);
  };

  const server = createServer((req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://notes.local');
    if (failing !== null) return send(res, failing, { code: 'UNAVAILABLE' });
    if (url.pathname === '/api/health') return send(res, 200, { ok: true });
    if (url.pathname === '/api/search') return send(res, 200, notes.filter((note) => note.text.includes(url.searchParams.get('q') ?? '')));
    if (url.pathname !== '/api/notes') return send(res, 404, { code: 'NOT_FOUND' });
    if (req.method === 'GET') return send(res, 200, notes);
    if (req.method !== 'POST') return send(res, 405, { code: 'METHOD_NOT_ALLOWED' });
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string') return send(res, 400, { code: 'MISSING_IDEMPOTENCY_KEY' });
    void readJson(req).then(
      (body) => {
        const previous = stored.get(key);
        if (previous) {
          stats.replayed++;
          return send(res, 201, previous, { 'idempotent-replayed': 'true' });
        }
        const text = (body as { text?: unknown } | undefined)?.text;
        if (typeof text !== 'string' || text === '') return send(res, 422, { code: 'INVALID_NOTE' });
        const note = { id: notes.length + 1, text };
        notes.push(note);
        stored.set(key, note);
        stats.applied++;
        send(res, 201, note);
      },
      () => send(res, 400, { code: 'MALFORMED_JSON' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    notes,
    stats,
    failWith: (status) => void (failing = status),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
