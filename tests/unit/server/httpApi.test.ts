import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lesson, LessonsResponse, Progress } from '../../../src/protocol/api';
import { startTestServer, type TestServer } from '../../helpers/server';

describe('the lessons, progress and tutor HTTP API', () => {
  let server: TestServer;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'tutor-static-'));
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Tutor</title>');
    writeFileSync(join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
    server = await startTestServer({ staticDir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  const asStudent = (student: string, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { 'Content-Type': 'application/json', 'X-Student-Id': student, ...init.headers },
  });

  it('reports health', async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(await response.json()).toMatchObject({ status: 'ok', time: expect.any(String) as unknown });
  });

  it('lists at least three lessons of five exercises and serves each without answers', async () => {
    const { lessons } = (await (await fetch(`${server.url}/api/lessons`)).json()) as LessonsResponse;
    expect(lessons.map((lesson) => lesson.id)).toEqual(expect.arrayContaining(['fractions', 'percentages', 'linear-equations']));
    for (const summary of lessons) {
      const lesson = (await (await fetch(`${server.url}/api/lessons/${summary.id}`)).json()) as Lesson;
      expect(lesson.exercises.length).toBeGreaterThanOrEqual(5);
      expect(lesson.exercises.length).toBe(summary.exerciseCount);
      for (const exercise of lesson.exercises) expect(Object.keys(exercise).sort()).toEqual(['hints', 'id', 'prompt']);
    }
  });

  it('answers an unknown lesson with a JSON 404', async () => {
    const response = await fetch(`${server.url}/api/lessons/astrophysics`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'LESSON_NOT_FOUND' } });
  });

  it('answers unknown API paths and wrong methods with JSON errors', async () => {
    expect((await fetch(`${server.url}/api/nothing`)).status).toBe(404);
    const wrongMethod = await fetch(`${server.url}/api/lessons`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('keeps progress per student and merges updates so an old replay never erases progress', async () => {
    const put = (lessons: unknown) => fetch(`${server.url}/api/progress`, asStudent('bea', { method: 'PUT', body: JSON.stringify({ lessons }) }));
    expect((await put({ fractions: { completed: ['multiply', 'divide'], attempts: 4 } })).status).toBe(200);
    const merged = (await (await put({ fractions: { completed: ['multiply'], attempts: 1 } })).json()) as Progress;
    expect(merged.lessons.fractions).toEqual({ completed: ['divide', 'multiply'], attempts: 4 });
    const other = (await (await fetch(`${server.url}/api/progress`, asStudent('cy'))).json()) as Progress;
    expect(other.lessons).toEqual({});
  });

  it('validates progress updates', async () => {
    const put = (body: string) => fetch(`${server.url}/api/progress`, asStudent('bea', { method: 'PUT', body }));
    expect((await put('{"lessons": {"fractions": {"completed": "all", "attempts": 1}}}')).status).toBe(400);
    expect((await put('{"lessons": {"fractions": {"completed": ["nope"], "attempts": 1}}}')).status).toBe(422);
    expect((await put('{"lessons": {"astrophysics": {"completed": [], "attempts": 1}}}')).status).toBe(422);
    expect((await put('{"lessons": {"fractions": {"completed": [], "attempts": -1}}}')).status).toBe(400);
    expect((await fetch(`${server.url}/api/progress`)).status).toBe(401); // neither a session nor the test header
  });

  it('answers a tutor question over HTTP once per id', async () => {
    const ask = (text: string) =>
      fetch(`${server.url}/api/tutor/ask`, asStudent('bea', { method: 'POST', body: JSON.stringify({ id: 'http-ask-1', lessonId: 'percentages', text }) }));
    const first = (await (await ask('hint for exercise 3')).json()) as { replyTo: string; text: string };
    expect(first.replyTo).toBe('http-ask-1');
    expect(first.text).toMatch(/15% of 80/);
    const again = (await (await ask('something else entirely')).json()) as { text: string };
    expect(again.text).toBe(first.text);
    expect((await server.stats()).tutor.repliesComputed).toBe(1);
    const unknownLesson = await fetch(`${server.url}/api/tutor/ask`, asStudent('bea', { method: 'POST', body: JSON.stringify({ id: 'http-ask-2', lessonId: 'nope', text: 'hi' }) }));
    expect(unknownLesson.status).toBe(404);
  });

  it('sets a Content-Security-Policy and nosniff on every response', async () => {
    for (const path of ['/', '/api/lessons', '/api/nothing']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'.*connect-src 'self' ws: wss:/);
    }
  });

  it('serves the built app with a fallback to index.html for client routes, but not for missing files', async () => {
    const route = await fetch(`${server.url}/lessons/fractions`);
    expect(route.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await route.text()).toContain('<title>Tutor</title>');
    const asset = await fetch(`${server.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(`${server.url}/assets/missing-chunk.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });
});
