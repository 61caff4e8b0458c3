/**
 * Pattern scrubbing of free text and URLs (PII and secrets). Order matters: JWTs before long tokens, URLs
 * before the patterns that would cut them apart.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
const KEY_VALUE = /\b(password|passwd|secret|token|api[_-]?key|access[_-]?token|refresh[_-]?token|session(?:[_-]?id)?|sid|idempotency[_-]?key|auth(?:orization)?)\s*[=:]\s*("[^"]*"|'[^']*'|[^\s&;,]+)/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Long opaque strings that mix letters and digits: keys, session ids, idempotency keys, hashes. */
const OPAQUE = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}\b(?!\.(?:m?js|css|map)\b)/g;
const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'<>]+/gi;
/** A relative path with a query or fragment (`/api/x?email=…`, `/#/lessons?token=…`). */
const PATH_WITH_QUERY = /(?<![\w:/])\/[\w\-./%:~]*[?#][^\s"'<>]*/g;
/**
 * Quoted text in messages: errors that echo input ("bad answer "…"") quote it. Three or more characters, so
 * `Unexpected token '<'` stays readable.
 */
const QUOTED = /"[^"\n]{3,}"|“[^”\n]{3,}”|'[^'\n]{3,}'/g;

/** Replaces quoted text, emails, JWTs, bearer tokens, `key=value` secrets, UUIDs, long opaque tokens and URL parameters. */
export function scrubText(text: string, sensitive: readonly string[] = []): string {
  let out = text.replace(URL_IN_TEXT, (url) => scrubUrl(url)).replace(PATH_WITH_QUERY, (path) => scrubUrl(path));
  out = out
    .replace(QUOTED, (quoted) => `${quoted[0]}[text]${quoted[quoted.length - 1]}`)
    .replace(JWT, '[jwt]')
    .replace(BEARER, '$1 [token]')
    .replace(KEY_VALUE, '$1=[redacted]')
    .replace(EMAIL, '[email]')
    .replace(UUID, '[id]')
    .replace(OPAQUE, '[token]');
  return redactValues(out, sensitive);
}

/**
 * A URL without query or fragment (both dropped: they carry tokens and names), whose path segments that look
 * like ids, tokens, emails or encoded data are replaced by `:id`. Relative URLs stay relative.
 */
export function scrubUrl(url: string): string {
  const cut = url.search(/[?#]/);
  const base = cut === -1 ? url : url.slice(0, cut);
  const had = cut === -1 ? '' : url[cut] === '?' ? '?[query]' : '#[fragment]';
  const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)?(.*)$/i.exec(base);
  const origin = (match?.[1] ?? '').replace(/\/\/[^@/]*@/, '//');
  const path = (match?.[2] ?? '')
    .split('/')
    .map((segment) => (looksSecret(segment) ? ':id' : segment))
    .join('/');
  return origin + path + had;
}

function looksSecret(segment: string): boolean {
  if (segment.length === 0) return false;
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return true;
  }
  if (/[@%=:+\s]/.test(decoded)) return true;
  // Built asset names (index-B2x9kQ1d.js) are needed verbatim to map stack frames to sources.
  if (/^[\w.-]+\.(?:m?js|css|map|html|svg|png|woff2?)$/.test(decoded) && decoded.length <= 60) return false;
  if (/^\d{3,}$/.test(decoded)) return true;
  if (decoded.length >= 16 && /\d/.test(decoded) && /[A-Za-z]/.test(decoded)) return true;
  return decoded.length > 40;
}

/**
 * Case-insensitive removal of known values (the student's name and id) where they stand as whole words, so
 * "Ada" goes but "metadata" stays.
 */
function redactValues(text: string, sensitive: readonly string[]): string {
  let out = text;
  for (const value of sensitive) {
    if (value.trim().length < 2) continue;
    const lower = out.toLowerCase();
    const needle = value.toLowerCase();
    if (!lower.includes(needle)) continue;
    let result = '';
    let from = 0;
    for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, i + 1)) {
      if (i < from) continue;
      const end = i + needle.length;
      if (isWordChar(lower[i - 1]) || isWordChar(lower[end])) continue;
      result += out.slice(from, i) + '[redacted]';
      from = end;
    }
    out = result + out.slice(from);
  }
  return out;
}

const isWordChar = (char: string | undefined): boolean => char !== undefined && /[\p{L}\p{N}_]/u.test(char);
