import { sourceLabel, type ChatMessage } from '../chat/chatModel';

/** One line of the conversation; a reply still streaming is aria-busy so it is read once complete. */
export function ChatMessageView({ message }: { message: ChatMessage }) {
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
    </li>
  );
}
