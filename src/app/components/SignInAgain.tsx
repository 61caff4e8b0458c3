import { useId, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useOutbox, useRuntime } from '../../react';
import type { SignInOutcome } from '../identity/sessionApi';
import type { SignInStatus } from '../identity/signInStatus';
import { describeSignInProblem } from '../identity/signInWords';
import type { Student } from '../identity/studentStore';

interface SignInAgainProps {
  student: Student;
  status: SignInStatus;
  signIn(name: string, passphrase: string): Promise<SignInOutcome>;
}

const answers = (count: number) => (count === 1 ? '1 answer' : `${count} answers`);

/**
 * Shown when the server needs the student's passphrase again (their session ended): saved answers wait, untouched,
 * and sync as soon as the same student signs in again here.
 */
export function SignInAgain({ student, status, signIn }: SignInAgainProps) {
  const runtime = useRuntime();
  const outbox = useOutbox();
  const ended = useSyncExternalStore(status.subscribe, status.ended);
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();
  const headingId = useId();

  if (!ended && !outbox.needsSignIn) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(null);
    void signIn(student.name, passphrase).then((outcome) => {
      setBusy(false);
      if (!outcome.ok) {
        setProblem(describeSignInProblem(outcome.problem, student.name));
        return;
      }
      setPassphrase('');
      status.markActive();
      // Resumes the paused replay: the saved answers go now, under this student's new session.
      void runtime.outbox.syncNow();
    });
  };

  return (
    <section className="sign-in-again card" aria-labelledby={headingId}>
      <h2 id={headingId}>{outbox.pending > 0 ? `Sign in again to sync ${answers(outbox.pending)}` : 'Sign in again to carry on'}</h2>
      <p>
        Your sign-in as {student.name} has ended. {outbox.pending > 0 ? 'Your saved answers are safe on this device and will sync once you sign in.' : ''}
      </p>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <label htmlFor={fieldId}>Passphrase for {student.name}</label>
        <div className="field-row">
          <input id={fieldId} type="password" autoComplete="current-password" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
        {problem && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
      </form>
    </section>
  );
}
