import { memoryStorage, ResilienceError, type StreamSocket, type StreamSocketSnapshot } from '../../../src/resilience';
import { registerAppFallbacks } from '../../../src/app/resilience/fallbackChains';
import { withTutorFallback } from '../../../src/app/resilience/tutorWithFallback';
import type { TutorReply, TutorService } from '../../../src/app/services/types';
import { flagsWith, json, scriptedFetch, testRuntime } from '../resilience/helpers';
import { lesson } from './lessonFixture';


/** A live tutor double: answers with `reply`, or never (a socket that is stuck), or fails. */
function liveTutor(behaviour: 'answers' | 'hangs' | 'fails', tokens: string[] = ['Half ', 'plus a quarter.']) {
  const asked: string[] = [];
  const service: TutorService = {
    ask(_lessonId, text, onToken, options) {
      asked.push(text);
      if (behaviour === 'hangs') return new Promise<TutorReply>(() => undefined);
      if (behaviour === 'fails') return Promise.reject(new ResilienceError('SOCKET_CLOSED', 'gone'));
      tokens.forEach(onToken);
      // Like the socket service: the reply names the ask id it was given.
      return Promise.resolve({ replyTo: options?.id ?? 'live-1', text: tokens.join(''), source: 'live' });
    },
    close: () => undefined,
  };
  return { service, asked };
}

/** The socket's state feed: the wrapper only subscribes to it. */
function fakeSocket() {
  const listeners = new Set<(snapshot: StreamSocketSnapshot) => void>();
  // Only subscribe() is used by the wrapper; the rest of StreamSocket is out of scope here.
  const socket = {
    subscribe(listener: (snapshot: StreamSocketSnapshot) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  } as unknown as StreamSocket;
  const emit = (snapshot: StreamSocketSnapshot) => listeners.forEach((listener) => listener(snapshot));
  return { socket, refused: () => emit({ state: 'closed', reason: 'refused', since: 0, nextAttemptAt: 1_000 }), listeners };
}

function setup(options: { fetchReplies?: Parameters<typeof scriptedFetch>; flags?: unknown } = {}) {
  const server = scriptedFetch(...(options.fetchReplies ?? [json({ error: { code: 'DOWN', message: 'down' } }, 500)]));
  const { runtime, ofType } = testRuntime({ api: { fetch: server.fetch }, storage: { indexedDB: null, local: memoryStorage() }, ...(options.flags ? { flags: { source: options.flags } } : {}) });
  const fallbacks = registerAppFallbacks(runtime, { storage: memoryStorage(), userId: 'ada', now: () => 0 });
  const socket = fakeSocket();
  const rt = { fallback: runtime.fallback, flags: runtime.flags, modes: runtime.modes, clock: runtime.clock, socket: socket.socket };
  return { runtime, rt, server, fallbacks, ofType, socket };
}

describe('the app fallback chains', () => {
  it('on a fresh runtime, are tried in the documented order', async () => {
    const { runtime } = setup();
    await runtime.fallback.ready();
    expect(runtime.fallback.ranking('ai_tutoring')).toEqual(['cachedAnswer', 'simplifiedTutor', 'localHints']);
    expect(runtime.fallback.ranking('lesson_data')).toEqual(['lessonSnapshot']);
    runtime.dispose();
  });

  it('serve a live reply as live, streamed, and save it for the same question later', async () => {
    const { runtime, rt, fallbacks } = setup();
    const tutor = withTutorFallback(liveTutor('answers').service, { runtime: rt, answers: fallbacks.answers, createId: () => 'ask-1' });
    const tokens: string[] = [];
    await expect(tutor.ask('fractions', 'What is 1/2 + 1/4?', (t) => tokens.push(t))).resolves.toMatchObject({ source: 'live', text: 'Half plus a quarter.' });
    expect(tokens).toEqual(['Half ', 'plus a quarter.']);
    expect(fallbacks.answers.find('fractions', 'what is 12  14')?.text).toBe('Half plus a quarter.');
    runtime.dispose();
  });

  it('wait for the live tutor after a single drop (the socket usually resumes at once)', async () => {
    const { runtime, rt, fallbacks, socket } = setup();
    const live = liveTutor('answers');
    const tutor = withTutorFallback(live.service, { runtime: rt, answers: fallbacks.answers });
    socket.refused();
    await expect(tutor.ask('fractions', 'q', () => undefined)).resolves.toMatchObject({ source: 'live' });
    expect(live.asked).toEqual(['q']);
    tutor.close();
    expect(socket.listeners.size).toBe(0);
    runtime.dispose();
  });

  it('skip a socket refused twice in a row and answer through the simplified tutor, labelled', async () => {
    const { runtime, rt, fallbacks, server, socket } = setup({ fetchReplies: [json({ replyTo: 'ask-1', text: 'Use quarters.' })] });
    const live = liveTutor('answers');
    const tutor = withTutorFallback(live.service, { runtime: rt, answers: fallbacks.answers, createId: () => 'ask-1' });
    socket.refused();
    socket.refused();
    await expect(tutor.ask('fractions', 'help', () => undefined)).resolves.toEqual({ replyTo: 'ask-1', text: 'Use quarters.', source: 'simplified' });
    expect(live.asked).toEqual([]);
    expect(server.calls.map((c) => c.url)).toEqual(['/api/tutor/ask']);
    runtime.dispose();
  });

  it('with the whole server down, answer from a saved answer first, then from local hints', async () => {
    const { runtime, rt, fallbacks } = setup();
    fallbacks.snapshots.save(lesson);
    fallbacks.answers.remember('fractions', 'What is a fraction?', 'Part of a whole.');
    const tutor = withTutorFallback(liveTutor('fails').service, { runtime: rt, answers: fallbacks.answers });
    await expect(tutor.ask('fractions', 'what is a fraction', () => undefined)).resolves.toMatchObject({ source: 'cache', text: 'Part of a whole.' });
    const hint = await tutor.ask('fractions', 'exercise 1?', () => undefined);
    expect(hint.source).toBe('local-hint');
    expect(hint.text).toContain('Find a common denominator.');
    runtime.dispose();
  });

  it('hand a stuck live ask over to the chain after the primary timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { runtime, rt, fallbacks } = setup();
      fallbacks.snapshots.save(lesson);
      const signals: (AbortSignal | undefined)[] = [];
      const stuck: TutorService = {
        ask: (_lessonId, _text, _onToken, options) => {
          signals.push(options?.signal);
          return new Promise<TutorReply>(() => undefined);
        },
        close: () => undefined,
      };
      const tutor = withTutorFallback(stuck, { runtime: rt, answers: fallbacks.answers, live: { idleMs: 4_000 } });
      const reply = tutor.ask('fractions', 'exercise 1', () => undefined);
      await vi.advanceTimersByTimeAsync(3_999);
      expect(signals.map((signal) => signal?.aborted)).toEqual([false]);
      await vi.advanceTimersByTimeAsync(1);
      await expect(reply).resolves.toMatchObject({ source: 'local-hint' });
      // Handed over: the live ask is cancelled, so the socket forgets it and a reconnect does not re-send it.
      expect(signals.map((signal) => signal?.aborted)).toEqual([true]);
      runtime.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never cut off a live reply that keeps streaming, however long it takes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { runtime, rt, fallbacks } = setup();
      let push: (token: string) => void = () => undefined;
      let finish: () => void = () => undefined;
      const slow: TutorService = {
        ask: (_lessonId, _text, onToken) =>
          new Promise<TutorReply>((resolve) => {
            push = onToken;
            finish = () => resolve({ replyTo: 'live-1', text: 'slow but live', source: 'live' });
          }),
        close: () => undefined,
      };
      const tutor = withTutorFallback(slow, { runtime: rt, answers: fallbacks.answers, live: { idleMs: 4_000 } });
      const reply = tutor.ask('fractions', 'q', () => undefined);
      for (let i = 0; i < 5; i++) {
        await vi.advanceTimersByTimeAsync(3_000);
        push('word ');
      }
      finish();
      await expect(reply).resolves.toMatchObject({ source: 'live', text: 'slow but live' });
      runtime.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('hold tokens back in text-only mode: the reply arrives whole', async () => {
    const { runtime, rt, fallbacks } = setup();
    runtime.modes.setStudentChoice('text-only');
    const tutor = withTutorFallback(liveTutor('answers').service, { runtime: rt, answers: fallbacks.answers });
    const tokens: string[] = [];
    await expect(tutor.ask('fractions', 'q', (t) => tokens.push(t))).resolves.toMatchObject({ text: 'Half plus a quarter.', source: 'live' });
    expect(tokens).toEqual([]);
    runtime.dispose();
  });

  it('with the fallback flag off, are exactly the live tutor: no skip, no chain', async () => {
    const { runtime, rt, fallbacks, server, ofType, socket } = setup({ flags: flagsWith({ fallback: false }) });
    fallbacks.snapshots.save(lesson);
    const live = liveTutor('fails');
    const tutor = withTutorFallback(live.service, { runtime: rt, answers: fallbacks.answers });
    socket.refused();
    socket.refused();
    await expect(tutor.ask('fractions', 'q', () => undefined)).rejects.toMatchObject({ code: 'SOCKET_CLOSED' });
    expect(live.asked).toEqual(['q']);
    expect(server.calls).toEqual([]);
    expect(ofType('fallback.used')).toEqual([]);
    runtime.dispose();
  });
});
