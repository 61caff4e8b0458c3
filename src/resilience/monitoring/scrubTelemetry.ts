import { isRedactedKey, scrubData, type ScrubRules } from './scrubData';
import { scrubUrl } from './scrubText';

/**
 * Scrubbers for the shapes the Sentry SDK hands to `beforeSend`, `beforeBreadcrumb` and `beforeSendMetric`,
 * typed structurally so this module needs no SDK import. Each returns a scrubbed copy and never throws.
 */

type Json = Record<string, unknown>;

/** Error events: no user, no cookies, headers, bodies or query strings; page URL without query/fragment. */
export function scrubEvent<E extends object>(event: E, rules: ScrubRules): E {
  const copy: Json = { ...(event as Json) };
  delete copy.user;
  delete copy.server_name;
  const request = copy.request;
  if (request && typeof request === 'object') {
    const url = (request as Json).url;
    copy.request = typeof url === 'string' ? { url: scrubUrl(url) } : {};
  }
  return scrubData(copy, rules) as E;
}

/** Breadcrumbs: returns a scrubbed copy (personal keys redacted per `rules`); never throws. */
export function scrubBreadcrumb<B extends object>(breadcrumb: B, rules: ScrubRules): B {
  return scrubData(breadcrumb, rules) as B;
}

/**
 * Metrics keep only attributes with primitive values; `user.*` (which the SDK adds by default) and any
 * personal key are dropped; strings are scrubbed.
 */
export function scrubMetric<M extends { attributes?: Record<string, unknown> }>(metric: M, rules: ScrubRules): M {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metric.attributes ?? {})) {
    if (key.startsWith('user.') || isRedactedKey(key)) continue;
    if (typeof value === 'number' || typeof value === 'boolean') attributes[key] = value;
    else if (typeof value === 'string') attributes[key] = scrubData(value, rules, key);
  }
  return { ...metric, attributes };
}

/**
 * A serialized envelope scrubbed again item by item (applied when a stored envelope is finally sent, so it
 * meets today's rules). Items that are not JSON (attachments, replays) are dropped. Null when the envelope
 * header is not JSON.
 */
export function scrubEnvelopeText(text: string, rules: ScrubRules): string | null {
  const lines = text.split('\n');
  const header = parseJson(lines[0] ?? '');
  if (!header || typeof header !== 'object') return null;
  const out = [JSON.stringify(scrubData(header, rules))];
  for (let i = 1; i < lines.length; i += 2) {
    const itemHeader = parseJson(lines[i] ?? '');
    if (!itemHeader || typeof itemHeader !== 'object') continue;
    // Payloads with an explicit length may contain newlines only when binary; those are not JSON and dropped.
    const payload = parseJson(lines[i + 1] ?? '');
    if (payload === undefined) continue;
    const body = JSON.stringify(scrubData(payload, rules));
    const scrubbedHeader: Json = { ...(itemHeader as Json) };
    if ('length' in scrubbedHeader) scrubbedHeader.length = new TextEncoder().encode(body).length;
    out.push(JSON.stringify(scrubbedHeader), body);
  }
  return out.join('\n');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
