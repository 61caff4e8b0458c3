import { useId, useRef, useState, type FormEvent } from 'react';
import { forgetRecentName, loadRecentNames } from '../identity/studentStore';
import type { SignInOutcome } from '../identity/sessionApi';
import { describeSignInProblem } from '../identity/signInWords';
import { cleanName, MAX_NAME_LENGTH, MIN_PASSPHRASE_LENGTH, passphraseProblem } from '../../protocol/studentName';
import { PageHeading } from './PageHeading';

/**
 * Sign-in: a name and a passphrase. A name nobody has used yet is claimed with the passphrase typed; after that
 * only that passphrase signs in as that name. Names used before on this device can be picked instead of typed.
 */
export function WelcomeScreen({ onSignIn }: { onSignIn: (name: string, passphrase: string) => Promise<SignInOutcome> }) {
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recent, setRecent] = useState(() => loadRecentNames());
  const passphraseRef = useRef<HTMLInputElement>(null);
  const nameId = useId();
  const passphraseId = useId();
  const problemId = useId();
  const rulesId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const cleaned = cleanName(name);
    if (!cleaned) {
      setProblem(name.trim() === '' ? 'Please type your name.' : `Please use at most ${MAX_NAME_LENGTH} characters for your name.`);
      return;
    }
    const weak = passphraseProblem(passphrase);
    if (weak) {
      setProblem(weak);
      return;
    }
    setBusy(true);
    setProblem(null);
    void onSignIn(cleaned, passphrase).then((outcome) => {
      // On success the app replaces this screen; only a problem is ours to show.
      if (outcome.ok) return;
      setBusy(false);
      setProblem(describeSignInProblem(outcome.problem, cleaned));
      if (outcome.problem.kind === 'wrongPassphrase') setPassphrase('');
    });
  };

  const pick = (recentName: string) => {
    setName(recentName);
    setProblem(null);
    passphraseRef.current?.focus();
  };

  const described = [rulesId, problem ? problemId : null].filter(Boolean).join(' ');
  return (
    <section className="welcome card">
      <PageHeading>Welcome</PageHeading>
      <p>Practise maths at your own pace, with a tutor to ask when you are stuck.</p>
      <form onSubmit={submit} noValidate aria-busy={busy}>
        <label htmlFor={nameId}>Your name</label>
        <input id={nameId} type="text" autoComplete="username" value={name} onChange={(event) => setName(event.target.value)} aria-invalid={problem ? true : undefined} />
        <label htmlFor={passphraseId}>Passphrase</label>
        <input
          id={passphraseId}
          ref={passphraseRef}
          type="password"
          autoComplete="current-password"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={described}
        />
        <p id={rulesId} className="field-help">
          New here? Choose a name and a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters (a few words you will remember, like
          “green frog jumps”). The name is then yours: next time, sign in with the same passphrase.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {problem && (
          <p id={problemId} role="alert" className="field-error">
            {problem}
          </p>
        )}
      </form>
      {recent.length > 0 && (
        <div className="recent-names">
          <h2>Or continue as</h2>
          <ul>
            {recent.map((recentName) => (
              <li key={recentName}>
                <button type="button" onClick={() => pick(recentName)} aria-label={`Continue as ${recentName}`}>
                  {recentName}
                </button>
                <button type="button" className="button-quiet" onClick={() => setRecent(forgetRecentName(recentName))} aria-label={`Forget ${recentName}`}>
                  Forget
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
