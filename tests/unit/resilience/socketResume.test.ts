import { quiet, socketHarness } from './helpers/socketHarness';

const tok = (seq: number, replyTo: string, text: string) => ({ t: 'token', seq, replyTo, text }) as const;
const done = (seq: number, replyTo: string) => ({ t: 'done', seq, replyTo }) as const;

/** Runs one ask and records every token the caller saw. */
function track(promise: Promise<{ text: string }>, tokens: string[]) {
  const outcome: { text?: string; error?: unknown } = {};
  promise.then((reply) => (outcome.text = reply.text), (error: unknown) => (outcome.error = error));
  return { outcome, tokens };
}

describe('tutor socket: resume without repeated or missing tokens', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('says hello with lastSeq 0, then sends asks buffered before welcome in the order they were made', async () => {
    const { socket, fake, welcome } = socketHarness();
    quiet(socket.ask({ topic: 'fractions', text: 'first' }, () => undefined));
    quiet(socket.ask({ topic: 'fractions', text: 'second' }, () => undefined));
    const ws = welcome();
    expect(ws.sent[0]).toEqual({ t: 'hello', session: 's1', lastSeq: 0 });
    expect(ws.framesOfType('ask').map((a) => a.text)).toEqual(['first', 'second']);
    expect(socket.snapshot().state).toBe('open');
    expect(fake.sockets).toHaveLength(1);
    socket.close();
  });

  it('completes a reply interrupted mid-stream from lastSeq, ignoring frames it already processed', async () => {
    const { socket, fake, welcome } = socketHarness();
    const tokens: string[] = [];
    const run = track(socket.ask({ topic: 'fractions', text: 'why?' }, (t) => tokens.push(t)), tokens);
    const first = welcome();
    first.push(tok(1, 'ask-1', 'Halves '));
    first.push(tok(2, 'ask-1', 'are '));
    first.drop();
    expect(socket.snapshot().state).toBe('closed');

    await vi.advanceTimersByTimeAsync(1_200); // the jittered delay (≤ 1.2 s) passes
    expect(fake.sockets).toHaveLength(2);
    const second = welcome(3);
    expect(second.sent[0]).toEqual({ t: 'hello', session: 's1', lastSeq: 2 });
    expect(second.framesOfType('ask')).toEqual([{ t: 'ask', id: 'ask-1', topic: 'fractions', text: 'why?' }]);
    second.push(tok(2, 'ask-1', 'are ')); // re-sent by the server: already processed
    second.push(tok(3, 'ask-1', 'equal.'));
    second.push(done(4, 'ask-1'));
    await vi.advanceTimersByTimeAsync(0);

    expect(tokens).toEqual(['Halves ', 'are ', 'equal.']);
    expect(run.outcome.text).toBe('Halves are equal.');
    expect(socket.stats().duplicatesIgnored).toBe(1);
    socket.close();
  });

  it('after a server restart, a reply streamed again from its start delivers only the missing part', async () => {
    const { socket, welcome, fake } = socketHarness();
    const tokens: string[] = [];
    const run = track(socket.ask({ topic: 'fractions', text: 'why?' }, (t) => tokens.push(t)), tokens);
    const first = welcome();
    first.push(tok(1, 'ask-1', 'Halves '));
    first.push(tok(2, 'ask-1', 'are '));
    first.drop();
    await vi.advanceTimersByTimeAsync(1_200);
    // A restarted server forgot the session: it continues from our lastSeq and re-streams the stored reply.
    const second = welcome(2);
    expect(fake.sockets).toHaveLength(2);
    expect(second.framesOfType('ask').map((a) => a.id)).toEqual(['ask-1']);
    for (const [i, text] of ['Halves ', 'are ', 'equal.'].entries()) second.push(tok(3 + i, 'ask-1', text));
    second.push(done(6, 'ask-1'));
    await vi.advanceTimersByTimeAsync(0);

    expect(tokens).toEqual(['Halves ', 'are ', 'equal.']);
    expect(run.outcome.text).toBe('Halves are equal.');
    socket.close();
  });

  it('on RESUME_GAP re-asks by the same id and drops what the caller already has', async () => {
    const { socket, welcome } = socketHarness();
    const tokens: string[] = [];
    const run = track(socket.ask({ id: 'key-7', topic: 'fractions', text: 'why?' }, (t) => tokens.push(t)), tokens);
    const first = welcome();
    first.push(tok(1, 'key-7', 'One '));
    first.push(tok(2, 'key-7', 'two '));
    first.drop();
    await vi.advanceTimersByTimeAsync(1_200);
    const second = welcome(1_500);
    second.push({ t: 'error', code: 'RESUME_GAP', message: 'Frames 3 to 499 are no longer kept' });
    expect(second.framesOfType('ask').map((a) => a.id)).toEqual(['key-7']);
    for (const [i, text] of ['One ', 'two ', 'three.'].entries()) second.push(tok(1_501 + i, 'key-7', text));
    second.push(done(1_504, 'key-7'));
    await vi.advanceTimersByTimeAsync(0);

    expect(tokens).toEqual(['One ', 'two ', 'three.']);
    expect(run.outcome.text).toBe('One two three.');
    socket.close();
  });

  it('a continuation that does not match the reply start is delivered, not swallowed', async () => {
    const { socket, welcome } = socketHarness();
    const tokens: string[] = [];
    const run = track(socket.ask({ topic: 'fractions', text: 'why?' }, (t) => tokens.push(t)), tokens);
    const first = welcome();
    first.push(tok(1, 'ask-1', 'Halves '));
    first.drop();
    await vi.advanceTimersByTimeAsync(1_200);
    const second = welcome(1); // looks like a restart, but the session was kept and simply had no new frame yet
    second.push(tok(2, 'ask-1', 'are '));
    second.push(done(3, 'ask-1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(tokens).toEqual(['Halves ', 'are ']);
    expect(run.outcome.text).toBe('Halves are ');
    socket.close();
  });

  it('re-sends asks that got no answer when the socket went away, with the same id', async () => {
    const { socket, welcome } = socketHarness();
    quiet(socket.ask({ id: 'lost-in-silence', topic: 'fractions', text: 'hello?' }, () => undefined));
    const first = welcome();
    expect(first.framesOfType('ask').map((a) => a.id)).toEqual(['lost-in-silence']);
    first.drop();
    await vi.advanceTimersByTimeAsync(1_200);
    const second = welcome(0);
    expect(second.framesOfType('ask').map((a) => a.id)).toEqual(['lost-in-silence']);
    socket.close();
  });

  it('rejects an ask the server refuses (unknown lesson) without retrying it', async () => {
    const { socket, welcome } = socketHarness();
    const reply = socket.ask({ topic: 'nope', text: 'hi' }, () => undefined);
    const ws = welcome();
    ws.push({ t: 'error', seq: 1, replyTo: 'ask-1', code: 'UNKNOWN_LESSON', message: 'No lesson nope' });
    await expect(reply).rejects.toMatchObject({ code: 'HTTP_4XX', retryable: false });
    socket.close();
  });
});
