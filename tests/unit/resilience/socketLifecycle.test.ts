import { reconnectBackoff, DEFAULT_RECONNECT_BACKOFF } from '../../../src/resilience';
import { reconnectDelayRange } from '../../../src/resilience/transport/socket/reconnectBackoff';
import { quiet, socketHarness } from './helpers/socketHarness';

/** A small deterministic PRNG (mulberry32), so spreads are reproducible and not tuned to one value. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('tutor socket: heartbeat, reconnect, buffer, disposal', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2030-01-01T00:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('pings every interval, declares a silent socket stale within 2 × the interval, closes it with 4000 and reconnects', async () => {
    const { socket, fake, welcome, states } = socketHarness({ pingIntervalMs: 1_000 });
    const first = welcome();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first.framesOfType('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(socket.snapshot().state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(states()).toEqual(['connecting', 'open', 'stale', 'closed']);
    expect(first.closedWith).toBe(4000);
    expect(socket.stats().staleDetections).toBe(1);

    await vi.advanceTimersByTimeAsync(DEFAULT_RECONNECT_BACKOFF.fastIntervalMs);
    expect(fake.sockets).toHaveLength(2);
    welcome();
    expect(socket.snapshot()).toMatchObject({ state: 'open', reconnects: 1 });
    socket.close();
  });

  it('any frame keeps the socket fresh: answered pings are not stale', async () => {
    const { socket, welcome } = socketHarness({ pingIntervalMs: 1_000 });
    const ws = welcome();
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(1_000);
      ws.push({ t: 'pong', ts: 0 });
    }
    expect(socket.snapshot().state).toBe('open');
    ws.push({ t: 'ping', ts: 42 });
    expect(ws.framesOfType('pong')).toEqual([{ t: 'pong', ts: 42 }]);
    socket.close();
  });

  it('a connection that never opens (black-holed) is stale too', async () => {
    const { socket, fake } = socketHarness({ pingIntervalMs: 1_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fake.sockets[0]?.closedWith).toBe(4000);
    expect(socket.snapshot().state).toBe('closed');
    socket.close();
  });

  it('waits the jittered delay before reconnecting, and resets the backoff after a healthy open', async () => {
    const { socket, fake, welcome, seen } = socketHarness({ random: () => 0.3 });
    welcome().drop();
    const scheduled = () => seen.filter((e) => e.type === 'socket.reconnectScheduled') as { attempt: number; delayMs: number }[];
    expect(scheduled()[0]).toMatchObject({ attempt: 1, delayMs: Math.round(50 + 1_550 * 0.3) });
    await vi.advanceTimersByTimeAsync(514);
    expect(fake.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.sockets).toHaveLength(2);
    fake.last().drop(); // refused: still the same outage
    expect(scheduled()[1]).toMatchObject({ attempt: 2 });
    await vi.advanceTimersByTimeAsync(1_760);
    welcome().drop();
    expect(scheduled()[2]).toMatchObject({ attempt: 1 });
    socket.close();
  });

  it('an online event skips the pending delay', async () => {
    const listeners = new Set<() => void>();
    const onlineSource = { addEventListener: (_: 'online', l: () => void) => listeners.add(l), removeEventListener: (_: 'online', l: () => void) => listeners.delete(l) };
    const { socket, fake, welcome } = socketHarness({ onlineSource });
    welcome().drop();
    for (const listener of listeners) listener();
    expect(fake.sockets).toHaveLength(2);
    socket.close();
    expect(listeners.size).toBe(0);
  });

  it('buffers asks while disconnected up to the limit; the next one is rejected as buffer full', async () => {
    const { socket, welcome } = socketHarness({ maxBufferedAsks: 2 });
    quiet(socket.ask({ topic: 'l', text: 'one' }, () => undefined));
    quiet(socket.ask({ topic: 'l', text: 'two' }, () => undefined));
    await expect(socket.ask({ topic: 'l', text: 'three' }, () => undefined)).rejects.toMatchObject({
      code: 'SOCKET_CLOSED',
      retryable: false,
      message: expect.stringMatching(/buffer full/),
    });
    const ws = welcome();
    expect(ws.framesOfType('ask').map((a) => a.text)).toEqual(['one', 'two']);
    quiet(socket.ask({ topic: 'l', text: 'four' }, () => undefined)); // connected: not buffered
    expect(socket.stats()).toMatchObject({ bufferedAsks: 0, pendingAsks: 3 });
    socket.close();
  });

  it('drops and counts malformed, binary and oversized frames and stays open', async () => {
    const { socket, welcome } = socketHarness({ maxFrameBytes: 64 });
    const ws = welcome();
    ws.push('{not json');
    ws.push(JSON.stringify({ t: 'token', seq: 'x' }));
    ws.push(new Uint8Array([1, 2, 3]));
    ws.push({ t: 'token', seq: 1, replyTo: 'a', text: 'é'.repeat(40) }); // 80 UTF-8 bytes of text alone
    expect(socket.stats().framesDropped).toBe(4);
    expect(socket.snapshot().state).toBe('open');
    socket.close();
  });

  it('rejects an ask whose whole reply does not arrive within its timeout', async () => {
    const { socket, welcome } = socketHarness();
    welcome();
    const reply = socket.ask({ topic: 'l', text: 'slow' }, () => undefined, { timeoutMs: 5_000 });
    const assertion = expect(reply).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.advanceTimersByTimeAsync(5_000);
    await assertion;
    expect(socket.stats().pendingAsks).toBe(0);
    socket.close();
  });

  it('an aborted ask leaves the ledger: rejected with ABORTED, not re-sent on reconnect, late tokens ignored', async () => {
    const { socket, welcome, fake } = socketHarness();
    const first = welcome();
    const cancel = new AbortController();
    const tokens: string[] = [];
    const handedOver = socket.ask({ id: 'old', topic: 'l', text: 'handed over' }, (t) => tokens.push(t), { signal: cancel.signal });
    quiet(socket.ask({ id: 'kept', topic: 'l', text: 'still wanted' }, () => undefined));
    expect(first.framesOfType('ask').map((a) => a.id)).toEqual(['old', 'kept']);
    cancel.abort();
    await expect(handedOver).rejects.toMatchObject({ code: 'ABORTED' });
    expect(socket.stats().pendingAsks).toBe(1);
    first.push({ t: 'token', seq: 1, replyTo: 'old', text: 'late' });
    expect(tokens).toEqual([]);

    first.drop();
    await vi.advanceTimersByTimeAsync(DEFAULT_RECONNECT_BACKOFF.fastIntervalMs);
    expect(fake.sockets).toHaveLength(2);
    const second = welcome();
    expect(second.framesOfType('ask').map((a) => a.id)).toEqual(['kept']);

    // Already aborted: rejected at once, never sent, never in the ledger.
    const never = new AbortController();
    never.abort();
    await expect(socket.ask({ id: 'never', topic: 'l', text: 'q' }, () => undefined, { signal: never.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(second.framesOfType('ask').map((a) => a.id)).toEqual(['kept']);
    socket.close();
  });

  it('close() rejects unanswered asks with ABORTED and leaves no timer behind', async () => {
    const { socket, welcome } = socketHarness();
    welcome().drop(); // a reconnect timer is pending
    const reply = socket.ask({ topic: 'l', text: 'q' }, () => undefined, { timeoutMs: 60_000 });
    socket.close();
    await expect(reply).rejects.toMatchObject({ code: 'ABORTED' });
    expect(vi.getTimerCount()).toBe(0);
    expect(socket.snapshot()).toMatchObject({ state: 'closed', reason: 'closed by the app' });
  });

  it('as a plain socket (flag off): no ping, a close fails the unanswered asks, the next ask reconnects', async () => {
    const { socket, fake, welcome } = socketHarness({ resilient: () => false });
    const ws = welcome();
    const reply = socket.ask({ topic: 'l', text: 'q' }, () => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(ws.framesOfType('ping')).toHaveLength(0);
    expect(socket.snapshot().state).toBe('open');
    ws.drop();
    await expect(reply).rejects.toMatchObject({ code: 'SOCKET_CLOSED' });
    expect(vi.getTimerCount()).toBe(0);
    quiet(socket.ask({ topic: 'l', text: 'again' }, () => undefined));
    expect(fake.sockets).toHaveLength(2);
    socket.close();
  });
});

describe('reconnect backoff', () => {
  it('tries every 1.6 s (±10 %) while the outage is younger than 5 s, the first try within 50 ms–1.6 s, then every 13.5 s (±40 %)', () => {
    const backoff = reconnectBackoff();
    const random = seededRandom(1);
    for (let i = 0; i < 200; i++) {
      const first = backoff.delayMs(1, 0, random);
      expect(first).toBeGreaterThanOrEqual(50);
      expect(first).toBeLessThanOrEqual(1_600);
      const young = backoff.delayMs(2 + (i % 3), (i * 37) % 5_000, random);
      expect(young).toBeGreaterThanOrEqual(1_440);
      expect(young).toBeLessThanOrEqual(1_760);
      const old = backoff.delayMs(5 + i, 5_000 + i * 1_000, random);
      expect(old).toBeGreaterThanOrEqual(8_100);
      expect(old).toBeLessThanOrEqual(18_900);
    }
    expect(reconnectDelayRange(DEFAULT_RECONNECT_BACKOFF, 40, 3_600_000)).toEqual([8_100, 18_900]); // however long
    expect(() => reconnectBackoff({ fastIntervalMs: 10, minDelayMs: 20 })).toThrow(/minDelayMs/);
    expect(() => reconnectBackoff({ slowJitter: 1 })).toThrow(/jitter/);
  });

  /** Each client's tries over an outage of `outageMs`, and how long after the return its next try comes. */
  function outage(delayOf: (attempt: number, ageMs: number) => number, outageMs: number) {
    let at = 0;
    let tries = 0;
    for (;;) {
      at += delayOf(tries + 1, at);
      if (at >= outageMs) return { tries, afterReturnMs: at - outageMs };
      tries += 1;
    }
  }
  /** partysocket 1.3's defaults: 3 s, growing 1.3× per try, at most 10 s, the same for every client. */
  const partysocket = (attempt: number) => (attempt === 1 ? 3_000 : Math.min(10_000, 3_000 * 1.3 ** (attempt - 1)));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

  it("finds a server back after 5 s within 1 s (median), and over a 60 s outage tries no more often than partysocket and finds it no later", () => {
    const backoff = reconnectBackoff();
    const random = seededRandom(7);
    const clients = (outageMs: number) => Array.from({ length: 400 }, () => outage((attempt, age) => backoff.delayMs(attempt, age, random), outageMs));
    const short = clients(5_000);
    expect(median(short.map((c) => c.afterReturnMs))).toBeLessThanOrEqual(1_000);
    const long = clients(60_000);
    const peer = outage(partysocket, 60_000); // 8 tries, the next 7.2 s after the return
    const meanTries = long.reduce((sum, c) => sum + c.tries, 0) / long.length;
    expect(meanTries).toBeLessThanOrEqual(peer.tries);
    expect(median(long.map((c) => c.afterReturnMs))).toBeLessThanOrEqual(peer.afterReturnMs);
  });

  it('spreads 50 clients dropped together: no 100 ms bucket holds more than 20 % of first attempts', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const backoff = reconnectBackoff();
      const buckets = new Map<number, number>();
      for (let client = 0; client < 50; client++) {
        const bucket = Math.floor(backoff.delayMs(1, 0, random) / 100);
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
      }
      expect(Math.max(...buckets.values())).toBeLessThanOrEqual(10);
      expect(buckets.size).toBeGreaterThanOrEqual(8);
    }
  });
});
