import { startTestServer, type TestServer } from '../../helpers/server';
import { until } from '../../helpers/until';

const STUDENT = 'ada';
const body = (answer: string, exerciseId = 'add-quarter-half', lessonId = 'fractions') => JSON.stringify({ lessonId, exerciseId, answer });

function postAnswer(server: TestServer, payload: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/answers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Student-Id': STUDENT, ...headers },
    body: payload,
  });
}

async function expectJsonError(response: Response, status: number, code?: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const json = (await response.json()) as { error: { code: string; message: string } };
  expect(typeof json.error.message).toBe('string');
  if (code) expect(json.error.code).toBe(code);
}


describe('POST /api/answers and the Idempotency-Key contract', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('refuses an answer without Idempotency-Key with a JSON 400', async () => {
    await expectJsonError(await postAnswer(server, body('3/4')), 400, 'MISSING_IDEMPOTENCY_KEY');
    expect((await server.stats()).appliedKeys).toEqual([]);
  });

  it('refuses an answer without a session (test switch: without a valid student id)', async () => {
    const noStudent = await fetch(`${server.url}/api/answers`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k' },
      body: body('3/4'),
    });
    await expectJsonError(noStudent, 401, 'UNAUTHENTICATED');
    await expectJsonError(await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k', 'X-Student-Id': 'Ada Lovelace' }), 400, 'INVALID_STUDENT');
  });

  it('checks the answer, records the attempt and marks a correct exercise completed', async () => {
    const response = await postAnswer(server, body('0.75'), { 'Idempotency-Key': 'k-correct' });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { correct: boolean; feedback: string; attemptId: string };
    expect(result).toMatchObject({ correct: true, feedback: expect.stringMatching(/^Correct!/) as unknown });
    expect(result.attemptId).toMatch(/\S/);
    await postAnswer(server, body('2/6'), { 'Idempotency-Key': 'k-wrong' });
    const progress = await (await fetch(`${server.url}/api/progress`, { headers: { 'X-Student-Id': STUDENT } })).json();
    expect(progress).toMatchObject({ student: STUDENT, lessons: { fractions: { completed: ['add-quarter-half'], attempts: 2 } } });
  });

  it('answers a repeated key and body with the stored response, marked replayed, and applies it once', async () => {
    const first = await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-replay' });
    const second = await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-replay' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(['k-replay']);
    expect(stats.answers).toMatchObject({ received: 2, applied: 1, replayed: 1 });
  });

  it('refuses the same key with a different body with 422', async () => {
    await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-reuse' });
    await expectJsonError(await postAnswer(server, body('1/2'), { 'Idempotency-Key': 'k-reuse' }), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect((await server.stats()).applied).toHaveLength(1);
  });

  it('refuses the same key with 409 while the first request is still in flight', async () => {
    await server.chaos({ http: { latencyMs: 300 } });
    const first = postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-slow' });
    await until(() => server.stats(), (stats) => stats.answers.inFlight === 1);
    await expectJsonError(await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-slow' }), 409, 'IDEMPOTENCY_KEY_IN_FLIGHT');
    expect((await first).status).toBe(200);
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(['k-slow']);
    expect(stats.answers).toMatchObject({ conflicts: 1, applied: 1, inFlight: 0 });
  });

  it('still knows a key after a restart: the retry is replayed, not applied again', async () => {
    const first = await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-restart' });
    const firstBody: unknown = await first.json();
    await server.restart();
    const retry = await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-restart' });
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await retry.json()).toEqual(firstBody);
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(['k-restart']);
    expect(stats.answers.applied).toBe(0);
  });

  it('processes a retry afresh when the server stopped while the first request was in flight', async () => {
    await server.chaos({ http: { latencyMs: 5000 } });
    const first = postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-crash' }).catch((error: unknown) => error);
    await until(() => server.stats(), (stats) => stats.answers.inFlight === 1);
    await server.restart();
    expect(await first).toBeInstanceOf(Error);
    const retry = await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k-crash' });
    expect(retry.status).toBe(200);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect((await server.stats()).appliedKeys).toEqual(['k-crash']);
  });

  it('answers malformed JSON with 400, a non-JSON body with 415 and an oversized body with 413', async () => {
    await expectJsonError(await postAnswer(server, '{"lessonId": "fractions",', { 'Idempotency-Key': 'k1' }), 400, 'INVALID_JSON');
    await expectJsonError(await postAnswer(server, body('3/4'), { 'Idempotency-Key': 'k2', 'Content-Type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectJsonError(await postAnswer(server, body('x'.repeat(20 * 1024)), { 'Idempotency-Key': 'k3' }), 413, 'PAYLOAD_TOO_LARGE');
    await expectJsonError(await postAnswer(server, '[1, 2]', { 'Idempotency-Key': 'k4' }), 400, 'INVALID_BODY');
    await expectJsonError(await postAnswer(server, JSON.stringify({ lessonId: 'fractions', exerciseId: 'multiply', answer: 3 }), { 'Idempotency-Key': 'k5' }), 400, 'INVALID_BODY');
    await expectJsonError(await postAnswer(server, body('   '), { 'Idempotency-Key': 'k6' }), 422, 'EMPTY_ANSWER');
    expect((await server.stats()).appliedKeys).toEqual([]);
  });

  it('answers an unknown lesson with 404 and an unknown exercise with 422', async () => {
    await expectJsonError(await postAnswer(server, body('1', 'a', 'astrophysics'), { 'Idempotency-Key': 'k1' }), 404, 'LESSON_NOT_FOUND');
    await expectJsonError(await postAnswer(server, body('1', 'no-such-exercise'), { 'Idempotency-Key': 'k2' }), 422, 'UNKNOWN_EXERCISE');
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual([]);
    expect(stats.answers.rejected).toBe(2);
  });
});
