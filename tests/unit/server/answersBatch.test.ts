import type { AnswerBatchItem, AnswerBatchResponse } from '../../../src/protocol/api';
import { startTestServer, type TestServer } from '../../helpers/server';
import { until } from '../../helpers/until';

const STUDENT = 'ada';
const answer = (text: string, exerciseId = 'add-quarter-half', lessonId = 'fractions') => ({ lessonId, exerciseId, answer: text });
const item = (idempotencyKey: string, text = '3/4', extra: Partial<AnswerBatchItem> = {}): AnswerBatchItem => ({ idempotencyKey, body: answer(text), ...extra });

function postBatch(server: TestServer, payload: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/answers/batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Student-Id': STUDENT, ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

async function batch(server: TestServer, items: unknown[]): Promise<AnswerBatchResponse> {
  const response = await postBatch(server, { items });
  expect(response.status).toBe(200);
  return (await response.json()) as AnswerBatchResponse;
}

function postAnswer(server: TestServer, key: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/answers`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Student-Id': STUDENT, 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
}

async function expectJsonError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  const json = (await response.json()) as { error: { code: string; message: string } };
  expect(json.error.code).toBe(code);
  expect(json.error.message).toMatch(/\S/);
}


describe('POST /api/answers/batch', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('applies every item once, in item order, with what POST /api/answers would answer', async () => {
    const { results } = await batch(server, [item('k1', '3/4'), item('k2', '2/6'), item('k3', '0.75', { body: answer('3/10', 'multiply') })]);
    expect(results.map((result) => [result.idempotencyKey, result.status, result.replayed])).toEqual([
      ['k1', 200, false],
      ['k2', 200, false],
      ['k3', 200, false],
    ]);
    expect(results.map((result) => (result.body as { correct: boolean }).correct)).toEqual([true, false, true]);
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(['k1', 'k2', 'k3']);
    expect(stats.answers).toMatchObject({ received: 3, applied: 3, replayed: 0 });
    const progress = await (await fetch(`${server.url}/api/progress`, { headers: { 'X-Student-Id': STUDENT } })).json();
    expect(progress).toMatchObject({ lessons: { fractions: { completed: ['add-quarter-half', 'multiply'], attempts: 3 } } });
  });

  it('replays a key applied by a single request, and a single request replays a key applied in a batch', async () => {
    const single = await postAnswer(server, 'k-single', answer('3/4'));
    const singleBody: unknown = await single.json();
    const { results } = await batch(server, [item('k-single'), item('k-batch', '1/2')]);
    expect(results[0]).toEqual({ idempotencyKey: 'k-single', status: 200, body: singleBody, replayed: true });
    expect(results[1]).toMatchObject({ idempotencyKey: 'k-batch', status: 200, replayed: false });

    const again = await postAnswer(server, 'k-batch', answer('1/2'));
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual(results[1]?.body);
    const { results: thirdTime } = await batch(server, [item('k-batch', '1/2'), item('k-single')]);
    expect(thirdTime.map((result) => result.replayed)).toEqual([true, true]);
    expect((await server.stats()).appliedKeys).toEqual(['k-single', 'k-batch']);
  });

  it('answers each bad item with its own 400 / 404 / 422 and applies the others', async () => {
    await postAnswer(server, 'k-used', answer('3/4'));
    const { results } = await batch(server, [
      item('k-reused', '3/4'),
      item('k-used', '1/2'),
      { idempotencyKey: 'k-lesson', body: answer('1', 'a', 'astrophysics') },
      { idempotencyKey: 'k-exercise', body: answer('1', 'no-such-exercise') },
      { idempotencyKey: 'k-shape', body: [1, 2] },
      item('k-empty', '  '),
      item('k-fine', '1/2'),
    ]);
    expect(results.map((result) => [result.status, 'error' in result.body ? result.body.error.code : 'ok'])).toEqual([
      [200, 'ok'],
      [422, 'IDEMPOTENCY_KEY_REUSED'],
      [404, 'LESSON_NOT_FOUND'],
      [422, 'UNKNOWN_EXERCISE'],
      [400, 'INVALID_BODY'],
      [422, 'EMPTY_ANSWER'],
      [200, 'ok'],
    ]);
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(['k-used', 'k-reused', 'k-fine']);
    // Validation failures are not stored against the key: a corrected item with the same key is applied.
    const { results: fixed } = await batch(server, [item('k-empty', '3/4')]);
    expect(fixed[0]).toMatchObject({ status: 200, replayed: false });
  });

  it('answers 409 for a key still in flight and holds the later items of that scope only (424)', async () => {
    await server.chaos({ http: { latencyMs: 300 } });
    const slow = postAnswer(server, 'k-slow', answer('3/4'));
    await until(() => server.stats(), (stats) => stats.answers.inFlight === 1);
    await server.chaos({ http: { latencyMs: 0 } });
    const { results } = await batch(server, [
      item('k-slow', '3/4', { scope: 'A' }),
      item('k-after', '1/2', { scope: 'A' }),
      item('k-other', '1/2', { scope: 'B' }),
      item('k-unscoped', '1/2'),
    ]);
    expect(results.map((result) => [result.idempotencyKey, result.status, 'error' in result.body ? result.body.error.code : 'ok'])).toEqual([
      ['k-slow', 409, 'IDEMPOTENCY_KEY_IN_FLIGHT'],
      ['k-after', 424, 'PRECEDING_ITEM_PENDING'],
      ['k-other', 200, 'ok'],
      ['k-unscoped', 200, 'ok'],
    ]);
    expect(results[0]?.retryAfterSeconds).toBe(1);
    expect((await slow).status).toBe(200);
    // The held item was not reserved: sent again once its predecessor is done, it is applied after it.
    const { results: retried } = await batch(server, [item('k-slow', '3/4', { scope: 'A' }), item('k-after', '1/2', { scope: 'A' })]);
    expect(retried.map((result) => [result.status, result.replayed])).toEqual([[200, true], [200, false]]);
    const stats = await server.stats();
    expect(stats.appliedKeys).toEqual(['k-other', 'k-unscoped', 'k-slow', 'k-after']);
    expect(stats.answers.inFlight).toBe(0);
  });

  it('still knows the keys of a batch after a restart', async () => {
    const { results } = await batch(server, [item('k1'), item('k2', '1/2')]);
    await server.restart();
    const { results: again } = await batch(server, [item('k1'), item('k2', '1/2')]);
    expect(again.map((result) => result.replayed)).toEqual([true, true]);
    expect(again.map((result) => result.body)).toEqual(results.map((result) => result.body));
    expect((await server.stats()).appliedKeys).toEqual(['k1', 'k2']);
  });

  it('refuses a bad envelope as a whole with a JSON error, applying nothing', async () => {
    await expectJsonError(await postBatch(server, { items: [item('k')] }, { 'X-Student-Id': '' }), 400, 'MISSING_STUDENT');
    await expectJsonError(await postBatch(server, '{"items": [', {}), 400, 'INVALID_JSON');
    await expectJsonError(await postBatch(server, { items: [item('k')] }, { 'Content-Type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectJsonError(await postBatch(server, { item: [] }), 400, 'INVALID_BATCH');
    await expectJsonError(await postBatch(server, { items: [] }), 400, 'INVALID_BATCH');
    await expectJsonError(await postBatch(server, { items: [item('k'), 'nope'] }), 400, 'INVALID_BATCH');
    await expectJsonError(await postBatch(server, { items: [item('k'), { body: answer('1') }] }), 400, 'INVALID_BATCH');
    await expectJsonError(await postBatch(server, { items: [item('k'), item('k')] }), 400, 'DUPLICATE_IDEMPOTENCY_KEY');
    await expectJsonError(await postBatch(server, { items: Array.from({ length: 51 }, (_, i) => item(`k${i}`)) }), 400, 'BATCH_TOO_LARGE');
    const huge = Array.from({ length: 50 }, (_, i) => item(`k${i}`, '3/4', { body: { ...answer('3/4'), pad: 'x'.repeat(6 * 1024) } as never }));
    await expectJsonError(await postBatch(server, { items: huge }), 413, 'PAYLOAD_TOO_LARGE');
    const get = await fetch(`${server.url}/api/answers/batch`);
    await expectJsonError(get, 405, 'METHOD_NOT_ALLOWED');
    expect((await server.stats()).appliedKeys).toEqual([]);
  });

  it('accepts a batch larger than the 16 KiB limit of single requests', async () => {
    const items = Array.from({ length: 50 }, (_, i) => ({ idempotencyKey: `k${i}`, body: { ...answer('3/4'), note: 'x'.repeat(1024) } }));
    const { results } = await batch(server, items);
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect((await server.stats()).appliedKeys).toHaveLength(50);
  });

  it('suffers chaos faults as a whole request', async () => {
    await server.chaos({ http: { failRate: 1, status: 503 } });
    await expectJsonError(await postBatch(server, { items: [item('k1'), item('k2')] }), 503, 'CHAOS_INJECTED');
    await server.chaos({ http: { failRate: 0 } });
    expect((await server.stats()).appliedKeys).toEqual([]);
    await batch(server, [item('k1'), item('k2')]);
    expect((await server.stats()).appliedKeys).toEqual(['k1', 'k2']);
  });
});
