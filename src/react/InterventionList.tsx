import { useId, useState } from 'react';
import type { OutboxEntry, OutboxIntervention } from '../resilience';
import { useOutbox, useRuntime } from './hooks';

/** The id of the "Needs your attention" section, which the attention notice links to. */
export const NEEDS_ATTENTION_ID = 'needs-your-attention';

export interface InterventionListProps {
  /** What the entry was, in the student's words (e.g. "Your answer “1/2” to Fractions, exercise 1"). */
  describeEntry?: (entry: OutboxEntry) => string;
}

/**
 * "Needs your attention": saved work the server refused or that waited past retention, each with
 * the reason in plain words and "Retry" (same Idempotency-Key, back in its queue) or "Discard". Hidden when empty.
 */
export function InterventionList({ describeEntry = describeRequest }: InterventionListProps) {
  const { interventions } = useOutbox();
  const headingId = useId();
  if (interventions.length === 0) return null;
  return (
    <section className="card interventions" id={NEEDS_ATTENTION_ID} aria-labelledby={headingId} tabIndex={-1}>
      <h2 id={headingId}>Needs your attention</h2>
      <ul>
        {interventions.map((record) => (
          <InterventionItem key={record.entry.id} record={record} describeEntry={describeEntry} />
        ))}
      </ul>
    </section>
  );
}

function InterventionItem({ record, describeEntry }: { record: OutboxIntervention; describeEntry: (entry: OutboxEntry) => string }) {
  const runtime = useRuntime();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const act = (action: (id: string) => Promise<void>, failed: string) => {
    setBusy(true);
    setProblem(null);
    action(record.entry.id).then(
      () => setBusy(false),
      () => {
        setBusy(false);
        setProblem(failed);
      },
    );
  };
  return (
    <li>
      <p>
        <strong>{describeEntry(record.entry)}</strong> {describeReason(record)}
      </p>
      <div className="field-row">
        <button type="button" disabled={busy} onClick={() => act((id) => runtime.outbox.retry(id), 'It could not be put back in the queue. Please try again.')}>
          Retry
        </button>
        <button type="button" className="button-quiet" disabled={busy} onClick={() => act((id) => runtime.outbox.discard(id), 'It could not be discarded. Please try again.')}>
          Discard
        </button>
      </div>
      {problem && (
        <p role="alert" className="field-error">
          {problem}
        </p>
      )}
    </li>
  );
}

/** Why the entry needs a person, without codes or jargon. */
export function describeReason(record: OutboxIntervention): string {
  if (record.reason === 'retention') return 'It waited more than 7 days without syncing, so it was not sent on its own.';
  const status = record.error?.status;
  if (status === 404) return 'The server no longer knows what it refers to.';
  if (status === 401 || status === 403) return 'The server could not confirm who you are.';
  if (status === 413) return 'It is too large for the server.';
  if (status === 422) return 'The server did not accept it.';
  return 'The server refused it.';
}

function describeRequest(entry: OutboxEntry): string {
  return `Saved change (${entry.request.method} ${entry.request.path})`;
}
