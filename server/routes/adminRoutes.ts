import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { InterventionAction, InterventionFilter, InterventionStore, StoredIntervention } from '../db/interventionStore';
import { isPlainObject, readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';
import { buildRecoveryDashboard } from '../recovery/recoveryDashboard';

const ACTIONS = new Set<InterventionAction>(['retry', 'discard', 'resolve']);
const MAX_PAGE = 200;

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Bearer token check in constant time (both sides hashed to 32 bytes first, so lengths never differ). */
export function requireAdmin(req: IncomingMessage, token: string): string {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  if (!match || !timingSafeEqual(digest(match[1] ?? ''), digest(token))) {
    throw new HttpError(401, 'ADMIN_UNAUTHORIZED', 'The admin API needs Authorization: Bearer <ADMIN_TOKEN>.', { 'WWW-Authenticate': 'Bearer' });
  }
  const actor = req.headers['x-admin-actor'];
  return typeof actor === 'string' && /^[\w .@-]{1,100}$/.test(actor) ? actor : 'admin';
}

function parseFilter(url: URL): InterventionFilter {
  const q = url.searchParams;
  const filter: InterventionFilter = {};
  for (const name of ['status', 'kind', 'reason', 'student', 'search'] as const) {
    const value = q.get(name);
    if (value !== null && value !== '') filter[name] = value.slice(0, 200);
  }
  const age = q.get('minAgeMs');
  if (age !== null) {
    const ms = Number(age);
    if (!Number.isSafeInteger(ms) || ms < 0) throw badRequest('INVALID_QUERY', 'minAgeMs must be a non-negative integer.');
    filter.minAgeMs = ms;
  }
  return filter;
}

function parsePage(url: URL): { limit: number; offset: number } {
  const limit = Number(url.searchParams.get('limit') ?? '50');
  const offset = Number(url.searchParams.get('offset') ?? '0');
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE) throw badRequest('INVALID_QUERY', `limit must be 1 to ${MAX_PAGE}.`);
  if (!Number.isSafeInteger(offset) || offset < 0) throw badRequest('INVALID_QUERY', 'offset must be a non-negative integer.');
  return { limit, offset };
}

/** What a bulk confirmation is bound to: the action, the filter and exactly the items (and versions) it matched. */
function confirmationOf(action: string, filter: InterventionFilter, items: readonly StoredIntervention[]): string {
  const canonical = JSON.stringify([action, Object.entries(filter).sort(), items.map((item) => [item.student, item.id, item.version])]);
  return digest(canonical).toString('hex').slice(0, 32);
}

async function readReason(req: IncomingMessage, action: InterventionAction): Promise<{ reason?: string; body: Record<string, unknown> }> {
  const body = req.headers['content-length'] === '0' || req.headers['content-type'] === undefined ? {} : await readJson(req);
  if (!isPlainObject(body)) throw badRequest('INVALID_BODY', 'The body must be a JSON object.');
  const reason = typeof body.reason === 'string' ? body.reason.trim() : undefined;
  if (action === 'discard' && (reason === undefined || reason.length === 0 || reason.length > 500)) throw badRequest('REASON_REQUIRED', 'Discarding needs a reason (1 to 500 characters).');
  return { ...(reason ? { reason } : {}), body };
}

/**
 * The admin API (only mounted when ADMIN_TOKEN is set; docs/operations.md "Manual intervention queue and admin").
 * Every action is written to the audit log with who (X-Admin-Actor, default "admin") did what.
 */
export function adminRoutes(store: InterventionStore, token: string, now: () => number = () => Date.now()): Route[] {
  const decide = (actor: string, item: StoredIntervention, action: InterventionAction, reason: string | undefined) => {
    store.decide(item.student, item.id, action, reason);
    store.audit(actor, action, `${item.student}/${item.id}`, { version: item.version, ...(reason ? { reason } : {}) });
  };
  return [
    {
      method: 'GET',
      path: /^\/admin\/api\/interventions$/,
      handle({ req, url }) {
        requireAdmin(req, token);
        const page = parsePage(url);
        return json(200, { ...store.list(parseFilter(url), page), ...page });
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/api\/interventions\/bulk\/(retry|discard|resolve)$/,
      async handle({ req, url, params }) {
        const actor = requireAdmin(req, token);
        const action = params[0] as InterventionAction;
        const filter = parseFilter(url);
        const items = store.all(filter);
        const confirm = confirmationOf(action, filter, items);
        if (url.searchParams.get('preview') === '1') return json(200, { action, count: items.length, confirm, sample: items.slice(0, 10) });
        const { reason, body } = await readReason(req, action);
        if (body.confirm !== confirm || body.count !== items.length) {
          throw new HttpError(409, 'BULK_CHANGED', `The filter now matches ${items.length} items: preview again and confirm that.`);
        }
        for (const item of items) decide(actor, item, action, reason);
        store.audit(actor, `bulk.${action}`, 'filter', { filter, count: items.length });
        return json(200, { action, count: items.length });
      },
    },
    {
      method: 'POST',
      path: /^\/admin\/api\/interventions\/([^/]+)\/([^/]+)\/(retry|discard|resolve)$/,
      async handle({ req, params }) {
        const actor = requireAdmin(req, token);
        const [student = '', id = '', action = ''] = params.map((part) => decodeURIComponent(part));
        if (!ACTIONS.has(action as InterventionAction)) throw notFound();
        const item = store.find(student, id);
        if (!item) throw notFound(`No intervention ${student}/${id}.`);
        const { reason } = await readReason(req, action as InterventionAction);
        decide(actor, item, action as InterventionAction, reason);
        return json(200, store.find(student, id));
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/api\/dashboard$/,
      handle({ req, url }) {
        requireAdmin(req, token);
        const raw = url.searchParams.get('since');
        const since = raw === null || raw === '' ? 0 : Number(raw);
        if (!Number.isSafeInteger(since) || since < 0) throw badRequest('INVALID_QUERY', 'since must be a time in ms since the epoch.');
        return json(200, buildRecoveryDashboard(store.all({}).filter((item) => item.lastSeenAt >= since), now()));
      },
    },
    {
      method: 'GET',
      path: /^\/admin\/api\/audit$/,
      handle({ req, url }) {
        requireAdmin(req, token);
        return json(200, store.auditLog(parsePage(url)));
      },
    },
  ];
}
