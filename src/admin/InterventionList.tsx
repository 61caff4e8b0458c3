import { useEffect, useState, type FormEvent } from 'react';
import { AdminApiError, type AdminAction, type AdminApi, type ItemFilter, type StoredIntervention } from './adminApi';
import { BulkAction } from './BulkAction';

const PAGE = 20;
const KINDS = ['outboxRejected', 'outboxRetention', 'recoveryFailed', 'checkpointCorrupt', 'quarantined'];
const STATUSES = ['open', 'retrying', 'resolved', 'discarded'];

function filterFrom(form: HTMLFormElement): ItemFilter {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
  const minutes = Number(text('minAgeMinutes') ?? '0');
  const filter: ItemFilter = {};
  for (const name of ['status', 'kind', 'reason', 'student', 'search'] as const) {
    const value = text(name);
    if (value) filter[name] = value;
  }
  if (minutes > 0) filter.minAgeMs = Math.round(minutes * 60_000);
  return filter;
}

function ItemActions({ item, act }: { item: StoredIntervention; act(item: StoredIntervention, action: AdminAction, reason?: string): void }) {
  const [discarding, setDiscarding] = useState(false);
  const [reason, setReason] = useState('');
  const name = `${item.student}/${item.id}`;
  if (discarding) {
    return (
      <span>
        <label>
          Discard reason for {name}
          <input value={reason} onChange={(event) => setReason(event.target.value)} maxLength={500} />
        </label>
        <button type="button" disabled={reason.trim() === ''} onClick={() => act(item, 'discard', reason.trim())}>Confirm discard</button>
        <button type="button" onClick={() => setDiscarding(false)}>Cancel</button>
      </span>
    );
  }
  return (
    <span>
      <button type="button" aria-label={`Retry ${name}`} onClick={() => act(item, 'retry')}>Retry</button>{' '}
      <button type="button" aria-label={`Resolve ${name}`} onClick={() => act(item, 'resolve')}>Resolve</button>{' '}
      <button type="button" aria-label={`Discard ${name}`} onClick={() => setDiscarding(true)}>Discard…</button>
    </span>
  );
}

/** The items with filters, search and paging, one-item actions and the bulk action on the current filter. */
export function InterventionList({ api, onChanged, onUnauthorized }: { api: AdminApi; onChanged(): void; onUnauthorized(): void }) {
  const [filter, setFilter] = useState<ItemFilter>({});
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ items: StoredIntervention[]; total: number }>();
  const [message, setMessage] = useState('');
  const [revision, setRevision] = useState(0);
  useEffect(() => {
    let live = true;
    api.list(filter, { limit: PAGE, offset }).then(
      (next) => live && setPage(next),
      (caught: unknown) => {
        if (!live) return;
        if (caught instanceof AdminApiError && caught.status === 401) onUnauthorized();
        else setMessage(caught instanceof Error ? caught.message : String(caught));
      },
    );
    return () => {
      live = false;
    };
  }, [api, filter, offset, revision, onUnauthorized]);
  const done = (text: string) => {
    setMessage(text);
    setRevision((n) => n + 1);
    onChanged();
  };
  const act = (item: StoredIntervention, action: AdminAction, reason?: string) => {
    api.act(item, action, reason).then(
      () => done(`${action} of ${item.student}/${item.id} done.`),
      (caught: unknown) => setMessage(caught instanceof Error ? caught.message : String(caught)),
    );
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFilter(filterFrom(event.currentTarget));
    setOffset(0);
  };
  const shown = page ? `Showing ${page.items.length === 0 ? 0 : offset + 1}–${offset + page.items.length} of ${page.total} item${page.total === 1 ? '' : 's'}.` : 'Loading…';
  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter items">
        <label>Status<select name="status" defaultValue=""><option value="">any</option>{STATUSES.map((s) => <option key={s}>{s}</option>)}</select></label>
        <label>Kind<select name="kind" defaultValue=""><option value="">any</option>{KINDS.map((k) => <option key={k}>{k}</option>)}</select></label>
        <label>Reason code<input name="reason" /></label>
        <label>Student<input name="student" /></label>
        <label>Older than (minutes)<input name="minAgeMinutes" type="number" min={0} step="any" /></label>
        <label>Search<input name="search" type="search" /></label>
        <button type="submit">Apply filter</button>
      </form>
      <p role="status">{shown} {message}</p>
      <table aria-labelledby="items-heading">
        <thead>
          <tr><th scope="col">Student</th><th scope="col">Item</th><th scope="col">Kind / reason</th><th scope="col">Status</th><th scope="col">Last error</th><th scope="col">Last seen</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {page?.items.map((item) => (
            <tr key={`${item.student}/${item.id}`}>
              <td>{item.student}</td>
              <td><code>{item.id}</code>{item.preview && <><br /><code>{item.preview}</code></>}</td>
              <td>{item.kind}<br />{item.reasonCode}</td>
              <td>{item.status}{item.discardReason ? ` (${item.discardReason})` : ''}</td>
              <td>{item.lastError ? `${item.lastError.code}${item.lastError.status ? ` ${item.lastError.status}` : ''}: ${item.lastError.message}` : '—'}</td>
              <td>{new Date(item.lastSeenAt).toISOString().replace('T', ' ').slice(0, 16)} ({item.attempts}×)</td>
              <td><ItemActions item={item} act={act} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <nav aria-label="Pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous page</button>{' '}
        <button type="button" disabled={!page || offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Next page</button>
      </nav>
      <BulkAction api={api} filter={filter} onDone={done} />
    </section>
  );
}
