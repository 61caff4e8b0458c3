import { createSocketTutorService } from '../../../src/app/services/tutorSocketService';
import { describeError } from '../../../src/app/errors/describeError';
import { tutorFrameCodec } from '../../../src/app/services/tutorFrameCodec';
import { socketHarness } from '../resilience/helpers/socketHarness';

function setup() {
  const harness = socketHarness({ codec: tutorFrameCodec }); // as the app configures its socket
  let n = 0;
  const tutor = createSocketTutorService(harness.socket, () => `q-${++n}`);
  return { ...harness, tutor };
}

describe('the app tutor over the runtime socket manager', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('streams a reply token by token and resolves it as live, keyed by the id it was asked with', async () => {
    const { tutor, welcome, socket } = setup();
    const ws = welcome();
    const tokens: string[] = [];
    const reply = tutor.ask('fractions', 'What is a half?', (token) => tokens.push(token));
    expect(ws.framesOfType('ask')).toEqual([{ t: 'ask', id: 'q-1', lessonId: 'fractions', text: 'What is a half?' }]);
    ws.push({ t: 'token', seq: 1, replyTo: 'q-1', text: 'One of ' });
    ws.push({ t: 'token', seq: 2, replyTo: 'q-1', text: 'two parts.' });
    ws.push({ t: 'done', seq: 3, replyTo: 'q-1' });
    await expect(reply).resolves.toEqual({ replyTo: 'q-1', text: 'One of two parts.', source: 'live' });
    expect(tokens).toEqual(['One of ', 'two parts.']);
    socket.close();
  });

  it('an ask made while the socket is down waits, and a reply cut mid-stream completes once after the reconnect', async () => {
    const { tutor, welcome, fake, socket } = setup();
    const tokens: string[] = [];
    const reply = tutor.ask('fractions', 'Hint?', (token) => tokens.push(token)); // not welcomed yet: buffered
    const first = welcome();
    expect(first.framesOfType('ask').map((a) => a.id)).toEqual(['q-1']);
    first.push({ t: 'token', seq: 1, replyTo: 'q-1', text: 'Split ' });
    first.drop();
    await vi.advanceTimersByTimeAsync(1_200); // the reconnect window
    const second = fake.last();
    expect(second).not.toBe(first);
    second.accept();
    expect(second.framesOfType('hello')).toEqual([{ t: 'hello', session: 's1', lastSeq: 1 }]);
    second.push({ t: 'welcome', session: 's1', seq: 1 });
    expect(second.framesOfType('ask').map((a) => a.id)).toEqual(['q-1']); // same idempotency key
    second.push({ t: 'token', seq: 1, replyTo: 'q-1', text: 'Split ' }); // a re-sent frame: ignored
    second.push({ t: 'token', seq: 2, replyTo: 'q-1', text: 'it in two.' });
    second.push({ t: 'done', seq: 3, replyTo: 'q-1' });
    await expect(reply).resolves.toMatchObject({ text: 'Split it in two.' });
    expect(tokens.join('')).toBe('Split it in two.');
    socket.close();
  });

  it('a refused ask rejects with a code the chat puts into words', async () => {
    const { tutor, welcome, socket } = setup();
    const ws = welcome();
    const reply = tutor.ask('astrophysics', 'Why?', () => undefined);
    ws.push({ t: 'error', seq: 1, replyTo: 'q-1', code: 'UNKNOWN_LESSON', message: 'No such lesson.' });
    const error: unknown = await reply.catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'HTTP_4XX' });
    expect(describeError(error)).toMatch(/^That wasn't accepted/);
    socket.close();
  });

  it('close() closes the socket and rejects an unfinished reply', async () => {
    const { tutor, welcome } = setup();
    const ws = welcome();
    const reply = tutor.ask('fractions', 'Hint?', () => undefined);
    tutor.close();
    await expect(reply).rejects.toMatchObject({ code: 'ABORTED' });
    expect(ws.closedWith).not.toBeNull();
  });
});
