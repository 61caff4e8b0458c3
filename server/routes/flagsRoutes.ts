import type { FlagsSource } from '../flags/flagsSource';
import { readJson } from '../http/body';
import { HttpError } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';

/** GET /api/flags: the served flags with a strong ETag; If-None-Match with the same tag → 304 without a body. */
export function flagsRoutes(source: FlagsSource): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/api\/flags$/,
      handle({ req }) {
        const document = source.read();
        if (document.errors.length > 0) {
          throw new HttpError(500, 'FLAGS_INVALID', `The served flags file is invalid, clients keep their flags: ${document.errors.map((e) => e.message).join(' ')}`);
        }
        const headers = { ETag: document.etag, 'Cache-Control': 'no-cache' };
        if (matches(req.headers['if-none-match'], document.etag)) return { status: 304, body: Buffer.alloc(0), headers };
        return { status: 200, body: Buffer.from(document.text), headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' } };
      },
    },
  ];
}

/** POST /__flags (development endpoints): merge entries into the served flags, refused with 400 if invalid. */
export function flagsDevRoutes(source: FlagsSource): Route[] {
  return [
    { method: 'GET', path: /^\/__flags$/, handle: () => json(200, JSON.parse(source.read().text)) },
    {
      method: 'POST',
      path: /^\/__flags$/,
      async handle({ req }) {
        const result = source.write(await readJson(req));
        if (!result.ok) throw new HttpError(400, 'FLAGS_INVALID', result.errors.map((e) => e.message).join(' '));
        return json(200, JSON.parse(result.document.text), { ETag: result.document.etag });
      },
    },
  ];
}

function matches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const tags = (Array.isArray(header) ? header.join(',') : header).split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes(etag) || tags.includes('*');
}
