import { describe, expect, it } from 'vitest';
import { chatReducer, sourceLabel, type ChatAction, type ChatMessage } from '../../../src/app/chat/chatModel';

const run = (actions: ChatAction[]): ChatMessage[] => actions.reduce(chatReducer, []);
const asked: ChatAction = { type: 'asked', questionId: 'q1', replyId: 'r1', text: 'Why?' };

describe('the tutor conversation', () => {
  it('a question adds the student message and an empty streaming reply', () => {
    expect(run([asked])).toEqual([
      { id: 'q1', role: 'student', text: 'Why?' },
      { id: 'r1', role: 'tutor', text: '', source: 'live', state: 'streaming' },
    ]);
  });

  it('tokens grow the reply in order and the full reply settles it', () => {
    const messages = run([
      asked,
      { type: 'token', replyId: 'r1', text: 'Because ' },
      { type: 'token', replyId: 'r1', text: 'halves.' },
      { type: 'replied', replyId: 'r1', text: 'Because halves.', source: 'live' },
    ]);
    expect(messages[1]).toEqual({ id: 'r1', role: 'tutor', text: 'Because halves.', source: 'live', state: 'done' });
  });

  it('a fallback reply replaces partial tokens and keeps its source', () => {
    const messages = run([
      asked,
      { type: 'token', replyId: 'r1', text: 'Beca' },
      { type: 'replied', replyId: 'r1', text: 'Try the first hint.', source: 'local-hint' },
    ]);
    expect(messages[1]).toMatchObject({ text: 'Try the first hint.', source: 'local-hint', state: 'done' });
  });

  it('tokens arriving after a reply failed do not change it', () => {
    const messages = run([
      asked,
      { type: 'failed', replyId: 'r1', error: 'Lost.' },
      { type: 'token', replyId: 'r1', text: 'late' },
    ]);
    expect(messages[1]).toMatchObject({ text: '', state: 'failed', error: 'Lost.' });
  });

  it('only replies that are not live get a source label', () => {
    expect(sourceLabel('live')).toBeNull();
    expect(sourceLabel('cache')).toBe('saved answer');
    expect(sourceLabel('local-hint')).toBe('offline hint');
  });
});
