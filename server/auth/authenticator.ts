import type { IncomingMessage } from 'node:http';
import { STUDENT_HEADER } from '../../src/protocol/api';
import type { SessionRecord, SessionStore } from '../db/sessionStore';
import { HttpError } from '../http/errors';
import { requireStudent as studentFromHeader } from '../http/requestHeaders';
import { readSessionToken } from './sessionCookie';

export interface AuthenticatorOptions {
  sessions: SessionStore;
  now: () => number;
  /**
   * Test/dev switch: a request with X-Student-Id acts for that student without a session. Only tests set it
   * (tests/helpers/server.ts); createTutorServer refuses it in production.
   */
  trustStudentHeader: boolean;
}

export const unauthenticated = () => new HttpError(401, 'UNAUTHENTICATED', 'Sign in first: this needs a session.');
export const sessionExpired = () => new HttpError(401, 'SESSION_EXPIRED', 'Your session has ended; sign in again.');

/** A live session of the request's cookie: 401 UNAUTHENTICATED without one, 401 SESSION_EXPIRED when it ended. */
export function liveSession(req: IncomingMessage, options: Pick<AuthenticatorOptions, 'sessions' | 'now'>): SessionRecord & { token: string } {
  const token = readSessionToken(req);
  const session = token === undefined ? undefined : options.sessions.find(token);
  if (token === undefined || !session) throw unauthenticated();
  if (session.expiresAt <= options.now()) throw sessionExpired();
  return { ...session, token };
}

/** Who a request acts for: always the session's student (the client cannot choose it), except in test mode. */
export function createAuthenticator(options: AuthenticatorOptions) {
  return {
    /**
     * The student of the request's session. X-Student-Id never selects the student: when present it must name
     * the session's student (403 STUDENT_MISMATCH otherwise), so a tab still acting for A after B signed in
     * elsewhere in the same browser can never write as B.
     */
    requireStudent(req: IncomingMessage): string {
      const claimed = req.headers[STUDENT_HEADER.toLowerCase()];
      if (options.trustStudentHeader && claimed !== undefined) return studentFromHeader(req);
      const { student } = liveSession(req, options);
      if (claimed !== undefined && claimed !== student) {
        throw new HttpError(403, 'STUDENT_MISMATCH', `This request is for another student than the one signed in (${STUDENT_HEADER}).`);
      }
      return student;
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
