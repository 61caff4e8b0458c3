import type { StoredIntervention } from '../../server/db/interventionStore';
import type { RecoveryDashboard } from '../../server/recovery/recoveryDashboard';

export type { StoredIntervention, RecoveryDashboard };

export interface ItemFilter {
  status?: string;
  kind?: string;
  reason?: string;
  student?: string;
  minAgeMs?: number;
  search?: string;
}

export interface AuditEntry {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
}

export type AdminAction = 'retry' | 'discard' | 'resolve';

/** A refused call, with the server's stable code (401 ADMIN_UNAUTHORIZED, 409 BULK_CHANGED, …). */
export class AdminApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'AdminApiError';
  }
}

const query = (filter: ItemFilter, extra: Record<string, string | number> = {}) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filter, ...extra })) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
};

/** The admin API as the page uses it; the token travels only as a Bearer header, never in a URL. */
export function createAdminApi(token: string, actor: string) {
  async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (actor) headers['X-Admin-Actor'] = actor;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`/admin/api${path}`, { method: init.method ?? 'GET', headers, ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }) });
    const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    if (!response.ok) throw new AdminApiError(response.status, body.error?.code ?? 'HTTP_ERROR', body.error?.message ?? `The server answered ${response.status}.`);
    return body as T;
  }
  return {
    list: (filter: ItemFilter, page: { limit: number; offset: number }) => call<{ items: StoredIntervention[]; total: number }>(`/interventions${query(filter, page)}`),
    act: (item: StoredIntervention, action: AdminAction, reason?: string) =>
      call<StoredIntervention>(`/interventions/${encodeURIComponent(item.student)}/${encodeURIComponent(item.id)}/${action}`, { method: 'POST', body: reason ? { reason } : {} }),
    previewBulk: (action: AdminAction, filter: ItemFilter) => call<{ count: number; confirm: string }>(`/interventions/bulk/${action}${query(filter, { preview: 1 })}`, { method: 'POST', body: {} }),
    applyBulk: (action: AdminAction, filter: ItemFilter, preview: { count: number; confirm: string }, reason?: string) =>
      call<{ count: number }>(`/interventions/bulk/${action}${query(filter)}`, { method: 'POST', body: { confirm: preview.confirm, count: preview.count, ...(reason ? { reason } : {}) } }),
    audit: () => call<{ entries: AuditEntry[]; total: number }>('/audit?limit=50'),
    dashboard: () => call<RecoveryDashboard>('/dashboard'),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;
