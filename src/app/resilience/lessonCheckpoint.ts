import type { WorkflowDefinition } from '../../resilience';
import type { ChatMessage } from '../chat/chatModel';
import { isPlainObject } from '../../protocol/isPlainObject';

/**
 * What a lesson run keeps in its checkpoints (schema version 1): the exercise the student is on, the typed
 * answers, how many hints each exercise shows, and the tutor conversation. The step of a checkpoint is
 * `current` (the index of that exercise).
 */
export interface LessonRunState {
  current: number;
  drafts: Readonly<Record<string, string>>;
  hintsShown: Readonly<Record<string, number>>;
  chat: readonly ChatMessage[];
}

export const EMPTY_LESSON_RUN: LessonRunState = { current: 0, drafts: {}, hintsShown: {}, chat: [] };

/** The workflow of one lesson for the signed-in student (the runtime namespaces it per student). */
export function lessonWorkflow(lessonId: string): WorkflowDefinition<LessonRunState> {
  return { id: `lesson:${lessonId}`, version: 1, parse: parseLessonRun };
}

/** Stored data is untrusted: every field is checked, and anything unexpected refuses the whole checkpoint. */
export function parseLessonRun(value: unknown): LessonRunState {
  if (!isPlainObject(value)) throw new TypeError('lesson run: not an object');
  const { current, drafts, hintsShown, chat } = value;
  if (typeof current !== 'number' || !Number.isInteger(current) || current < 0) throw new TypeError('lesson run: bad current');
  if (!isPlainObject(drafts) || !Object.values(drafts).every((draft) => typeof draft === 'string')) throw new TypeError('lesson run: bad drafts');
  if (!isPlainObject(hintsShown) || !Object.values(hintsShown).every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) throw new TypeError('lesson run: bad hints');
  if (!Array.isArray(chat) || !chat.every(isChatMessage)) throw new TypeError('lesson run: bad chat');
  return { current, drafts: drafts as Record<string, string>, hintsShown: hintsShown as Record<string, number>, chat: chat as ChatMessage[] };
}

const SOURCES = new Set(['live', 'cache', 'simplified', 'local-hint']);

function isChatMessage(value: unknown): boolean {
  if (!isPlainObject(value) || typeof value.id !== 'string' || typeof value.text !== 'string') return false;
  if (value.role === 'student') return true;
  if (value.role !== 'tutor' || !SOURCES.has(value.source as string)) return false;
  if (value.askId !== undefined && typeof value.askId !== 'string') return false;
  return value.state === 'streaming' || value.state === 'done' || (value.state === 'failed' && typeof value.error === 'string');
}

/** The student message a tutor reply answers (the one just before it). */
export function questionFor(chat: readonly ChatMessage[], replyId: string): string | undefined {
  const index = chat.findIndex((message) => message.id === replyId);
  const question = index > 0 ? chat[index - 1] : undefined;
  return question?.role === 'student' ? question.text : undefined;
}
