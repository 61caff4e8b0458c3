import type { IncomingMessage } from 'node:http';
import { SESSION_PATH, SESSION_REFRESH_PATH, type SessionResponse } from '../../src/protocol/api';
import { cleanName, MAX_NAME_LENGTH, passphraseProblem, studentIdFromName } from '../../src/protocol/studentName';
import type { AttemptLimiter } from '../auth/attemptLimiter';
import { liveSession } from '../auth/authenticator';
import { hashPassphrase, verifyPassphrase } from '../auth/passphrase';
import { readSessionToken, sessionCookie } from '../auth/sessionCookie';
import type { SessionStore } from '../db/sessionStore';
import { isPlainObject, readJson } from '../http/body';
import { badRequest, HttpError, unprocessable } from '../http/errors';
import { json } from '../http/reply';
import type { Route } from '../http/router';

export interface SessionRouteDeps {
  sessions: SessionStore;
  now: () => number;
  ttlMs: number;
  /** Wrong passphrases per student id. */
  nameFailures: AttemptLimiter;
  /** Wrong passphrases per client address. */
  addressFailures: AttemptLimiter;
}

/** Ended sessions are kept this long so their cookie answers SESSION_EXPIRED (not UNAUTHENTICATED), then dropped. */
const KEEP_ENDED_MS = 7 * 24 * 60 * 60_000;
const path = (p: string) => new RegExp(`^${p.replaceAll('/', '\\/')}$`);

function tooManyAttempts(retryAfterMs: number, what: string): HttpError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new HttpError(429, 'TOO_MANY_ATTEMPTS', `Too many sign-in attempts ${what}; try again in ${seconds} s.`, { 'Retry-After': String(seconds) });
}

function readSignIn(body: unknown): { name: string; passphrase: string } {
  if (!isPlainObject(body) || typeof body.name !== 'string' || typeof body.passphrase !== 'string') {
    throw badRequest('INVALID_BODY', 'The body must be a JSON object {name, passphrase} of strings.');
  }
  const name = cleanName(body.name);
  if (!name) throw unprocessable('INVALID_NAME', `The name must be 1–${MAX_NAME_LENGTH} characters.`);
  const problem = passphraseProblem(body.passphrase);
  if (problem) throw unprocessable('INVALID_PASSPHRASE', problem);
  return { name, passphrase: body.passphrase };
}

/** POST/GET/DELETE /api/session and POST /api/session/refresh: sign in (claiming a new name), who am I, sign out, refresh. */
export function sessionRoutes(deps: SessionRouteDeps): Route[] {
  const { sessions, now, ttlMs } = deps;
  const answer = (req: IncomingMessage, status: number, student: { id: string; name: string }, issued: { token: string; expiresAt: number }, claimed?: boolean) =>
    json(status, { student, expiresAt: new Date(issued.expiresAt).toISOString(), ...(claimed ? { claimed } : {}) } satisfies SessionResponse, {
      'Set-Cookie': sessionCookie(req, issued.token, (issued.expiresAt - now()) / 1000),
    });

  async function signIn(req: IncomingMessage) {
    const { name, passphrase } = readSignIn(await readJson(req));
    const id = studentIdFromName(name);
    const address = req.socket.remoteAddress ?? 'unknown';
    const addressWait = deps.addressFailures.retryAfterMs(address);
    if (addressWait > 0) throw tooManyAttempts(addressWait, 'from this device');
    const nameWait = deps.nameFailures.retryAfterMs(id);
    if (nameWait > 0) throw tooManyAttempts(nameWait, 'for this name');

    let student = sessions.student(id);
    let claimed = false;
    if (!student) {
      const fresh = { id, name, ...(await hashPassphrase(passphrase)) };
      claimed = sessions.claim(fresh, now());
      student = claimed ? fresh : sessions.student(id); // lost a race to claim it: check against the winner's
    }
    if (!student || (!claimed && !(await verifyPassphrase(passphrase, student)))) {
      deps.nameFailures.record(id);
      deps.addressFailures.record(address);
      throw new HttpError(401, 'WRONG_PASSPHRASE', `That passphrase does not match the name "${student?.name ?? name}".`);
    }
    deps.nameFailures.clear(id);
    // Signing in replaces whatever session this browser had (another student's, or an ended one).
    const previous = readSessionToken(req);
    if (previous !== undefined) sessions.revoke(previous);
    sessions.sweep(now() - KEEP_ENDED_MS);
    return answer(req, claimed ? 201 : 200, { id: student.id, name: student.name }, sessions.create(student.id, now(), ttlMs), claimed);
  }

  return [
    { method: 'POST', path: path(SESSION_PATH), handle: ({ req }) => signIn(req) },
    {
      method: 'GET',
      path: path(SESSION_PATH),
      handle({ req }) {
        const session = liveSession(req, deps);
        return json(200, { student: { id: session.student, name: session.name }, expiresAt: new Date(session.expiresAt).toISOString() } satisfies SessionResponse);
      },
    },
    {
      method: 'DELETE',
      path: path(SESSION_PATH),
      handle({ req }) {
        const token = readSessionToken(req);
        if (token !== undefined) sessions.revoke(token);
        return json(200, { ok: true }, { 'Set-Cookie': sessionCookie(req, '', 0) });
      },
    },
    {
      method: 'POST',
      path: path(SESSION_REFRESH_PATH),
      handle({ req }) {
        // Only a live session is renewed: once it ended, the student's passphrase is needed again.
        const session = liveSession(req, deps);
        return answer(req, 200, { id: session.student, name: session.name }, sessions.rotate(session.token, session.student, now(), ttlMs));
      },
    },
  ];
}
