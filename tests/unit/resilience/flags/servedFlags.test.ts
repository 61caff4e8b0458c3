import { createEventBus } from '../../../../src/resilience/core/eventBus';
import { systemClock } from '../../../../src/resilience/core/clock';
import { memoryStorage } from '../../../../src/resilience/core/syncStorage';
import { createFeatureFlags } from '../../../../src/resilience/flags/featureFlags';
import { startServedFlags } from '../../../../src/resilience/flags/servedFlags';
import type { FetchLike, ResilienceEvent } from '../../../../src/resilience';
import { createAnswerSubmission } from '../../../../src/app/services/answerSubmission';
import { flagsWith, json, testRuntime, useFakeClock } from '../helpers';
import flagsFile from '../../../../feature-flags.json';

/** A flag service double that honours If-None-Match the way server/routes/flagsRoutes.ts does. */
function flagService(initial: unknown) {
  let document = initial;
  let version = 1;
  const requests: (string | null)[] = [];
  let down = false;
  const fetch: FetchLike = async (_url, init) => {
    const ifNoneMatch = new Headers(init.headers).get('If-None-Match');
    requests.push(ifNoneMatch);
    if (down) throw new TypeError('Failed to fetch');
    const etag = `"v${version}"`;
    if (ifNoneMatch === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
    return json(document, 200, { ETag: etag });
  };
  return {
    fetch,
    requests,
    publish(next: unknown) {
      document = next;
      version += 1;
    },
    setDown(value: boolean) {
      down = value;
    },
  };
}

function setup(service: ReturnType<typeof flagService>, storage = memoryStorage(), onlineSource?: EventTarget) {
  const clock = systemClock();
  const events = createEventBus(clock);
  const seen: ResilienceEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const flags = createFeatureFlags({ source: flagsFile, events, storage, allowOverrides: false, userId: 'ada' });
  const served = startServedFlags({ url: 'http://app/api/flags', fetch: service.fetch, clock, events, flags, storage, intervalMs: 5_000, ...(onlineSource ? { onlineSource: onlineSource as never } : {}) });
  const changes = () => seen.filter((e) => e.type === 'flag.changed');
  return { flags, served, seen, changes, storage };
}

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('served flags', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it('applies the served file live, one flag.changed per effective change, then asks with If-None-Match and gets 304', async () => {
    const service = flagService(flagsWith({ outbox: false }));
    const { flags, served, changes } = setup(service);
    expect(flags.isEnabled('outbox')).toBe(true); // the bundled file until the first answer
    await settle();
    expect(flags.isEnabled('outbox')).toBe(false);
    expect(changes()).toEqual([expect.objectContaining({ flag: 'outbox', enabled: false, source: 'served' })]);
    expect(await served.refresh()).toBe('unchanged');
    expect(service.requests).toEqual([null, '"v1"']);
    expect(changes()).toHaveLength(1);
    served.dispose();
  });

  it('re-fetches on the interval and when back online', async () => {
    const service = flagService(flagsFile);
    const online = new EventTarget();
    const { flags, served } = setup(service, memoryStorage(), online);
    await settle();
    service.publish(flagsWith({ outbox: false }));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(flags.isEnabled('outbox')).toBe(false);
    service.publish(flagsWith({ outbox: true }));
    online.dispatchEvent(new Event('online'));
    await settle();
    expect(flags.isEnabled('outbox')).toBe(true);
    served.dispose();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(service.requests).toHaveLength(3); // nothing after dispose
  });

  it('rejects an invalid served file as a whole: the flags in use stay, and the problem is reported', async () => {
    const service = flagService(flagsFile);
    const { flags, served, seen } = setup(service);
    await settle();
    service.publish({ flags: { ...(flagsWith({ outbox: false }) as { flags: object }).flags, retry: { enabled: 'yes', description: 'x' } } });
    expect(await served.refresh()).toBe('rejected');
    expect(flags.isEnabled('outbox')).toBe(true);
    expect(flags.isEnabled('retry')).toBe(true);
    const reported = seen.filter((e) => e.type === 'runtime.internalError').map((e) => String((e as { message: string }).message));
    expect(reported.some((m) => /Served flags rejected.*"retry"/.test(m))).toBe(true);
    served.dispose();
  });

  it('starts offline from the last good served copy, per URL, and keeps it when the fetch fails', async () => {
    const service = flagService(flagsWith({ outbox: false }));
    const storage = memoryStorage();
    const first = setup(service, storage);
    await settle();
    first.served.dispose();

    service.setDown(true);
    const second = setup(service, storage);
    expect(second.flags.isEnabled('outbox')).toBe(false); // before any fetch
    expect(second.served.etag).toBe('"v1"');
    expect(await second.served.refresh()).toBe('failed');
    expect(second.flags.isEnabled('outbox')).toBe(false);
    second.served.dispose();

    // Another URL (another origin or prefix) does not share the copy.
    const other = createFeatureFlags({ source: flagsFile, events: createEventBus(systemClock()), storage, allowOverrides: false });
    const elsewhere = startServedFlags({ url: 'http://elsewhere/api/flags', fetch: service.fetch, clock: systemClock(), events: createEventBus(systemClock()), flags: other, storage });
    expect(other.isEnabled('outbox')).toBe(true);
    elsewhere.dispose();
  });

  it('switches the outbox off mid-session: the next answer goes straight to the server, nothing is queued', async () => {
    const service = flagService(flagsFile);
    const answers: string[] = [];
    const fetch: FetchLike = async (url, init) => {
      if (url.endsWith('/api/flags')) return service.fetch(url, init);
      answers.push(url);
      return json({ correct: true, feedback: 'Right', attemptId: 'a1' });
    };
    const { runtime } = testRuntime({ api: { fetch }, flags: { served: { intervalMs: 5_000 } }, storage: { indexedDB: null } });
    const submission = createAnswerSubmission({ runtime, studentId: 'ada', createIdempotencyKey: () => crypto.randomUUID() });
    await settle();
    service.publish(flagsWith({ outbox: false }));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runtime.flags.isEnabled('outbox')).toBe(false);
    const submitSpy = vi.spyOn(runtime.outbox, 'submit');
    const result = await submission.submit({ lessonId: 'fractions', exerciseId: 'e1', answer: '1/2' });
    expect(result).toMatchObject({ status: 'checked', correct: true });
    expect(submitSpy).not.toHaveBeenCalled();
    expect(answers).toEqual(['/api/answers']);
    runtime.dispose();
  });
});

describe('sticky rollout for anonymous visitors', () => {
  it('keeps one anonymous id in storage, so a partial rollout gives the same answer on every start', () => {
    const storage = memoryStorage();
    const source = { flags: { ...flagsFile.flags, predictor: { ...flagsFile.flags.predictor, enabled: true, rollout: 50 } } };
    const build = () => createFeatureFlags({ source, events: createEventBus(systemClock()), storage, allowOverrides: false });
    const first = build().snapshot().flags.predictor.inRollout;
    const id = storage.getItem('resilience.anonymousId');
    expect(id).toMatch(/^anon-[0-9a-f]{32}$/);
    for (let i = 0; i < 5; i++) expect(build().snapshot().flags.predictor.inRollout).toBe(first);
    expect(storage.getItem('resilience.anonymousId')).toBe(id);
  });

  it('makes no id while no flag is partially rolled out', () => {
    const storage = memoryStorage();
    createFeatureFlags({ source: flagsFile, events: createEventBus(systemClock()), storage, allowOverrides: false });
    expect(storage.size).toBe(0);
  });
});
