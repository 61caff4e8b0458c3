import type { SentryEnvelopesResponse } from '../../../src/protocol/dev';
import { startTestServer, type TestServer } from '../../helpers/server';
import { TutorClient } from './tutorClient';
import { until } from '../../helpers/until';

const answerRequest = (key: string): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Student-Id': 'dee', 'Idempotency-Key': key },
  body: JSON.stringify({ lessonId: 'percentages', exerciseId: 'percent-of-amount', answer: '10' }),
});


describe('development endpoints in production mode', () => {
  it('answer 404 even when chaos is requested', async () => {
    const server = await startTestServer({ chaos: true, production: true });
    try {
      for (const [method, path] of [['GET', '/__chaos'], ['POST', '/__chaos'], ['GET', '/__stats'], ['POST', '/__reset'], ['POST', '/__chaos/socket/drop'], ['GET', '/__sentry'], ['POST', '/api/1/envelope/']]) {
        const response = await fetch(`${server.url}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: method === 'POST' ? '{}' : null });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
      expect((await fetch(`${server.url}/api/lessons`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answer 404 when chaos is not enabled', async () => {
    const server = await startTestServer({ chaos: false });
    try {
      expect((await fetch(`${server.url}/__stats`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('chaos', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    await server.reset();
  });

  it('shows and merges the configuration, rejecting junk with 400', async () => {
    const merged = await server.chaos({ http: { failRate: 0.5 } });
    expect(merged.http).toMatchObject({ failRate: 0.5, status: 503, pathPrefix: '/api', latencyMs: 0 });
    expect(merged.socket).toEqual({ refuse: false, silent: false });
    for (const junk of ['{"http":{"failRate":2}}', '{"http":{"status":200}}', '{"nope":{}}', '{"socket":{"silent":"yes"}}', '[]', '{"http":{"failRat":1}}']) {
      const response = await fetch(`${server.url}/__chaos`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: junk });
      expect(response.status, junk).toBe(400);
    }
    const current = await (await fetch(`${server.url}/__chaos`)).json();
    expect(current).toMatchObject({ http: { failRate: 0.5 } });
  });

  it('failRate 1 answers /api/lessons with the configured status and Retry-After, but never the dev endpoints', async () => {
    await server.chaos({ http: { failRate: 1, status: 503, retryAfterSeconds: 7 } });
    const response = await fetch(`${server.url}/api/lessons`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ error: { code: 'CHAOS_INJECTED' } });
    const stats = await server.stats();
    expect(stats.http.chaosFailures).toBe(1);
    await fetch(`${server.url}/__chaos/reset`, { method: 'POST' });
    expect((await fetch(`${server.url}/api/lessons`)).status).toBe(200);
  });

  it('applies faults only under pathPrefix', async () => {
    await server.chaos({ http: { failRate: 1, status: 500, pathPrefix: '/api/answers' } });
    expect((await fetch(`${server.url}/api/lessons`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/answers`, answerRequest('k-prefix'))).status).toBe(500);
    expect((await server.stats()).appliedKeys).toEqual([]);
  });

  it('dropResponseRate 1 applies the answer but the client gets no response; the retry is replayed', async () => {
    await server.chaos({ http: { dropResponseRate: 1 } });
    await expect(fetch(`${server.url}/api/answers`, answerRequest('k-dropped'))).rejects.toThrow();
    expect((await server.stats()).appliedKeys).toEqual(['k-dropped']);
    await server.chaos({ http: { dropResponseRate: 0 } });
    const retry = await fetch(`${server.url}/api/answers`, answerRequest('k-dropped'));
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect((await server.stats()).appliedKeys).toEqual(['k-dropped']);
  });

  it('blackholeRate 1 holds requests unanswered until blackholing stops', async () => {
    await server.chaos({ http: { blackholeRate: 1 } });
    let settled = false;
    const held = fetch(`${server.url}/api/lessons`).then((response) => {
      settled = true;
      return response;
    });
    await until(() => server.stats(), (stats) => stats.http.chaosBlackholed === 1);
    expect(settled).toBe(false);
    await server.chaos({ http: { blackholeRate: 0 } });
    expect((await held).status).toBe(200);
  });

  it('refuses new tutor sockets with 503 when socket.refuse is on', async () => {
    await server.chaos({ socket: { refuse: true } });
    await expect(TutorClient.connect(server.socketUrl('refused'))).rejects.toThrow(/503/);
    await server.chaos({ socket: { refuse: false } });
    const client = await TutorClient.open(server.socketUrl('refused'), 'refused');
    client.close();
  });

  it('drops every tutor socket on POST /__chaos/socket/drop', async () => {
    const client = await TutorClient.open(server.socketUrl('dropme'), 'dropme');
    const response = await fetch(`${server.url}/__chaos/socket/drop`, { method: 'POST' });
    expect(await response.json()).toEqual({ dropped: 1 });
    expect(await client.waitForClose()).toBe(1006);
  });

  it('makes tutor sockets silent without closing them', async () => {
    const client = await TutorClient.open(server.socketUrl('quiet'), 'quiet');
    await server.chaos({ socket: { silent: true } });
    client.send({ t: 'ping', ts: 1 });
    await until(() => server.stats(), (stats) => stats.socket.framesIgnoredWhileSilent === 1);
    await server.chaos({ socket: { silent: false } });
    client.send({ t: 'ping', ts: 2 });
    await client.waitFor((frame) => frame.t === 'pong' && frame.ts === 2);
    expect(client.frames.some((frame) => frame.t === 'pong' && frame.ts === 1)).toBe(false);
    expect(client.closeCode).toBeNull();
    client.close();
  });

  it('wipes answers, keys and counters on POST /__reset', async () => {
    await fetch(`${server.url}/api/answers`, answerRequest('k-before-reset'));
    await server.reset();
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual([]);
    expect(stats.answers.received).toBe(0);
    const again = await fetch(`${server.url}/api/answers`, answerRequest('k-before-reset'));
    expect(again.headers.get('Idempotent-Replayed')).toBeNull();
  });
});

describe('the Sentry envelope sink', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('accepts envelopes like the Sentry browser SDK sends them, with CORS, and lists them', async () => {
    const event = JSON.stringify({ event_id: 'abc', message: 'héllo' });
    const envelope = [
      JSON.stringify({ event_id: 'abc', sent_at: '2026-01-01T00:00:00.000Z', dsn: 'http://publickey@127.0.0.1/1' }),
      JSON.stringify({ type: 'event', length: Buffer.byteLength(event) }),
      event,
      JSON.stringify({ type: 'client_report' }),
      JSON.stringify({ discarded_events: [] }),
    ].join('\n');
    await server.chaos({ http: { failRate: 1 } });
    const response = await fetch(`${server.url}/api/1/envelope/?sentry_key=publickey&sentry_version=7`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: 'http://localhost:5173' },
      body: envelope,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({});
    const { envelopes } = (await (await fetch(`${server.url}/__sentry`)).json()) as SentryEnvelopesResponse;
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]?.header).toMatchObject({ event_id: 'abc' });
    expect(envelopes[0]?.items).toEqual([
      { header: { type: 'event', length: Buffer.byteLength(event) }, payload: { event_id: 'abc', message: 'héllo' } },
      { header: { type: 'client_report' }, payload: { discarded_events: [] } },
    ]);
    const preflight = await fetch(`${server.url}/api/1/envelope/`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
  });
});
