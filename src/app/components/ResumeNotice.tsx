import type { ResumeNotice as Notice } from '../hooks/useLessonCheckpoint';

const WORDS: Record<Notice, string> = {
  resumed: 'Picked up where you left off.',
  resumedOlder: 'Picked up where you left off. Your very latest changes could not be restored.',
  damaged: 'Your saved place in this lesson was damaged, so the lesson starts from the beginning.',
  crashLoop: 'Restoring your saved place in this lesson failed twice, so the lesson starts fresh this time.',
  startedOver: 'Started this lesson over. Answers you already sent stay counted.',
};

/** Where the lesson page started from, and the way back to its first exercise. */
export function ResumeNotice({ notice, onStartOver }: { notice: Notice | null; onStartOver: () => void }) {
  return (
    <div className="resume-notice">
      <p role="status" className="muted">
        {notice ? WORDS[notice] : ''}
      </p>
      <button type="button" className="button-quiet" onClick={onStartOver}>
        Start this lesson over
      </button>
    </div>
  );
}
