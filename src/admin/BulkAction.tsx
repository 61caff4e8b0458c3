import { useState } from 'react';
import type { AdminAction, AdminApi, ItemFilter } from './adminApi';

/** A bulk action on the current filter: preview the count, then confirm exactly that (409 if it changed). */
export function BulkAction({ api, filter, onDone }: { api: AdminApi; filter: ItemFilter; onDone(message: string): void }) {
  const [action, setAction] = useState<AdminAction>('retry');
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<{ count: number; confirm: string }>();
  const [error, setError] = useState<string>();
  const fail = (caught: unknown) => setError(caught instanceof Error ? caught.message : String(caught));
  const askPreview = () => {
    setError(undefined);
    api.previewBulk(action, filter).then(setPreview, fail);
  };
  const apply = () => {
    if (!preview) return;
    api.applyBulk(action, filter, preview, reason.trim() || undefined).then((result) => {
      setPreview(undefined);
      setReason('');
      onDone(`Bulk ${action}: ${result.count} item${result.count === 1 ? '' : 's'} done.`);
    }, (caught: unknown) => {
      setPreview(undefined);
      fail(caught);
    });
  };
  return (
    <div className="bulk" role="group" aria-labelledby="bulk-heading">
      <h3 id="bulk-heading">Bulk action on the current filter</h3>
      <label>
        Bulk action to apply
        <select value={action} onChange={(event) => (setAction(event.target.value as AdminAction), setPreview(undefined))}>
          <option value="retry">Retry</option>
          <option value="discard">Discard</option>
          <option value="resolve">Resolve</option>
        </select>
      </label>
      {action === 'discard' && (
        <label>
          Bulk discard reason
          <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
        </label>
      )}
      <button type="button" onClick={askPreview} disabled={action === 'discard' && reason.trim() === ''}>Preview</button>
      <div role="status">
        {preview && (
          <p>
            This will {action} {preview.count} item{preview.count === 1 ? '' : 's'} matching the current filter.{' '}
            <button type="button" onClick={apply} disabled={preview.count === 0}>Confirm {action} of {preview.count}</button>{' '}
            <button type="button" onClick={() => setPreview(undefined)}>Cancel</button>
          </p>
        )}
        {error && <p className="error">{error}</p>}
      </div>
    </div>
  );
}
