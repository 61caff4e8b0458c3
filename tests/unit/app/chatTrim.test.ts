import { chatReducer, type ChatMessage } from '../../../src/app/chat/chatModel';

describe('the conversation under memory pressure', () => {
  it('keeps only the newest messages, and a reply still streaming however old', () => {
    let messages: ChatMessage[] = [];
    messages = chatReducer(messages, { type: 'asked', questionId: 'q0', replyId: 'r0', text: 'first' }); // r0 never finishes
    for (let i = 1; i <= 10; i++) {
      messages = chatReducer(messages, { type: 'asked', questionId: `q${i}`, replyId: `r${i}`, text: `question ${i}` });
      messages = chatReducer(messages, { type: 'replied', replyId: `r${i}`, text: `reply ${i}`, source: 'live' });
    }
    const trimmed = chatReducer(messages, { type: 'trimmed', keep: 4 });
    expect(trimmed.map((m) => m.id)).toEqual(['r0', 'q9', 'r9', 'q10', 'r10']);
    expect(chatReducer(trimmed, { type: 'token', replyId: 'r0', text: 'still arrives' }).find((m) => m.id === 'r0')?.text).toBe('still arrives');
    expect(chatReducer(trimmed, { type: 'trimmed', keep: 40 })).toBe(trimmed);
  });
});
