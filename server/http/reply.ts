import type { ServerResponse } from 'node:http';
import { errorBody, HttpError } from './errors';

/** What a handler answers; the dispatcher writes it (or, under chaos, deliberately does not). */
export interface Reply {
  status: number;
  /** A JSON value, or raw bytes (static files) sent with the given headers. */
  body: unknown;
  headers?: Record<string, string>;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  headers ? { status, body, headers } : { status, body };

export function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) return json(error.status, errorBody(error.code, error.message), { ...error.headers });
  return json(500, errorBody('INTERNAL', 'The server failed to process the request.'));
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const raw = Buffer.isBuffer(reply.body);
  const payload = raw ? (reply.body as Buffer) : Buffer.from(JSON.stringify(reply.body));
  const headers: Record<string, string | number> = raw
    ? { ...reply.headers }
    : { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...reply.headers };
  headers['Content-Length'] = payload.length;
  res.writeHead(reply.status, headers);
  res.end(payload);
}
