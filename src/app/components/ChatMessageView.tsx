import { sourceLabel, type ChatMessage } from '../chat/chatModel';

/**
 * One line of the conversation; a reply still streaming is aria-busy so it is read once complete. `note` is a
 * small remark on a reply (e.g. it could not be read aloud).
 */
export function ChatMessageView({ message, note }: { message: ChatMessage; note?: string | undefined }) {
  if (message.role === 'student') {
    return (
      <li className="chat-message chat-student">
        <span className="chat-author">You:</span> {message.text}
      </li>
    );
  }
  const label = sourceLabel(message.source);
  return (
    <li className="chat-message chat-tutor" aria-busy={message.state === 'streaming'}>
      <span className="chat-author">Tutor:</span> {message.text}
      {message.state === 'streaming' && (
        <span className="typing" aria-hidden="true">
          {message.text === '' ? 'thinking…' : '…'}
        </span>
      )}
      {label && <span className="chat-source"> ({label})</span>}
      {message.state === 'failed' && <span className="chat-error">{message.error}</span>}
      {note && <span className="chat-note">{note}</span>}
    </li>
  );
}
