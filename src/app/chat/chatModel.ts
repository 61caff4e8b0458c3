import type { ReplySource } from '../services/types';

/** One line of the tutor conversation. Tutor replies carry where they came from. */
export type ChatMessage =
  | { id: string; role: 'student'; text: string }
  | { id: string; role: 'tutor'; text: string; source: ReplySource; state: 'streaming' | 'done'; askId?: string }
  | { id: string; role: 'tutor'; text: string; source: ReplySource; state: 'failed'; error: string; askId?: string };

export type ChatAction =
  /** `askId`: the ask's idempotency key, kept so a reply cut off by a reload is re-asked by it. */
  | { type: 'asked'; questionId: string; replyId: string; text: string; askId?: string }
  | { type: 'token'; replyId: string; text: string }
  | { type: 'replied'; replyId: string; text: string; source: ReplySource }
  | { type: 'failed'; replyId: string; error: string }
  /** Memory pressure: only the newest `keep` messages stay (a reply still streaming always stays). */
  | { type: 'trimmed'; keep: number };

/** The conversation as a pure reducer, so streaming order and failures are testable without React. */
export function chatReducer(messages: ChatMessage[], action: ChatAction): ChatMessage[] {
  switch (action.type) {
    case 'asked':
      return [
        ...messages,
        { id: action.questionId, role: 'student', text: action.text },
        { id: action.replyId, role: 'tutor', text: '', source: 'live', state: 'streaming', ...(action.askId ? { askId: action.askId } : {}) },
      ];
    case 'token':
      return updateReply(messages, action.replyId, (reply) =>
        reply.state === 'streaming' ? { ...reply, text: reply.text + action.text } : reply,
      );
    case 'replied':
      // The full reply wins over the streamed tokens: a fallback may answer without streaming at all.
      return updateReply(messages, action.replyId, (reply) => ({
        id: reply.id,
        role: 'tutor',
        text: action.text,
        source: action.source,
        state: 'done',
        ...(reply.askId ? { askId: reply.askId } : {}),
      }));
    case 'failed':
      return updateReply(messages, action.replyId, (reply) => ({ ...reply, state: 'failed', error: action.error }));
    case 'trimmed':
      return trimmed(messages, action.keep);
  }
}

/** The newest `keep` messages, plus any older reply still streaming (its tokens have nowhere else to go). */
export function trimmed(messages: ChatMessage[], keep: number): ChatMessage[] {
  if (messages.length <= keep) return messages;
  const cut = messages.length - Math.max(0, keep);
  return messages.filter((message, index) => index >= cut || (message.role === 'tutor' && message.state === 'streaming'));
}

type TutorMessage = Extract<ChatMessage, { role: 'tutor' }>;

function updateReply(messages: ChatMessage[], id: string, update: (reply: TutorMessage) => TutorMessage): ChatMessage[] {
  return messages.map((message) => (message.id === id && message.role === 'tutor' ? update(message) : message));
}

/** What the student is told about a reply that did not come live from the tutor; null when live. */
export function sourceLabel(source: ReplySource): string | null {
  switch (source) {
    case 'live':
      return null;
    case 'cache':
      return 'saved answer';
    case 'simplified':
      return 'simplified tutor';
    case 'local-hint':
      return 'offline hint';
  }
}

/** A fresh ask id (idempotency key). `crypto.randomUUID` exists only in secure contexts, hence the fallback. */
export function newAskId(): string {
  const crypto = globalThis.crypto as { randomUUID?: () => string } | undefined;
  return typeof crypto?.randomUUID === 'function' ? crypto.randomUUID() : `ask-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
