import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../src/app/services/fetchJson';
import { createHttpServices } from '../../../src/app/services/httpServices';

function fakeFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    calls.push({ url, init });
    return respond(url, init);
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const services = (fetch: FetchLike) =>
  createHttpServices({ studentId: 'ada', baseUrl: 'http://api.test', fetch, openSocket: () => ({ send() {}, close() {} }) });

describe('the default HTTP services', () => {
  it('submits an answer with the student id and a fresh idempotency key each time', async () => {
    const { fetch, calls } = fakeFetch(() => json({ correct: true, feedback: 'Yes', attemptId: 'a1' }));
    const { answers } = services(fetch);

    const result = await answers.submit({ lessonId: 'fractions', exerciseId: 'f1', answer: '1/2' });
    await answers.submit({ lessonId: 'fractions', exerciseId: 'f1', answer: '1/2' });

    expect(result).toEqual({ status: 'checked', correct: true, feedback: 'Yes', attemptId: 'a1' });
    const [first, second] = calls.map((call) => new Headers(call.init.headers));
    expect(calls[0]?.url).toBe('http://api.test/api/answers');
    expect(first?.get('X-Student-Id')).toBe('ada');
    expect(first?.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.get('Idempotency-Key')).not.toBe(first?.get('Idempotency-Key'));
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ lessonId: 'fractions', exerciseId: 'f1', answer: '1/2' });
  });

  it('reads the lesson list and sends progress requests as the student', async () => {
    const { fetch, calls } = fakeFetch((url) =>
      url.endsWith('/api/lessons') ? json({ lessons: [{ id: 'f', title: 'F', summary: '', exerciseCount: 1 }] }) : json({}),
    );
    const api = services(fetch);

    expect((await api.lessons.list()).value).toHaveLength(1);
    await api.progress.get();
    expect(new Headers(calls[1]?.init.headers).get('X-Student-Id')).toBe('ada');
  });

  it('turns error responses into coded errors carrying the server message', async () => {
    const { fetch } = fakeFetch(() => json({ error: { code: 'not_found', message: 'No such lesson' } }, 404));

    await expect(services(fetch).lessons.get('x')).rejects.toMatchObject({
      code: 'HTTP_4XX',
      status: 404,
      message: 'No such lesson',
    });
  });

  it('reports a server outage and an unreachable server with their own codes', async () => {
    const down = fakeFetch(() => json({ error: { code: 'unavailable', message: 'down' } }, 503));
    await expect(services(down.fetch).lessons.list()).rejects.toMatchObject({ code: 'HTTP_5XX', status: 503 });

    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(services(offline.fetch).lessons.list()).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
