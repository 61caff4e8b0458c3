import { useCallback, useState, type FormEvent } from 'react';
import { AdminApiError, createAdminApi, type AdminApi } from './adminApi';
import { AuditLog } from './AuditLog';
import { InterventionList } from './InterventionList';
import { RecoveryDashboardView } from './RecoveryDashboardView';

/** The token lives in sessionStorage only: gone when the tab closes, never in localStorage or a cookie. */
const TOKEN_KEY = 'tutor-admin-token';
const ACTOR_KEY = 'tutor-admin-actor';

function SignIn({ onSignedIn }: { onSignedIn(api: AdminApi): void }) {
  const [error, setError] = useState<string>();
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const token = String(data.get('token') ?? '').trim();
    const actor = String(data.get('actor') ?? '').trim();
    const api = createAdminApi(token, actor);
    try {
      await api.list({}, { limit: 1, offset: 0 });
      sessionStorage.setItem(TOKEN_KEY, token);
      sessionStorage.setItem(ACTOR_KEY, actor);
      onSignedIn(api);
    } catch (caught) {
      setError(caught instanceof AdminApiError && caught.status === 401 ? 'That token is not the admin token.' : `Could not sign in: ${String(caught instanceof Error ? caught.message : caught)}`);
    }
  };
  return (
    <section aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <form onSubmit={(event) => void submit(event)}>
        <label>
          Admin token
          <input name="token" type="password" autoComplete="off" required minLength={16} />
        </label>
        <label>
          Your name (for the audit log)
          <input name="actor" type="text" pattern="[\w .@\-]{1,100}" />
        </label>
        <button type="submit">Sign in</button>
        <p role="status" className="error">{error}</p>
      </form>
    </section>
  );
}

function restored(): AdminApi | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? createAdminApi(token, sessionStorage.getItem(ACTOR_KEY) ?? '') : undefined;
}

/** The /admin page: sign in with ADMIN_TOKEN, then the queue, the dashboard and the audit log. */
export function AdminApp() {
  const [api, setApi] = useState<AdminApi | undefined>(restored);
  const [revision, setRevision] = useState(0);
  const changed = useCallback(() => setRevision((n) => n + 1), []);
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ACTOR_KEY);
    setApi(undefined);
  };
  return (
    <main>
      <h1>Intervention queue</h1>
      {api ? (
        <>
          <button type="button" onClick={signOut}>Sign out</button>
          <InterventionList api={api} onChanged={changed} onUnauthorized={signOut} />
          <RecoveryDashboardView api={api} revision={revision} />
          <AuditLog api={api} revision={revision} />
        </>
      ) : (
        <SignIn onSignedIn={setApi} />
      )}
    </main>
  );
}
