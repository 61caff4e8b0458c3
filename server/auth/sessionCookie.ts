import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { SESSION_COOKIE } from '../../src/protocol/api';

/** The session token from the request's Cookie header, or undefined. */
export function readSessionToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** Whether the client reached us over https (directly, or through a proxy that says so). */
function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  return (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() === 'https';
}

/**
 * Set-Cookie for a session token: HttpOnly (no script can read it), SameSite=Strict (never sent on requests
 * started by another site), Path=/ (the API and the tutor socket), Secure over https. `maxAgeSeconds` 0 clears it.
 */
export function sessionCookie(req: IncomingMessage, token: string, maxAgeSeconds: number): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`];
  if (isHttps(req)) attributes.push('Secure');
  return attributes.join('; ');
}
