import { SESSION_PATH, SESSION_REFRESH_PATH, type ApiErrorBody, type SessionResponse } from '../../protocol/api';
import type { Student } from './studentStore';

/** Why a sign-in did not work, for the form to word; `message` is the server's own text where it has one. */
export type SignInProblem =
  | { readonly kind: 'wrongPassphrase' }
  | { readonly kind: 'tooManyAttempts'; readonly retryAfterSeconds: number }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'server' };

export type SignInOutcome = { readonly ok: true; readonly student: Student } | { readonly ok: false; readonly problem: SignInProblem };

/** What a session refresh came to: renewed (for `student`), ended (only signing in again helps), or unknown (no answer). */
export type RefreshOutcome = { readonly kind: 'refreshed'; readonly student: Student } | { readonly kind: 'ended' } | { readonly kind: 'unavailable' };

/**
 * The server's sign-in endpoints (docs/operations.md, "Sign-in sessions"), over plain fetch: they are not
 * retried or refreshed by the runtime (a 401 here is an answer, not a stale session).
 */
export interface SessionApi {
  signIn(name: string, passphrase: string): Promise<SignInOutcome>;
  refresh(): Promise<RefreshOutcome>;
  /** Best effort: resolves even when the server cannot be reached (the cookie then ends by its expiry). */
  signOut(): Promise<void>;
}

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function studentOf(body: unknown): Student | null {
  const student = (body as Partial<SessionResponse> | undefined)?.student;
  return typeof student?.id === 'string' && typeof student.name === 'string' ? { id: student.id, name: student.name } : null;
}

export function createSessionApi(fetchImpl: FetchFn = (url, init) => globalThis.fetch(url, init)): SessionApi {
  const send = (method: string, path: string, body?: unknown) =>
    fetchImpl(path, {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  return {
    async signIn(name, passphrase) {
      let response: Response;
      try {
        response = await send('POST', SESSION_PATH, { name, passphrase });
      } catch {
        return { ok: false, problem: { kind: 'unreachable' } };
      }
      const body = await readJson(response);
      const student = response.ok ? studentOf(body) : null;
      if (student) return { ok: true, student };
      const code = (body as Partial<ApiErrorBody> | undefined)?.error?.code;
      if (response.status === 429) return { ok: false, problem: { kind: 'tooManyAttempts', retryAfterSeconds: Number(response.headers.get('retry-after')) || 60 } };
      if (code === 'WRONG_PASSPHRASE') return { ok: false, problem: { kind: 'wrongPassphrase' } };
      if (response.status === 422 || response.status === 400) {
        return { ok: false, problem: { kind: 'invalid', message: (body as ApiErrorBody).error.message } };
      }
      return { ok: false, problem: { kind: 'server' } };
    },
    async refresh() {
      try {
        const response = await send('POST', SESSION_REFRESH_PATH);
        const student = response.ok ? studentOf(await readJson(response)) : null;
        if (student) return { kind: 'refreshed', student };
        return response.status === 401 ? { kind: 'ended' } : { kind: 'unavailable' };
      } catch {
        return { kind: 'unavailable' };
      }
    },
    async signOut() {
      try {
        await send('DELETE', SESSION_PATH);
      } catch {
        // Offline: the next sign-in on this device replaces the cookie, and it expires anyway.
      }
    },
  };
}
