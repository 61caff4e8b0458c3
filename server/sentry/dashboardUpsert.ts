import type { Dashboard } from './dashboards';

export interface UpsertTarget {
  /** e.g. https://sentry.io or a self-hosted Sentry's origin. */
  readonly baseUrl: string;
  readonly org: string;
  readonly token: string;
  readonly fetch?: typeof fetch;
}

export interface UpsertOutcome {
  readonly title: string;
  readonly action: 'created' | 'updated';
  readonly id: string;
}

/**
 * Creates each dashboard, or updates the existing one with the same title (idempotent: running it twice
 * changes nothing the second time but the dashboards' content). Throws on the first HTTP failure with the
 * status and Sentry's answer.
 */
export async function upsertDashboards(dashboards: readonly Dashboard[], target: UpsertTarget): Promise<UpsertOutcome[]> {
  const request = target.fetch ?? fetch;
  const base = `${target.baseUrl.replace(/\/+$/, '')}/api/0/organizations/${encodeURIComponent(target.org)}/dashboards/`;
  const headers = { Authorization: `Bearer ${target.token}`, 'Content-Type': 'application/json' };
  const call = async (url: string, init: RequestInit = {}): Promise<{ body: unknown; link: string | null }> => {
    const response = await request(url, { ...init, headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
    return { body: text === '' ? null : (JSON.parse(text) as unknown), link: response.headers.get('link') };
  };

  // Existing dashboards by title, following Sentry's cursor pagination (Link: <…>; rel="next"; results="true").
  const existing = new Map<string, string>();
  for (let url: string | null = `${base}?per_page=100`; url; ) {
    const page = await call(url);
    for (const entry of (page.body as Array<{ id: string; title: string }>) ?? []) existing.set(entry.title, String(entry.id));
    const next = /<([^>]+)>;\s*rel="next";\s*results="true"/.exec(page.link ?? '');
    url = next ? (next[1] as string) : null;
  }

  const outcomes: UpsertOutcome[] = [];
  for (const dashboard of dashboards) {
    const id = existing.get(dashboard.title);
    if (id) {
      await call(`${base}${encodeURIComponent(id)}/`, { method: 'PUT', body: JSON.stringify({ ...dashboard, id }) });
      outcomes.push({ title: dashboard.title, action: 'updated', id });
    } else {
      const created = await call(base, { method: 'POST', body: JSON.stringify(dashboard) });
      const newId = String((created.body as { id?: unknown } | null)?.id ?? '');
      existing.set(dashboard.title, newId);
      outcomes.push({ title: dashboard.title, action: 'created', id: newId });
    }
  }
  return outcomes;
}
