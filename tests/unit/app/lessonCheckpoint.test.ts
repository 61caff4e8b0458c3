import { EMPTY_LESSON_RUN, parseLessonRun, questionFor } from '../../../src/app/resilience/lessonCheckpoint';

describe('lesson run state read back from a checkpoint', () => {
  const good = {
    current: 1,
    drafts: { 'pizza-left': '1/2' },
    hintsShown: { 'pizza-left': 2 },
    chat: [
      { id: 'question-0', role: 'student', text: 'Why?' },
      { id: 'reply-0', role: 'tutor', text: 'Be', source: 'live', state: 'streaming', askId: 'a-1' },
    ],
  };

  it('accepts a well-formed state as it is', () => {
    expect(parseLessonRun(good)).toEqual(good);
    expect(parseLessonRun(EMPTY_LESSON_RUN)).toEqual(EMPTY_LESSON_RUN);
  });

  it.each<[string, unknown]>([
    ['not an object', 'x'],
    ['a negative step', { ...good, current: -1 }],
    ['a draft that is not text', { ...good, drafts: { a: 3 } }],
    ['a fractional hint count', { ...good, hintsShown: { a: 1.5 } }],
    ['a chat line of unknown role', { ...good, chat: [{ id: 'x', role: 'admin', text: 'hi' }] }],
    ['a reply of unknown source', { ...good, chat: [{ id: 'x', role: 'tutor', text: '', source: 'magic', state: 'done' }] }],
    ['a failed reply without its error', { ...good, chat: [{ id: 'x', role: 'tutor', text: '', source: 'live', state: 'failed' }] }],
  ])('refuses %s', (_name, value) => {
    expect(() => parseLessonRun(value)).toThrow(TypeError);
  });

  it('finds the question a reply answers', () => {
    expect(questionFor(parseLessonRun(good).chat, 'reply-0')).toBe('Why?');
    expect(questionFor(parseLessonRun(good).chat, 'question-0')).toBeUndefined();
  });
});
