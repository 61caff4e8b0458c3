import { useEffect, useId, useReducer, useRef, useState, type FormEvent } from 'react';
import { useOptionalRuntime } from '../../react/useOptionalRuntime';
import { chatReducer, newAskId, trimmed } from '../chat/chatModel';
import type { TutorReply } from '../services/types';
import { describeError } from '../errors/describeError';
import { useUnsavedWork } from '../serviceWorker/unsavedWork';
import { useServices } from '../services/ServicesContext';
import { useVoiceReplies } from '../voice/useVoiceReplies';
import { VOICE_UNAVAILABLE_TEXT } from '../voice/voiceChain';
import { VoiceSwitch } from '../voice/VoiceSwitch';
import { ChatMessageView } from './ChatMessageView';
import { useLessonCheckpointHandle } from '../resilience/lessonCheckpointContext';
import { useCheckpointedChat } from '../hooks/useCheckpointedChat';

/** Messages a conversation keeps when the runtime frees memory (the rest of the history goes). */
const CHAT_KEEP_UNDER_PRESSURE = 20;

/** Roughly what the messages' text costs (UTF-16: 2 bytes a character). */
function textBytes(messages: readonly { text: string }[]): number {
  return messages.reduce((sum, message) => sum + message.text.length * 2, 0);
}

/** Chat with the tutor about the current lesson; replies stream in as the tutor writes them. */
export function TutorChat({ lessonId }: { lessonId: string }) {
  const { tutor } = useServices();
  const checkpoint = useLessonCheckpointHandle();
  const [messages, dispatch] = useReducer(chatReducer, checkpoint?.initial.chat ?? [], (initial) => [...initial]);
  const [draft, setDraft] = useState('');
  const nextId = useRef(checkpoint?.initial.chat.length ?? 0);
  const inputId = useId();
  const headingId = useId();
  const logRef = useRef<HTMLDivElement>(null);
  const voice = useVoiceReplies();
  // The conversation lives in memory only: a reload would lose it, as it would a typed question.
  useUnsavedWork(draft.trim() !== '' || messages.length > 0);

  // Under memory pressure (the runtime's memory clean-up) the conversation keeps only its newest messages.
  const runtime = useOptionalRuntime();
  const messagesRef = useRef(messages);
  useEffect(() => {
    messagesRef.current = messages;
  }, [messages]);
  useEffect(() => {
    if (!runtime) return;
    return runtime.evictors.register('chatHistory', () => {
      const before = messagesRef.current;
      const after = trimmed(before, CHAT_KEEP_UNDER_PRESSURE);
      if (after === before) return { entries: 0 };
      dispatch({ type: 'trimmed', keep: CHAT_KEEP_UNDER_PRESSURE });
      return { entries: before.length - after.length, bytes: textBytes(before) - textBytes(after) };
    });
  }, [runtime]);

  // Keep the newest words in view as the reply streams in.
  useEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [messages]);

  const follow = (replyId: string, asked: Promise<TutorReply>) =>
    asked.then(
      (reply) => {
        dispatch({ type: 'replied', replyId, text: reply.text, source: reply.source });
        voice.speak(replyId, reply.text);
      },
      (error: unknown) => dispatch({ type: 'failed', replyId, error: describeError(error) }),
    );

  // Restored conversation: saved as it changes, and a reply cut off by the reload re-asked by its id.
  useCheckpointedChat(checkpoint, messages, (replyId, question, askId) => follow(replyId, tutor.ask(lessonId, question, (token) => dispatch({ type: 'token', replyId, text: token }), { id: askId })));

  const send = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (text === '') return;
    const n = nextId.current++;
    const replyId = `reply-${n}`;
    const askId = newAskId();
    dispatch({ type: 'asked', questionId: `question-${n}`, replyId, text, askId });
    setDraft('');
    void follow(replyId, tutor.ask(lessonId, text, (token) => dispatch({ type: 'token', replyId, text: token }), { id: askId }));
  };

  return (
    <aside className="card tutor-chat" aria-labelledby={headingId}>
      <h2 id={headingId}>Tutor</h2>
      <VoiceSwitch voice={voice} />
      {messages.length === 0 && <p className="muted">Stuck? Ask anything about this lesson.</p>}
      {/* Focusable so a keyboard can scroll a long conversation (axe scrollable-region-focusable). */}
      <div ref={logRef} role="log" aria-live="polite" aria-label="Conversation with the tutor" className="chat-log" tabIndex={0}>
        <ul>
          {messages.map((message) => (
            <ChatMessageView key={message.id} message={message} note={voice.textOnly.has(message.id) ? VOICE_UNAVAILABLE_TEXT : undefined} />
          ))}
        </ul>
      </div>
      <form onSubmit={send} className="chat-form">
        <label htmlFor={inputId}>Ask the tutor</label>
        <div className="field-row">
          <input
            id={inputId}
            type="text"
            autoComplete="off"
            maxLength={2000}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit">Send</button>
        </div>
      </form>
    </aside>
  );
}
