import type { ApiErrorBody, SessionResponse } from '../../../src/protocol/api';
import { startTestServer, TEST_PASSPHRASE, type TestServer } from '../../helpers/server';
import { TutorClient } from './tutorClient';

const HOUR_MS = 60 * 60_000;

/** A server with the test switch off (sessions only) and a wall clock the test moves. */
async function sessionServer(options: Parameters<typeof startTestServer>[0] = {}) {
  const clock = { now: Date.parse('2026-03-02T08:00:00Z') };
  const server = await startTestServer({ trustStudentHeader: false, sessionTtlSeconds: 8 * 60 * 60, now: () => clock.now, ...options });
  return { server, clock };
}

async function signIn(server: TestServer, name: string, passphrase = TEST_PASSPHRASE) {
  const response = await fetch(`${server.url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, passphrase }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  return { response, setCookie, cookie: setCookie.split(';')[0] ?? '', body: (await response.json()) as SessionResponse & ApiErrorBody };
}

const get = (server: TestServer, path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const errorCode = async (response: Response) => ((await response.json()) as ApiErrorBody).error.code;
const postAnswer = (server: TestServer, cookie: string, key: string, extra: Record<string, string> = {}) =>
  fetch(`${server.url}/api/answers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Cookie: cookie, ...extra },
    body: JSON.stringify({ lessonId: 'fractions', exerciseId: 'add-quarter-half', answer: '3/4' }),
  });

describe('sign-in sessions', () => {
  let server: TestServer;
  let clock: { now: number };
  beforeEach(async () => {
    ({ server, clock } = await sessionServer());
  });
  afterEach(() => server.close());

  it('claims a new name with its passphrase and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const { response, setCookie, body } = await signIn(server, 'Ada Lovelace');
    expect(response.status).toBe(201);
    expect(body).toEqual({ student: { id: 'ada-lovelace', name: 'Ada Lovelace' }, expiresAt: '2026-03-02T16:00:00.000Z', claimed: true });
    expect(setCookie).toMatch(/^tutor_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
    const again = await signIn(server, 'ada lovelace');
    expect(again.response.status).toBe(200);
    expect(again.body.student).toEqual({ id: 'ada-lovelace', name: 'Ada Lovelace' });
    expect(again.cookie).not.toBe(setCookie.split(';')[0]);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const response = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-Proto': 'https' },
      body: JSON.stringify({ name: 'Ada', passphrase: TEST_PASSPHRASE }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('refuses a wrong passphrase for a claimed name, and bad names and short passphrases with a clear code', async () => {
    await signIn(server, 'Ada');
    const wrong = await signIn(server, 'Ada', 'purple tigers');
    expect(wrong.response.status).toBe(401);
    expect(wrong.body.error.code).toBe('WRONG_PASSPHRASE');
    expect(wrong.setCookie).toBe('');
    expect((await signIn(server, '   ')).body.error.code).toBe('INVALID_NAME');
    expect((await signIn(server, 'x'.repeat(61))).body.error.code).toBe('INVALID_NAME');
    expect((await signIn(server, 'Bea', 'abc')).body.error.code).toBe('INVALID_PASSPHRASE');
  });

  it('answers 401 UNAUTHENTICATED to every student route without a session, and ignores X-Student-Id', async () => {
    for (const [method, path] of [['GET', '/api/progress'], ['GET', '/api/session'], ['POST', '/api/session/refresh']] as const) {
      const response = await fetch(`${server.url}${path}`, { method, headers: { 'X-Student-Id': 'ada' } });
      expect(response.status).toBe(401);
      expect(await errorCode(response)).toBe('UNAUTHENTICATED');
    }
    const answer = await postAnswer(server, '', 'k-anon', { 'X-Student-Id': 'ada' });
    expect(answer.status).toBe(401);
    expect((await server.stats()).appliedKeys).toEqual([]);
    expect((await get(server, '/api/lessons')).status).toBe(200); // the catalogue is public
  });

  it('derives the student from the session: another student\'s data is out of reach (403/404)', async () => {
    const ada = await signIn(server, 'Ada');
    const bob = await signIn(server, 'Bob');
    expect((await postAnswer(server, ada.cookie, 'k-ada')).status).toBe(200);
    // Bob's session reads Bob's progress, whatever header he sends; naming Ada is refused outright.
    const bobsProgress = (await (await get(server, '/api/progress', { Cookie: bob.cookie })).json()) as { student: string; lessons: object };
    expect(bobsProgress).toMatchObject({ student: 'bob', lessons: {} });
    const asAda = await get(server, '/api/progress', { Cookie: bob.cookie, 'X-Student-Id': 'ada' });
    expect(asAda.status).toBe(403);
    expect(await errorCode(asAda)).toBe('STUDENT_MISMATCH');
    const answerAsAda = await postAnswer(server, bob.cookie, 'k-bob-as-ada', { 'X-Student-Id': 'ada' });
    expect(answerAsAda.status).toBe(403);
    // Replaying Ada's key under Bob's session does not hand out Ada's stored verdict.
    const replay = await postAnswer(server, bob.cookie, 'k-ada');
    expect(replay.status).toBe(422);
    expect(await errorCode(replay)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await server.stats()).applied.map((answer) => answer.student)).toEqual(['ada']);
    // A tutor ask id Ada used is a different ask for Bob; Ada's tutor session cannot be joined by Bob.
    const adaSocket = await TutorClient.connect(server.socketUrl('tab-ada'), { Cookie: ada.cookie });
    adaSocket.send({ t: 'hello', session: 'tab-ada', lastSeq: 0 });
    await adaSocket.waitFor((frame) => frame.t === 'welcome');
    const bobSocket = await TutorClient.connect(server.socketUrl('tab-ada'), { Cookie: bob.cookie });
    bobSocket.send({ t: 'hello', session: 'tab-ada', lastSeq: 0 });
    await bobSocket.waitFor((frame) => frame.t === 'error');
    expect(bobSocket.frames).toEqual([expect.objectContaining({ t: 'error', code: 'FORBIDDEN' })]);
    adaSocket.close();
    bobSocket.close();
  });

  it('refuses a tutor socket without a session (401) or from another site (403)', async () => {
    await expect(TutorClient.connect(server.socketUrl('s1'))).rejects.toThrow(/refused with 401/);
    const ada = await signIn(server, 'Ada');
    await expect(TutorClient.connect(server.socketUrl('s1'), { Cookie: ada.cookie, Origin: 'https://evil.example' })).rejects.toThrow(/refused with 403/);
    const ok = await TutorClient.connect(server.socketUrl('s1'), { Cookie: ada.cookie, Origin: server.url });
    ok.close();
  });

  it('expires a session after SESSION_TTL: 401 SESSION_EXPIRED, and refresh then needs the passphrase', async () => {
    const ada = await signIn(server, 'Ada');
    clock.now += 8 * HOUR_MS - 1;
    expect((await get(server, '/api/progress', { Cookie: ada.cookie })).status).toBe(200);
    clock.now += 1;
    const expired = await get(server, '/api/progress', { Cookie: ada.cookie });
    expect(expired.status).toBe(401);
    expect(await errorCode(expired)).toBe('SESSION_EXPIRED');
    const refresh = await fetch(`${server.url}/api/session/refresh`, { method: 'POST', headers: { Cookie: ada.cookie } });
    expect(refresh.status).toBe(401);
    expect(await errorCode(refresh)).toBe('SESSION_EXPIRED');
    expect((await postAnswer(server, ada.cookie, 'k-late')).status).toBe(401);
    expect((await server.stats()).appliedKeys).toEqual([]);
  });

  it('refreshes a live session: a new token that lives SESSION_TTL from now; the old token stops working', async () => {
    const ada = await signIn(server, 'Ada');
    clock.now += 6 * HOUR_MS;
    const refresh = await fetch(`${server.url}/api/session/refresh`, { method: 'POST', headers: { Cookie: ada.cookie } });
    expect(refresh.status).toBe(200);
    expect(((await refresh.json()) as SessionResponse).expiresAt).toBe('2026-03-02T22:00:00.000Z');
    const renewed = (refresh.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(renewed).not.toBe(ada.cookie);
    expect(await errorCode(await get(server, '/api/progress', { Cookie: ada.cookie }))).toBe('UNAUTHENTICATED');
    clock.now += 7 * HOUR_MS; // 13 h after sign-in, 7 h after the refresh
    const who = await get(server, '/api/session', { Cookie: renewed });
    expect(who.status).toBe(200);
    expect(((await who.json()) as SessionResponse).student).toEqual({ id: 'ada', name: 'Ada' });
  });

  it('signs out: the token is revoked and the cookie cleared', async () => {
    const ada = await signIn(server, 'Ada');
    const out = await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: { Cookie: ada.cookie } });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/^tutor_session=; .*Max-Age=0/);
    expect(await errorCode(await get(server, '/api/session', { Cookie: ada.cookie }))).toBe('UNAUTHENTICATED');
  });

  it('limits wrong passphrases per name: the 6th attempt in 15 minutes gets 429 with Retry-After, even when right', async () => {
    await signIn(server, 'Ada');
    for (let i = 0; i < 5; i++) expect((await signIn(server, 'Ada', `wrong guess ${i}`)).response.status).toBe(401);
    const limited = await signIn(server, 'Ada');
    expect(limited.response.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(limited.response.headers.get('retry-after')).toBe('900');
    expect((await signIn(server, 'Bob')).response.status).toBe(201); // other names are not held up
    clock.now += 15 * 60_000;
    expect((await signIn(server, 'Ada')).response.status).toBe(200);
  });
});

describe('sign-in failures per client address', () => {
  it('limit wrong passphrases whatever the names: 429 with Retry-After once the address used its failures', async () => {
    const { server } = await sessionServer({ signInLimits: { failuresPerAddress: 3 } });
    try {
      // A classroom behind one address: successful sign-ins never count.
      for (const name of ['Ada', 'Bob', 'Cy', 'Dee']) expect((await signIn(server, name)).response.status).toBe(201);
      for (const name of ['Ada', 'Bob', 'Cy']) expect((await signIn(server, name, 'a wrong guess')).response.status).toBe(401);
      const limited = await signIn(server, 'Dee');
      expect(limited.response.status).toBe(429);
      expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('the test switch', () => {
  it('is refused in production', async () => {
    await expect(startTestServer({ production: true, trustStudentHeader: true })).rejects.toThrow(/refused in production/);
  });
});
