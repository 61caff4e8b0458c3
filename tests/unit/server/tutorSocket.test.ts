import WebSocket from 'ws';
import type { ServerFrame } from '../../../src/protocol/socket';
import { MAX_FRAME_BYTES } from '../../../src/protocol/socket';
import { TEST_STUDENT } from '../../../server/createServer';
import { startTestServer, type TestServer } from '../../helpers/server';
import { replyText, TutorClient } from './tutorClient';

type Sequenced = Extract<ServerFrame, { seq: number }>;
const seqs = (frames: readonly Sequenced[]) => frames.map((frame) => frame.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const LONG_QUESTION = 'How do I work out 2/3 + 1/6? Please explain step by step.';

async function storedReply(server: TestServer, id: string, lessonId = 'fractions'): Promise<string> {
  const response = await fetch(`${server.url}/api/tutor/ask`, {
    method: 'POST',
    // The socket clients here carry no session, so the test server treats them as TEST_STUDENT.
    headers: { 'Content-Type': 'application/json', 'X-Student-Id': TEST_STUDENT },
    body: JSON.stringify({ id, lessonId, text: 'ignored: the id decides' }),
  });
  return ((await response.json()) as { text: string }).text;
}

describe('the tutor socket', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ tokenDelayMs: 3 });
  });
  afterEach(async () => {
    await server.close();
  });

  it('welcomes a new session at seq 0 and streams a reply as token frames then done', async () => {
    const client = await TutorClient.open(server.socketUrl('s-stream'), 's-stream');
    expect(client.frames[0]).toEqual({ t: 'welcome', session: 's-stream', seq: 0 });
    client.send({ t: 'ask', id: 'q1', lessonId: 'fractions', text: 'hint for exercise 2' });
    await client.waitFor((frame) => frame.t === 'done' && frame.replyTo === 'q1');
    const frames = client.replyFrames('q1');
    expect(frames.filter((frame) => frame.t === 'token').length).toBeGreaterThanOrEqual(20);
    expect(seqs(frames)).toEqual(range(1, frames.length));
    expect(frames.at(-1)?.t).toBe('done');
    expect(replyText(frames)).toBe(await storedReply(server, 'q1'));
    client.close();
  });

  it('re-sends exactly the frames a reconnecting client missed: no gaps, no repeats', async () => {
    const first = await TutorClient.open(server.socketUrl('s-resume'), 's-resume');
    first.send({ t: 'ask', id: 'q-resume', lessonId: 'fractions', text: LONG_QUESTION });
    await first.waitFor((frame) => frame.t === 'token' && frame.seq === 3);
    first.terminate();
    const before = first.replyFrames('q-resume');
    const lastSeq = Math.max(...seqs(before));

    // The stream goes on into the session while nobody listens.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = await TutorClient.open(server.socketUrl('s-resume'), 's-resume', lastSeq);
    await second.waitFor((frame) => frame.t === 'done' && frame.replyTo === 'q-resume');
    const welcome = second.frames[0];
    expect(welcome?.t === 'welcome' && welcome.seq).toBeGreaterThan(lastSeq);
    const after = second.replyFrames('q-resume');
    expect(after[0]?.seq).toBe(lastSeq + 1);
    const all = [...before, ...after];
    expect(seqs(all)).toEqual(range(1, all.length));
    expect(all.filter((frame) => frame.t === 'done')).toHaveLength(1);
    expect(replyText(all)).toBe(await storedReply(server, 'q-resume'));
    second.close();
  });

  it('does not answer an ask with a repeated id twice', async () => {
    const client = await TutorClient.open(server.socketUrl('s-dup'), 's-dup');
    const ask = { t: 'ask', id: 'q-dup', lessonId: 'percentages', text: 'hint for exercise 4' };
    client.send(ask);
    client.send(ask);
    const done = await client.waitFor((frame) => frame.t === 'done' && frame.replyTo === 'q-dup');
    client.send(ask);
    client.send({ t: 'ping', ts: 42 });
    await client.waitFor((frame) => frame.t === 'pong' && frame.ts === 42);

    const frames = client.replyFrames('q-dup');
    const distinct = new Set(seqs(frames));
    expect(seqs(frames).slice(0, distinct.size)).toEqual(range(1, distinct.size));
    expect(Math.max(...distinct)).toBe(done.t === 'done' ? done.seq : -1);
    const stats = await server.stats();
    expect(stats.tutor.repliesComputed).toBe(1);
    expect(stats.socket.asksAnswered).toBe(1);
    expect(stats.socket.asksDeduplicated).toBe(2);

    // The seq stream got nothing new from the repeats.
    const observer = await TutorClient.open(server.socketUrl('s-dup'), 's-dup', distinct.size);
    expect(observer.frames[0]).toEqual({ t: 'welcome', session: 's-dup', seq: distinct.size });
    observer.close();
    client.close();
  });

  it('re-streams a stored reply for a known ask id in another session or after a restart, without asking the tutor again', async () => {
    const first = await TutorClient.open(server.socketUrl('s-a'), 's-a');
    first.send({ t: 'ask', id: 'q-known', lessonId: 'linear-equations', text: 'how do I do question 3?' });
    await first.waitFor((frame) => frame.t === 'done');
    const text = replyText(first.replyFrames('q-known'));
    first.close();

    await server.restart();
    const second = await TutorClient.open(server.socketUrl('s-b'), 's-b');
    second.send({ t: 'ask', id: 'q-known', lessonId: 'linear-equations', text: 'a different question' });
    await second.waitFor((frame) => frame.t === 'done');
    expect(replyText(second.replyFrames('q-known'))).toBe(text);
    expect((await server.stats()).tutor.repliesComputed).toBe(0);
    second.close();
  });

  it('continues after the seq a client knows when the server has forgotten the session', async () => {
    const client = await TutorClient.open(server.socketUrl('s-old'), 's-old', 57);
    expect(client.frames[0]).toEqual({ t: 'welcome', session: 's-old', seq: 57 });
    client.send({ t: 'ask', id: 'q-old', lessonId: 'fractions', text: 'hi' });
    const token = await client.waitFor((frame) => frame.t === 'token');
    expect(token.t === 'token' && token.seq).toBe(58);
    client.close();
  });

  it('drops and counts malformed and oversized frames without disturbing another client', async () => {
    const streaming = await TutorClient.open(server.socketUrl('s-good'), 's-good');
    streaming.send({ t: 'ask', id: 'q-good', lessonId: 'fractions', text: LONG_QUESTION });

    const noisy = await TutorClient.open(server.socketUrl('s-noisy'), 's-noisy');
    const junk: unknown[] = [
      'not json',
      '{"t":"nope"}',
      '{"t":"ask","id":5,"lessonId":"fractions","text":"x"}',
      '{"t":"hello","session":"another-session","lastSeq":0}',
      Buffer.from([1, 2, 3]),
      JSON.stringify({ t: 'ask', id: 'big', lessonId: 'fractions', text: 'x'.repeat(MAX_FRAME_BYTES) }),
    ];
    for (const frame of junk) noisy.send(frame);
    noisy.send({ t: 'ping', ts: 7 });
    await noisy.waitFor((frame) => frame.t === 'pong' && frame.ts === 7);
    expect(noisy.frames.filter((frame) => frame.t === 'error' && frame.code === 'BAD_FRAME')).toHaveLength(junk.length);

    // Far past the limit: ws cuts this one client off (1009), nobody else.
    const huge = await TutorClient.open(server.socketUrl('s-huge'), 's-huge');
    huge.send('x'.repeat(MAX_FRAME_BYTES * 8));
    expect(await huge.waitForClose()).toBe(1009);

    await streaming.waitFor((frame) => frame.t === 'done' && frame.replyTo === 'q-good');
    const frames = streaming.replyFrames('q-good');
    expect(seqs(frames)).toEqual(range(1, frames.length));
    expect(replyText(frames)).toBe(await storedReply(server, 'q-good'));
    expect(streaming.frames.some((frame) => frame.t === 'error')).toBe(false);

    const stats = await server.stats();
    expect(stats.socket.framesDropped).toBe(junk.length + 1);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    streaming.close();
    noisy.close();
  });

  it('refuses asks before hello and asks for unknown lessons with error frames', async () => {
    const client = await TutorClient.connect(server.socketUrl('s-err'));
    client.send({ t: 'ask', id: 'early', lessonId: 'fractions', text: 'hi' });
    await client.waitFor((frame) => frame.t === 'error' && frame.code === 'BAD_FRAME');
    client.send({ t: 'hello', session: 's-err', lastSeq: 0 });
    client.send({ t: 'ask', id: 'q-unknown', lessonId: 'astrophysics', text: 'hi' });
    const error = await client.waitFor((frame) => frame.t === 'error' && frame.replyTo === 'q-unknown');
    expect(error).toMatchObject({ code: 'UNKNOWN_LESSON', seq: 1 });
    client.close();
  });

  it('rejects upgrades on other paths and with an invalid session id', async () => {
    const statusOf = (url: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('open', () => reject(new Error('unexpectedly connected')));
        socket.once('error', () => undefined);
      });
    const base = server.url.replace(/^http/, 'ws');
    expect(await statusOf(`${base}/ws/other`)).toBe(404);
    expect(await statusOf(`${base}/ws/tutor?session=${'x'.repeat(200)}`)).toBe(400);
  });
});

describe('server pings', () => {
  it('pings every PING_INTERVAL_MS', async () => {
    const server = await startTestServer({ pingIntervalMs: 20 });
    try {
      const client = await TutorClient.open(server.socketUrl('s-ping'), 's-ping');
      await client.waitFor((frame) => frame.t === 'ping');
      client.close();
    } finally {
      await server.close();
    }
  });
});
