import type { SessionApi, SignInOutcome } from '../../../src/app/identity/sessionApi';
import { studentIdFromName } from '../../../src/protocol/studentName';

/** The passphrase component tests sign in with. */
export const PASSPHRASE = 'purple tiger';

/**
 * The server's sign-in endpoints in memory: a name is claimed by its first passphrase; a wrong one is refused.
 * `refreshAnswers` decides what POST /api/session/refresh says.
 */
export function fakeAuth() {
  const claimed = new Map<string, string>();
  const calls: string[] = [];
  const control = { refreshAnswers: 'refreshed' as 'refreshed' | 'ended', nextSignIn: null as SignInOutcome | null };
  const auth: SessionApi = {
    signIn(name, passphrase) {
      calls.push(`signIn ${name}`);
      if (control.nextSignIn) {
        const outcome = control.nextSignIn;
        control.nextSignIn = null;
        return Promise.resolve(outcome);
      }
      const id = studentIdFromName(name);
      const known = claimed.get(id);
      if (known !== undefined && known !== passphrase) return Promise.resolve({ ok: false, problem: { kind: 'wrongPassphrase' } });
      claimed.set(id, passphrase);
      return Promise.resolve({ ok: true, student: { id, name } });
    },
    refresh() {
      calls.push('refresh');
      return Promise.resolve(control.refreshAnswers === 'refreshed' ? { kind: 'refreshed', student: { id: 'ada', name: 'Ada' } } : { kind: 'ended' });
    },
    signOut() {
      calls.push('signOut');
      return Promise.resolve();
    },
  };
  return { auth, calls, control };
}
