import { lazy, Suspense, useState } from 'react';
import { useOptionalRuntime } from '../../react/useOptionalRuntime';
import { recoverFromChunkError } from '../resilience/chunkRecovery';
import { browserPage } from '../resilience/tutorSocketSetup';
import { ChunkBoundary } from './ChunkBoundary';

const loadTutorChat = () => import('./TutorChat').then((module) => ({ default: module.TutorChat }));

/**
 * The tutor chat, loaded on demand in its own chunk: after a deploy that chunk can be gone, which the chunk
 * boundary turns into one guarded reload (self-healing) or, if that already happened, plain words.
 */
export function LazyTutorChat({ lessonId }: { lessonId: string }) {
  const runtime = useOptionalRuntime();
  // A lazy component remembers a failed import, so "Try again" needs a new one (and a fresh boundary).
  const [chat, setChat] = useState(() => ({ attempt: 0, TutorChat: lazy(loadTutorChat) }));
  const recover = (error: unknown) =>
    recoverFromChunkError(error, {
      healing: runtime?.healing ?? null,
      sessionStorage: browserPage().sessionStorage,
      pageStartedAt: performance.timeOrigin,
    });
  const retry = () => setChat((current) => ({ attempt: current.attempt + 1, TutorChat: lazy(loadTutorChat) }));
  const { TutorChat } = chat;
  return (
    <ChunkBoundary key={chat.attempt} what="The tutor" recover={recover} onRetry={retry}>
      <Suspense fallback={<p className="card muted">Loading the tutor…</p>}>
        <TutorChat lessonId={lessonId} />
      </Suspense>
    </ChunkBoundary>
  );
}
