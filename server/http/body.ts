import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';
export { isPlainObject } from '../../src/protocol/isPlainObject';

/** Bodies of API requests (answers, progress, tutor asks, chaos settings) are small JSON documents. */
export const JSON_BODY_LIMIT_BYTES = 16 * 1024;
/** Past this we stop draining an oversized body and close the connection instead. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

function tooLarge(limitBytes: number): HttpError {
  // Connection: close because the rest of an oversized body may still be on its way.
  return new HttpError(413, 'PAYLOAD_TOO_LARGE', `The request body must be at most ${limitBytes} bytes.`, { Connection: 'close' });
}

/**
 * Reads the whole body, up to `limitBytes`. An oversized body is drained (up to 1 MiB) before the
 * 413 is sent, so the client can read the error instead of seeing a reset connection.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > DRAIN_LIMIT_BYTES) {
      reject(tooLarge(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        reject(tooLarge(limitBytes));
        req.pause();
      }
    });
    req.on('end', () => (size > limitBytes ? reject(tooLarge(limitBytes)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

export function isJsonContentType(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** Reads a JSON body: 415 unless the Content-Type is JSON, 413 when too large, 400 when malformed. */
export async function readJson(req: IncomingMessage, limitBytes = JSON_BODY_LIMIT_BYTES): Promise<unknown> {
  if (!isJsonContentType(req)) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be JSON (Content-Type: application/json).');
  }
  const raw = await readBody(req, limitBytes);
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'The request body is not valid JSON.');
  }
}

