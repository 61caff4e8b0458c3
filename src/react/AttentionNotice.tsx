import { useOutbox } from './hooks';
import { NEEDS_ATTENTION_ID } from './InterventionList';

/**
 * A non-modal notice that some of the student's own saved work needs them: the server refused it, or it waited
 * past retention. It says what happened and that the work is kept (on this device when storage is durable, in
 * this tab otherwise), and links to "Needs your attention". The polite live region is always rendered, so the
 * notice (a role=status inside it, only while there is one: the empty page keeps the connection banner as its
 * one status) is announced when it appears; it goes once every such entry was retried or discarded.
 */
export function AttentionNotice() {
  const { interventions, durable } = useOutbox();
  const refused = interventions.filter((record) => record.reason === 'rejected').length;
  const waited = interventions.length - refused;
  const kept = durable ? 'kept on this device' : 'kept in this tab until you close it';
  const parts = [
    refused > 0 ? `The server did not accept ${refused === 1 ? 'one of your saved answers' : `${refused} of your saved answers`}.` : '',
    waited > 0 ? `${waited === 1 ? 'One saved answer' : `${waited} saved answers`} could not sync for a long time.` : '',
  ].filter(Boolean);
  return (
    <div className="attention-notice" aria-live="polite">
      {interventions.length > 0 && (
        <p className="card" role="status">
          {parts.join(' ')} {interventions.length === 1 ? 'It is' : 'They are'} {kept}: see{' '}
          <a href={`#${NEEDS_ATTENTION_ID}`}>Needs your attention</a> to retry or discard {interventions.length === 1 ? 'it' : 'them'}.
        </p>
      )}
    </div>
  );
}
