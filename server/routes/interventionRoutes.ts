import type { Authenticator } from '../auth/authenticator';
import type { InterventionStore, ReportedIntervention } from '../db/interventionStore';
import { isPlainObject, readJson } from '../http/body';
import { badRequest } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';

const KINDS = new Set(['outboxRejected', 'outboxRetention', 'recoveryFailed', 'checkpointCorrupt', 'quarantined']);
const STATUSES = new Set(['open', 'retrying', 'resolved', 'discarded']);
const text = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;
const count = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A reported item, checked field by field; anything beyond the redacted preview is refused, not stored. */
export function validateReport(body: unknown): ReportedIntervention {
  const fail = (what: string) => badRequest('INVALID_INTERVENTION', `The intervention report ${what}.`);
  if (!isPlainObject(body)) throw fail('must be a JSON object');
  const { id, version, kind, reasonCode, status, firstSeenAt, lastSeenAt, attempts, lastError, idempotencyKey, preview, links, discardReason } = body;
  const known = new Set(['id', 'version', 'kind', 'reasonCode', 'status', 'firstSeenAt', 'lastSeenAt', 'attempts', 'lastError', 'idempotencyKey', 'preview', 'links', 'discardReason', 'user']);
  const extra = Object.keys(body).find((key) => !known.has(key));
  if (extra !== undefined) throw fail(`has an unknown field "${extra}"`);
  if (!text(id, 300) || !count(version) || version < 1) throw fail('needs an id and a version ≥ 1');
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw fail(`has an unknown kind`);
  if (typeof status !== 'string' || !STATUSES.has(status)) throw fail('has an unknown status');
  if (!text(reasonCode, 100) || !count(firstSeenAt) || !count(lastSeenAt) || !count(attempts)) throw fail('needs reasonCode, firstSeenAt, lastSeenAt and attempts');
  if (!isPlainObject(links) || !Object.values(links).every((value) => text(value, 300))) throw fail('needs links of strings');
  if (lastError !== undefined && (!isPlainObject(lastError) || !text(lastError.code, 100) || typeof lastError.message !== 'string' || lastError.message.length > 500)) throw fail('has an invalid lastError');
  for (const [name, value, max] of [['idempotencyKey', idempotencyKey, 128], ['preview', preview, 240], ['discardReason', discardReason, 500]] as const) {
    if (value !== undefined && !text(value, max)) throw fail(`has an invalid ${name}`);
  }
  return {
    id, version, kind, reasonCode, status, firstSeenAt, lastSeenAt, attempts,
    links: links as Record<string, string>,
    ...(lastError === undefined ? {} : { lastError: lastError as ReportedIntervention['lastError'] & object }),
    ...(idempotencyKey === undefined ? {} : { idempotencyKey: idempotencyKey as string }),
    ...(preview === undefined ? {} : { preview: preview as string }),
    ...(discardReason === undefined ? {} : { discardReason: discardReason as string }),
  };
}

/**
 * POST /api/interventions: a client reports an item (or a later state of it) for the session's student;
 * idempotent by (item id, version). GET /api/interventions/commands?after=<seq>: what admins decided for this
 * student's items since the browser last asked.
 */
export function interventionRoutes(store: InterventionStore, auth: Authenticator): Route[] {
  return [
    {
      method: 'POST',
      path: /^\/api\/interventions$/,
      async handle({ req }) {
        const student = auth.requireStudent(req);
        const item = validateReport(await readJson(req));
        const { stored } = store.report(student, item);
        return json(200, { id: item.id, version: item.version, stored });
      },
    },
    {
      method: 'GET',
      path: /^\/api\/interventions\/commands$/,
      handle({ req, url }) {
        const student = auth.requireStudent(req);
        const after = Number(url.searchParams.get('after') ?? '0');
        if (!Number.isSafeInteger(after) || after < 0) throw badRequest('INVALID_QUERY', 'after must be a non-negative integer.');
        return json(200, { commands: store.commands(student, after) });
      },
    },
  ];
}
