import type { Lesson } from '../../../src/protocol/api';
import { memoryStorage, ResilienceError, type FallbackContext } from '../../../src/resilience';
import { cachedAnswerStrategy } from '../../../src/app/resilience/fallback/cachedAnswerStrategy';
import { localHintStrategy } from '../../../src/app/resilience/fallback/localHintStrategy';
import { lessonSnapshotStrategy } from '../../../src/app/resilience/fallback/lessonSnapshotStrategy';
import { pickExercise } from '../../../src/app/resilience/fallback/localHints';
import { simplifiedTutorStrategy } from '../../../src/app/resilience/fallback/simplifiedTutorStrategy';
import type { LessonFallbackData, TutoringFallbackData } from '../../../src/app/resilience/fallback/tutoringFallback';
import { createLessonSnapshots } from '../../../src/app/resilience/lessonSnapshots';
import { createTutorAnswerCache, normaliseQuestion } from '../../../src/app/resilience/tutorAnswerCache';
import { json, scriptedFetch, testRuntime } from '../resilience/helpers';

const lesson: Lesson = {
  id: 'fractions',
  title: 'Fractions',
  summary: 's',
  exerciseCount: 3,
  introduction: 'A fraction is part of a whole.',
  exercises: [
    { id: 'f1', prompt: 'What is 1/2 + 1/4?', hints: ['Find a common denominator.', 'Quarters: 2/4 + 1/4.'] },
    { id: 'f2', prompt: 'Simplify 4/8.', hints: ['Divide top and bottom by the same number.'] },
    { id: 'f3', prompt: 'Which is bigger, 2/3 or 3/5?', hints: ['Compare 10/15 and 9/15.'] },
  ],
};

const ask = (text: string, lessonId = 'fractions'): FallbackContext<TutoringFallbackData> => ({
  opType: 'ai_tutoring',
  error: undefined,
  data: { id: 'ask-1', lessonId, text },
});

describe('saved tutor answers', () => {
  const cache = (storage = memoryStorage(), userId = 'ada') => createTutorAnswerCache({ storage, userId, now: () => 1_000 });

  it('normalises case, punctuation, accents and spacing, not wording', () => {
    expect(normaliseQuestion("  What's   a FRACTION?! ")).toBe('whats a fraction');
    expect(normaliseQuestion('Qu’est-ce qu’une fraction décimale ?')).toBe('questce quune fraction decimale');
    expect(normaliseQuestion('what is a fraction')).not.toBe(normaliseQuestion('a fraction is what'));
  });

  it('serves the reply to the same normalised question in the same lesson, and nothing for another lesson or question', async () => {
    const answers = cache();
    answers.remember('fractions', 'What is a fraction?', 'Part of a whole.');
    const strategy = cachedAnswerStrategy(answers);

    expect(strategy.canHandle(ask('what is a   FRACTION'))).toBe(true);
    await expect(strategy.execute(ask('what is a   FRACTION'), undefined)).resolves.toEqual({
      ok: true,
      value: { text: 'Part of a whole.', source: 'cache' },
      stale: true,
    });
    expect(strategy.canHandle(ask('What is a fraction?', 'decimals'))).toBe(false);
    expect(strategy.canHandle(ask('What is a decimal?'))).toBe(false);
  });

  it('saves a reply only for the ask it answered: a reply naming another ask is refused', () => {
    const answers = cache();
    expect(answers.rememberReply({ id: 'ask-2', lessonId: 'fractions', question: 'exercise 2?' }, { replyTo: 'ask-1', text: 'About exercise 1.' })).toBe(false);
    expect(answers.find('fractions', 'exercise 2?')).toBeUndefined();
    expect(answers.rememberReply({ id: 'ask-2', lessonId: 'fractions', question: 'exercise 2?' }, { replyTo: 'ask-2', text: 'About exercise 2.' })).toBe(true);
    expect(answers.find('fractions', 'exercise 2?')?.text).toBe('About exercise 2.');
  });

  it('keeps replies per student and forgets them on purge', () => {
    const storage = memoryStorage();
    cache(storage, 'ada').remember('fractions', 'q', 'for Ada');
    expect(cache(storage, 'bob').find('fractions', 'q')).toBeUndefined();
    cache(storage, 'ada').purge();
    expect(cache(storage, 'ada').find('fractions', 'q')).toBeUndefined();
  });

  it('is bounded: the oldest replies go first', () => {
    const answers = createTutorAnswerCache({ storage: memoryStorage(), userId: 'ada', now: () => 1, maxEntries: 2 });
    answers.remember('l', 'one', '1');
    answers.remember('l', 'two', '2');
    answers.remember('l', 'three', '3');
    expect(answers.find('l', 'one')).toBeUndefined();
    expect(answers.find('l', 'three')?.text).toBe('3');
  });
});

describe('local hints', () => {
  it('pick the exercise named by number, by "#", or by ordinal', () => {
    expect(pickExercise(lesson, 'help with exercise 2 please', [])?.exercise.id).toBe('f2');
    expect(pickExercise(lesson, 'stuck on #3', [])?.exercise.id).toBe('f3');
    expect(pickExercise(lesson, 'I do not get the third question', [])?.exercise.id).toBe('f3');
  });

  it('pick the first unfinished exercise when none is named (or the named one does not exist)', () => {
    expect(pickExercise(lesson, 'I am stuck', ['f1'])?.exercise.id).toBe('f2');
    expect(pickExercise(lesson, 'exercise 9?', ['f1', 'f2'])?.exercise.id).toBe('f3');
    expect(pickExercise(lesson, 'help', ['f1', 'f2', 'f3'])?.exercise.id).toBe('f1');
  });

  it('reply with that exercise’s hints from the saved lesson, with no network at all', async () => {
    const snapshots = createLessonSnapshots({ storage: memoryStorage(), userId: 'ada', now: () => 0 });
    const strategy = localHintStrategy(snapshots);
    expect(strategy.canHandle(ask('exercise 1'))).toBe(false);

    snapshots.save(lesson);
    snapshots.saveCompleted('fractions', ['f1']);
    const result = await strategy.execute(ask('how do I start?'), undefined);
    expect(result.ok && result.value.source).toBe('local-hint');
    expect(result.ok && result.value.text).toContain('exercise 2 (Simplify 4/8.)');
    expect(result.ok && result.value.text).toContain('Divide top and bottom by the same number.');
  });
});

describe('the simplified tutor', () => {
  it('asks POST /api/tutor/ask with the ask id as body id and Idempotency-Key', async () => {
    const server = scriptedFetch(json({ replyTo: 'ask-1', text: 'Think of pizza slices.' }));
    const { runtime } = testRuntime({ api: { fetch: server.fetch }, storage: { indexedDB: null } });
    const result = await simplifiedTutorStrategy(runtime).execute(ask('what is a fraction?'), undefined);

    expect(result).toEqual({ ok: true, value: { text: 'Think of pizza slices.', replyTo: 'ask-1', source: 'simplified' } });
    expect(server.calls).toHaveLength(1);
    const call = server.calls[0];
    expect(call?.url).toBe('/api/tutor/ask');
    expect(call?.init.method).toBe('POST');
    expect(JSON.parse(String(call?.init.body))).toEqual({ id: 'ask-1', lessonId: 'fractions', text: 'what is a fraction?' });
    expect(new Headers(call?.init.headers).get('Idempotency-Key')).toBe('ask-1');
    runtime.dispose();
  });

  it('fails as a value when the server cannot answer, and stands aside while the API breaker is open', async () => {
    const server = scriptedFetch(json({ error: { code: 'UNAVAILABLE', message: 'down' } }, 503));
    const { runtime } = testRuntime({ api: { fetch: server.fetch }, storage: { indexedDB: null } });
    const strategy = simplifiedTutorStrategy(runtime);
    const result = await strategy.execute(ask('q'), undefined);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBeInstanceOf(ResilienceError);

    expect(strategy.canHandle(ask('q'))).toBe(true);
    for (let i = 0; i < 10; i++) await runtime.api.request({ op: 'x', method: 'GET', path: '/api/x', retry: false });
    expect(runtime.breakers.snapshot().api?.state).toBe('open');
    expect(strategy.canHandle(ask('q'))).toBe(false);
    runtime.dispose();
  });
});

describe('lesson snapshots', () => {
  it('serve the last saved copy of a lesson, labelled stale, and nothing for a lesson never saved', async () => {
    const snapshots = createLessonSnapshots({ storage: memoryStorage(), userId: 'ada', now: () => 42 });
    const strategy = lessonSnapshotStrategy(snapshots);
    const context = (lessonId: string): FallbackContext<LessonFallbackData> => ({ opType: 'lesson_data', error: undefined, data: { lessonId } });
    snapshots.save(lesson);
    await expect(strategy.execute(context('fractions'), undefined)).resolves.toEqual({ ok: true, value: { lesson, storedAt: 42 }, stale: true });
    expect(strategy.canHandle(context('decimals'))).toBe(false);
  });
});
