import { createContext, useContext } from 'react';
import type { ChatMessage } from '../chat/chatModel';
import type { LessonRunState } from './lessonCheckpoint';

/** What the lesson page's parts read back from a checkpoint and report into the next one. */
export interface LessonCheckpointHandle {
  /** The state the page started from (a restored checkpoint, or empty). */
  readonly initial: LessonRunState;
  /** Index of the exercise the student is on. */
  readonly current: number;
  draftChanged(index: number, exerciseId: string, text: string): void;
  hintsChanged(index: number, exerciseId: string, shown: number): void;
  /** An exercise was answered correctly: a step checkpoint, and the student moves to the next one. */
  stepCompleted(index: number): void;
  chatChanged(messages: readonly ChatMessage[]): void;
}

export const LessonCheckpointContext = createContext<LessonCheckpointHandle | null>(null);

/** The lesson's checkpoint handle, or null outside a lesson page (or without a runtime). */
export function useLessonCheckpointHandle(): LessonCheckpointHandle | null {
  return useContext(LessonCheckpointContext);
}
