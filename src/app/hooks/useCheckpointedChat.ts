import { useEffect, useRef } from 'react';
import type { ChatMessage } from '../chat/chatModel';
import { questionFor } from '../resilience/lessonCheckpoint';
import type { LessonCheckpointHandle } from '../resilience/lessonCheckpointContext';

/**
 * The tutor conversation inside the lesson's checkpoints: each change is reported (debounced there), and a
 * reply that was still streaming when the page went is asked again once, by the ask id it was first asked
 * with, so the socket answers it instead of starting a second reply.
 */
export function useCheckpointedChat(
  checkpoint: LessonCheckpointHandle | null,
  messages: readonly ChatMessage[],
  reask: (replyId: string, question: string, askId: string) => void,
): void {
  useEffect(() => {
    checkpoint?.chatChanged(messages);
  }, [checkpoint, messages]);

  const reasked = useRef(false);
  const reaskRef = useRef(reask);
  useEffect(() => void (reaskRef.current = reask));
  const initial = checkpoint?.initial.chat;
  useEffect(() => {
    // Once per mount of the restored chat (a ref, so StrictMode's second effect run does not ask twice).
    if (reasked.current || !initial) return;
    reasked.current = true;
    for (const message of initial) {
      if (message.role !== 'tutor' || message.state !== 'streaming' || !message.askId) continue;
      const question = questionFor(initial, message.id);
      if (question !== undefined) reaskRef.current(message.id, question, message.askId);
    }
  }, [initial]);
}
