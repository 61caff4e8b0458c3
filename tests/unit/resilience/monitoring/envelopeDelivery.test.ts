import { IDBFactory } from 'fake-indexeddb';
import { systemClock } from '../../../../src/resilience/core/clock';
import { createEnvelopeDelivery, type PostEnvelope } from '../../../../src/resilience/monitoring/envelopeDelivery';
import { createIndexedDbEnvelopeStore, createMemoryEnvelopeStore, type EnvelopeStoreLimits } from '../../../../src/resilience/monitoring/envelopeStore';

const envelope = (n: number, message = `error ${n}`) =>
  [JSON.stringify({ event_id: `e${n}` }), JSON.stringify({ type: 'event' }), JSON.stringify({ event_id: `e${n}`, message })].join('\n');
const eventIdOf = (body: string) => (JSON.parse(body.split('\n')[0] as string) as { event_id: string }).event_id;

/** Lets fake-indexeddb (setImmediate, not faked) run until the sink has seen `count` attempts. */
async function attempted(network: { attempts: number }, count: number): Promise<void> {
  for (let i = 0; i < 1_000 && network.attempts < count; i++) await new Promise((resolve) => setImmediate(resolve));
  expect(network.attempts).toBeGreaterThanOrEqual(count);
}

describe('durable telemetry envelope delivery', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }); // fake-indexeddb runs on setImmediate
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (limits: EnvelopeStoreLimits = { maxEnvelopes: 200, maxBytes: 1024 * 1024 }, factory = new IDBFactory()) => {
    const network = { up: false, status: 200, attempts: 0 };
    const received: string[] = [];
    const post: PostEnvelope = async (body) => {
      network.attempts += 1;
      if (!network.up) throw new TypeError('Failed to fetch');
      if (network.status === 200) received.push(body);
      return network.status;
    };
    const drops: number[] = [];
    const sensitive: string[] = [];
    const errors: unknown[] = [];
    const make = () =>
      createEnvelopeDelivery({
        store: createIndexedDbEnvelopeStore(factory, 'telemetry-test', limits),
        post,
        clock: systemClock(),
        rules: () => ({ sensitive }),
        reportDrops: (n) => drops.push(n),
        onError: (error) => errors.push(error),
      });
    return { network, received, drops, sensitive, errors, make, factory };
  };

  it('20 envelopes raised offline all arrive, in order, once the device is online', async () => {
    const world = setup();
    const delivery = world.make();
    for (let i = 1; i <= 20; i++) await delivery.enqueue(envelope(i));
    await vi.advanceTimersByTimeAsync(10_000); // backoff retries while offline change nothing
    expect(world.received).toEqual([]);
    world.network.up = true;
    delivery.online();
    expect(await delivery.flush(5_000)).toBe(true);
    expect(world.received.map(eventIdOf)).toEqual(Array.from({ length: 20 }, (_, i) => `e${i + 1}`));
    expect(world.drops).toEqual([]);
    expect(world.errors).toEqual([]);
  });

  it('envelopes survive a reload (a new delivery over the same database) and are sent then', async () => {
    const world = setup();
    const first = world.make();
    for (let i = 1; i <= 3; i++) await first.enqueue(envelope(i));
    first.dispose();
    world.network.up = true;
    const second = world.make();
    expect(await second.flush(5_000)).toBe(true);
    expect(world.received.map(eventIdOf)).toEqual(['e1', 'e2', 'e3']);
  });

  it('beyond the cap envelopes are dropped and counted; the count is reported once delivery resumes', async () => {
    const world = setup({ maxEnvelopes: 5, maxBytes: 1024 * 1024 });
    const delivery = world.make();
    for (let i = 1; i <= 8; i++) await delivery.enqueue(envelope(i));
    expect(world.drops).toEqual([]);
    world.network.up = true;
    delivery.online();
    await delivery.flush(5_000);
    expect(world.received.map(eventIdOf)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(world.drops).toEqual([3]);
    await delivery.enqueue(envelope(9));
    await delivery.flush(5_000);
    expect(world.drops).toEqual([3]); // reported once, not again
  });

  it('the byte cap counts too', async () => {
    const world = setup({ maxEnvelopes: 200, maxBytes: envelope(1).length * 2 * 2 });
    const delivery = world.make();
    for (let i = 1; i <= 4; i++) await delivery.enqueue(envelope(i));
    world.network.up = true;
    await delivery.flush(5_000);
    expect(world.received).toHaveLength(2);
    expect(world.drops).toEqual([2]);
  });

  it('a 503 or 429 keeps the envelope and retries after a backoff; a 400 deletes it', async () => {
    const world = setup();
    const delivery = world.make();
    world.network.up = true;
    world.network.status = 503;
    await delivery.enqueue(envelope(1));
    await attempted(world.network, 1);
    expect(world.received).toEqual([]);
    world.network.status = 200;
    await vi.advanceTimersByTimeAsync(1_999);
    expect(world.network.attempts).toBe(1); // no retry before the backoff
    await vi.advanceTimersByTimeAsync(1);
    await attempted(world.network, 2);
    await delivery.flush(5_000);
    expect(world.received.map(eventIdOf)).toEqual(['e1']);

    world.network.status = 400;
    await delivery.enqueue(envelope(2));
    await delivery.flush(5_000);
    world.network.status = 200;
    await delivery.enqueue(envelope(3));
    const flushed = await delivery.flush(5_000);
    expect({ flushed, errors: world.errors.map(String) }).toEqual({ flushed: true, errors: [] });
    expect(world.received.map(eventIdOf)).toEqual(['e1', 'e3']);
  });

  it('stored envelopes are scrubbed by the rules in force when they are sent', async () => {
    const world = setup();
    const delivery = world.make();
    await delivery.enqueue(envelope(1, 'progress of Quentin Canary failed'));
    world.sensitive.push('Quentin Canary'); // a rule learnt after the envelope was stored
    world.network.up = true;
    await delivery.flush(5_000);
    expect(world.received).toHaveLength(1);
    expect(world.received[0]).not.toContain('Quentin');
    expect(world.received[0]).toContain('progress of [redacted] failed');
  });

  it('the memory store keeps the same caps and counts', async () => {
    const store = createMemoryEnvelopeStore({ maxEnvelopes: 2, maxBytes: 1 << 20 });
    expect(await store.push('a')).toBe(true);
    expect(await store.push('b')).toBe(true);
    expect(await store.push('c')).toBe(false);
    expect(await store.takeDrops()).toBe(1);
    expect(await store.takeDrops()).toBe(0);
    expect((await store.peek(10)).map((e) => e.body)).toEqual(['a', 'b']);
  });
});
