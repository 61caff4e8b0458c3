import { useId, useState, type FormEvent } from 'react';
import { forgetRecentName, loadRecentNames } from '../identity/studentStore';
import { cleanName, MAX_NAME_LENGTH } from '../../protocol/studentName';
import { PageHeading } from './PageHeading';

/** Sign-in without passwords: the student types a name or picks one used before on this device. */
export function WelcomeScreen({ onStart }: { onStart: (name: string) => void }) {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [recent, setRecent] = useState(() => loadRecentNames());
  const inputId = useId();
  const problemId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const cleaned = cleanName(name);
    if (cleaned) onStart(cleaned);
    else setProblem(name.trim() === '' ? 'Please type your name.' : `Please use at most ${MAX_NAME_LENGTH} characters.`);
  };

  return (
    <section className="welcome card">
      <PageHeading>Welcome</PageHeading>
      <p>Practise maths at your own pace, with a tutor to ask when you are stuck.</p>
      <form onSubmit={submit} noValidate>
        <label htmlFor={inputId}>Your name</label>
        <div className="field-row">
          <input
            id={inputId}
            type="text"
            autoComplete="given-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
          />
          <button type="submit">Start learning</button>
        </div>
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
                <button type="button" onClick={() => onStart(recentName)} aria-label={`Continue as ${recentName}`}>
                  {recentName}
                </button>
                <button
                  type="button"
                  className="button-quiet"
                  onClick={() => setRecent(forgetRecentName(recentName))}
                  aria-label={`Forget ${recentName}`}
                >
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
