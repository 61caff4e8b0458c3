import { useEffect, useMemo, useRef, useState } from 'react';
import type { ResilienceRuntime, ResumeResult, Workflow } from '../../resilience';
import type { ChatMessage } from '../chat/chatModel';
import { EMPTY_LESSON_RUN, lessonWorkflow, type LessonRunState } from '../resilience/lessonCheckpoint';
import type { LessonCheckpointHandle } from '../resilience/lessonCheckpointContext';

/** What the page tells the student about where it started (each shown once, for the boot it happened in). */
export type ResumeNotice = 'resumed' | 'resumedOlder' | 'damaged' | 'crashLoop' | 'startedOver';

export type LessonCheckpointState =
  | { status: 'loading' }
  | { status: 'ready'; handle: LessonCheckpointHandle; notice: ResumeNotice | null; generation: number; startOver(): void };


/**
 * The lesson run as a checkpointed workflow: resumes the student's last checkpoint for this lesson before the
 * exercises mount, saves a step checkpoint when an exercise is solved and debounced ones as drafts, hints
 * and the conversation change, and confirms the restore once the page rendered (the crash-loop guard).
 * Without a runtime (or with the flag off) the page simply starts empty.
 */
export function useLessonCheckpoint(runtime: ResilienceRuntime | null, lessonId: string, exerciseCount: number, restoreThrows = false): LessonCheckpointState {
  const [ready, setReady] = useState<{ lessonId: string; initial: LessonRunState; notice: ResumeNotice | null; generation: number } | null>(null);
  const [current, setCurrent] = useState(0);
  const workflow = useRef<Workflow<LessonRunState> | null>(null);
  const state = useRef<LessonRunState>(EMPTY_LESSON_RUN);
  const count = useRef(exerciseCount);
  useEffect(() => void (count.current = exerciseCount), [exerciseCount]);

  useEffect(() => {
    let active = true;
    const run = runtime?.checkpoints.workflow(lessonWorkflow(lessonId)) ?? null;
    workflow.current = run;
    const start = (result: ResumeResult<LessonRunState>) => {
      if (!active) return;
      const initial = result.status === 'resumed' ? prepareRestored(result.checkpoint.state) : EMPTY_LESSON_RUN;
      state.current = initial;
      setCurrent(initial.current);
      setReady({ lessonId, initial, notice: noticeFor(result), generation: 0 });
    };
    if (run) void run.resume().then(start);
    else start({ status: 'fresh', reason: 'off' });
    return () => {
      active = false;
      workflow.current = null;
      if (run) void run.flush().finally(() => run.dispose());
    };
  }, [runtime, lessonId]);

  const isReady = ready !== null && ready.lessonId === lessonId;
  // The restored page rendered: this checkpoint did not crash the app.
  useEffect(() => {
    if (isReady) workflow.current?.confirmResumed();
  }, [isReady]);

  const handle = useMemo<LessonCheckpointHandle>(() => {
    const change = (next: LessonRunState) => {
      state.current = next;
      setCurrent(next.current);
      workflow.current?.update(next.current, next);
    };
    return {
      initial: ready?.initial ?? EMPTY_LESSON_RUN,
      current,
      draftChanged: (index, exerciseId, text) => change({ ...state.current, current: index, drafts: { ...state.current.drafts, [exerciseId]: text } }),
      hintsChanged: (index, exerciseId, shown) => change({ ...state.current, current: index, hintsShown: { ...state.current.hintsShown, [exerciseId]: shown } }),
      stepCompleted(index) {
        const next = { ...state.current, current: Math.min(index + 1, Math.max(0, count.current - 1)) };
        state.current = next;
        setCurrent(next.current);
        void workflow.current?.completeStep(next.current, next);
      },
      chatChanged: (messages: readonly ChatMessage[]) => {
        if (messages === state.current.chat) return;
        change({ ...state.current, chat: messages });
      },
    };
  }, [ready, current]);

  if (!isReady) return { status: 'loading' };
  if (restoreThrows && (ready.notice === 'resumed' || ready.notice === 'resumedOlder')) {
    throw new Error('Applying the restored lesson checkpoint failed (developer setting tutor.dev.checkpointRestoreThrows)');
  }
  return {
    status: 'ready',
    handle,
    notice: ready.notice,
    generation: ready.generation,
    startOver() {
      const run = workflow.current;
      state.current = EMPTY_LESSON_RUN;
      setCurrent(0);
      setReady((previous) => ({ lessonId, initial: EMPTY_LESSON_RUN, notice: 'startedOver', generation: (previous?.generation ?? 0) + 1 }));
      void run?.startOver(EMPTY_LESSON_RUN);
    },
  };
}

function noticeFor(result: ResumeResult<LessonRunState>): ResumeNotice | null {
  switch (result.status) {
    case 'resumed':
      if (result.quarantined > 0) return 'resumedOlder';
      return hasProgress(result.checkpoint.state) ? 'resumed' : null;
    case 'skipped':
      return 'crashLoop';
    case 'fresh':
      return result.reason === 'noneValid' ? 'damaged' : null;
  }
}

function hasProgress(state: LessonRunState): boolean {
  return state.current > 0 || state.chat.length > 0 || Object.values(state.drafts).some((draft) => draft !== '') || Object.values(state.hintsShown).some((n) => n > 0);
}

/** A reply that was streaming when the page went is re-asked by its ask id (its text comes again from the start). */
function prepareRestored(restored: LessonRunState): LessonRunState {
  const chat = restored.chat.map((message): ChatMessage => {
    if (message.role !== 'tutor' || message.state !== 'streaming') return message;
    if (message.askId) return { ...message, text: '' };
    return { id: message.id, role: 'tutor', text: message.text, source: message.source, state: 'failed', error: 'This reply was cut off. Ask again.' };
  });
  return { ...restored, chat };
}
