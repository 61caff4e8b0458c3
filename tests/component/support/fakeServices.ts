/**
 * An in-memory, deterministic TutorServices for component tests. Tests steer it like a server they
 * control: hold submissions in flight, make the next one fail, and stream tutor tokens one by one.
 */
import type { AnswerRequest, Lesson, Progress } from '../../../src/protocol/api';
import { ResilienceError } from '../../../src/resilience';
import type { AnswerResult, Loaded, ReplySource, TutorReply, TutorServices } from '../../../src/app/services/types';

export const fractions: Lesson = {
  id: 'fractions',
  title: 'Fractions',
  summary: 'Halves, quarters and how to add them.',
  exerciseCount: 2,
  introduction: 'A fraction is a part of a whole.',
  exercises: [
    { id: 'f1', prompt: 'What is 1/4 + 1/4?', hints: ['Both parts are quarters.', 'Two quarters make a half.'] },
    { id: 'f2', prompt: 'What is 1/2 of 10?', hints: ['Split 10 into two equal parts.'] },
  ],
};

export const decimals: Lesson = {
  id: 'decimals',
  title: 'Decimals',
  summary: 'Tenths and hundredths.',
  exerciseCount: 1,
  introduction: 'Decimals are fractions written with a point.',
  exercises: [{ id: 'd1', prompt: 'Write one tenth as a decimal.', hints: [] }],
};

const correctAnswers: Record<string, string> = { f1: '1/2', f2: '5', d1: '0.1' };

export interface AskInFlight {
  lessonId: string;
  text: string;
  stream(token: string): void;
  finish(source?: ReplySource, text?: string): void;
  fail(error: unknown): void;
}

export function createFakeServices(options: { completed?: string[] } = {}) {
  const submitted: AnswerRequest[] = [];
  const asks: AskInFlight[] = [];
  let held: Promise<void> | null = null;
  let nextFailure: unknown = null;
  let closed = 0;

  const services: TutorServices = {
    lessons: {
      list: async () => ({ value: [fractions, decimals].map(({ id, title, summary, exerciseCount }) => ({ id, title, summary, exerciseCount })) }),
      get: async (id) => {
        const lesson = [fractions, decimals].find((candidate) => candidate.id === id);
        if (!lesson) throw new ResilienceError('HTTP_4XX', 'lesson not found', { status: 404 });
        return { value: lesson };
      },
    },
    answers: {
      submit: async (request): Promise<AnswerResult> => {
        submitted.push(request);
        if (held) await held;
        if (nextFailure !== null) {
          const failure = nextFailure;
          nextFailure = null;
          throw failure;
        }
        const correct = correctAnswers[request.exerciseId] === request.answer;
        const feedback = correct ? 'Well done.' : 'Check the size of each part.';
        return { status: 'checked', correct, feedback, attemptId: `attempt-${submitted.length}` };
      },
    },
    progress: {
      get: async (): Promise<Loaded<Progress>> => ({
        value: {
          student: 'ada',
          lessons: { fractions: { completed: options.completed ?? [], attempts: 0 } },
          updatedAt: '2025-01-01T00:00:00.000Z',
        },
      }),
    },
    tutor: {
      ask: (lessonId, text, onToken) =>
        new Promise<TutorReply>((resolve, reject) => {
          let reply = '';
          asks.push({
            lessonId,
            text,
            stream: (token) => {
              reply += token;
              onToken(token);
            },
            finish: (source = 'live', whole = reply) => resolve({ replyTo: `ask-${asks.length}`, text: whole, source }),
            fail: reject,
          });
        }),
      close: () => {
        closed += 1;
      },
    },
  };

  const control = {
    submitted,
    asks,
    /** Keeps every submission in flight until the returned function is called. */
    holdSubmits(): () => void {
      let release = () => {};
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = null;
        release();
      };
    },
    failNextSubmit(error: unknown) {
      nextFailure = error;
    },
    get closedCount() {
      return closed;
    },
  };
  return { services, control };
}
