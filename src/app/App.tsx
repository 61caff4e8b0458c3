import { useEffect, useState, type ReactNode } from 'react';
import { AttentionNotice, ConnectionBanner, InterventionList, PendingWork, RecoveryDialog, ResilienceProvider, StorageNotice, TextOnlySuggestion, TextOnlySwitch } from '../react';
import { describeQueuedAction } from './resilience/describeQueuedAction';
import { AppHeader } from './components/AppHeader';
import { LazyDeveloperPanel } from './components/LazyDeveloperPanel';
import { LoadError } from './components/LoadError';
import { LessonListPage } from './components/LessonListPage';
import { LessonPage } from './components/LessonPage';
import { SignInAgain } from './components/SignInAgain';
import { WelcomeScreen } from './components/WelcomeScreen';
import { createSessionApi, type SessionApi } from './identity/sessionApi';
import { forgetStudent, loadStudent, saveStudent, type Student } from './identity/studentStore';
import { LESSON_DATA } from './resilience/fallback/tutoringFallback';
import { useRoute } from './routing/useRoute';
import type { AppServiceWorker } from './serviceWorker/startServiceWorker';
import { UpdatePrompt } from './serviceWorker/UpdatePrompt';
import { useServiceWorkerBridge } from './serviceWorker/useServiceWorkerBridge';
import { ServicesProvider } from './services/ServicesContext';
import type { CreateSession, StudentSession } from './services/types';

/** The backend key of the HTTP API's breaker (the runtime's default): the banner and the dialog watch it. */
const API_BACKEND = 'api';

export interface AppProps {
  /** Builds what a student uses (services, resilience runtime); called again whenever a different student signs in. */
  createSession: CreateSession;
  /** Show the developer panel (dev builds, or VITE_DEV_TOOLS=1), loaded in its own chunk. Default false. */
  devTools?: boolean;
  /** The server's sign-in endpoints; default over the page's fetch. */
  auth?: SessionApi;
  /** The service worker's updates and wake-ups (production builds); null or absent without one. */
  serviceWorker?: AppServiceWorker | null;
}

const defaultAuth = createSessionApi();

export function App({ createSession, devTools = false, auth = defaultAuth, serviceWorker = null }: AppProps) {
  const [student, setStudent] = useState<Student | null>(() => loadStudent());
  const { session, failed, retry } = useStudentSession(createSession, student);
  const outbox = session?.runtime?.outbox ?? null;
  useServiceWorkerBridge(serviceWorker?.updates ?? null, outbox);
  const updatePrompt = serviceWorker && <UpdatePrompt updates={serviceWorker.updates} outbox={outbox} guard={serviceWorker.guard} />;

  /** Signs in; the app switches to the student the server named (their id comes from the session, not the typed name). */
  const signIn = async (name: string, passphrase: string) => {
    const outcome = await auth.signIn(name, passphrase);
    if (outcome.ok && outcome.student.id !== student?.id) setStudent(saveStudent(outcome.student));
    return outcome;
  };

  const logOut = () => {
    // Purge first (the session's storage closes when it is disposed); a slow or failed purge or sign-out never
    // keeps the student signed in on screen, the cache is per student anyway.
    void Promise.allSettled([session?.signOut?.(), auth.signOut()]).finally(() => {
      forgetStudent();
      setStudent(null);
    });
  };

  if (!student) {
    return (
      <>
        <AppHeader />
        {updatePrompt}
        <main id="main" className="app-main">
          <WelcomeScreen onSignIn={signIn} />
        </main>
      </>
    );
  }
  if (!session) {
    // While the session's code loads (a signed-in student's runtime and services come in their own chunk), or
    // for one commit when it is built at once: the header, without a flash of the name screen.
    return (
      <>
        <AppHeader studentName={student.name} onLogOut={logOut} />
        {updatePrompt}
        <main id="main" className="app-main">
          {failed === null ? <p className="muted" role="status">Loading…</p> : <LoadError what="The app" error={failed} onRetry={retry} />}
        </main>
      </>
    );
  }
  const page = (banner: ReactNode, pending: ReactNode, attention: ReactNode) => (
    <ServicesProvider services={session.services}>
      <AppHeader studentName={student.name} onLogOut={logOut} banner={banner} pending={pending} />
      {updatePrompt}
      <main id="main" className="app-main">
        {attention}
        <Pages />
      </main>
    </ServicesProvider>
  );
  if (!session.runtime) return page(null, null, null);
  return (
    <ResilienceProvider runtime={session.runtime} backends={[API_BACKEND]}>
      {page(
        <>
          <ConnectionBanner />
          <StorageNotice />
        </>,
        <>
          <PendingWork />
          <TextOnlySwitch />
        </>,
        <>
          {session.signInStatus && <SignInAgain student={student} status={session.signInStatus} signIn={signIn} />}
          <AttentionNotice />
          <TextOnlySuggestion />
          <InterventionList describeEntry={session.describeQueuedAction ?? describeQueuedAction} />
        </>,
      )}
      {/* A failed lesson open is said by the page itself (its error and Try again): no dialog on top. */}
      <RecoveryDialog quietOps={[LESSON_DATA]} />
      {devTools && LazyDeveloperPanel && <LazyDeveloperPanel />}
    </ResilienceProvider>
  );
}

interface SessionState {
  readonly session: StudentSession | null;
  /** Why the session's code or construction failed; null while loading or once there. */
  readonly failed: unknown;
  /** Tries to build the session again after a failure. */
  retry(): void;
}

/**
 * One session per signed-in student, so no request, socket or breaker ever carries another student's id
 * after a log-out/log-in; the old one is disposed. Created in an effect (not during render) because disposing
 * is final: under StrictMode's mount–unmount–mount the first session is disposed and a second one made.
 * `createSession` may answer a promise (the session's code loads lazily): a session that arrives after its
 * student left (log-out, StrictMode's unmount) is disposed at once and never shown.
 */
function useStudentSession(createSession: CreateSession, student: Student | null): SessionState {
  const [current, setCurrent] = useState<{ studentId: string; session: StudentSession | null; failed: unknown } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const studentId = student?.id;
  useEffect(() => {
    if (studentId === undefined) return;
    let left = false;
    let created: StudentSession | null = null;
    const arrive = (session: StudentSession) => {
      if (left) return session.dispose();
      created = session;
      setCurrent({ studentId, session, failed: null });
    };
    const result = createSession(studentId);
    // The session is an external resource (runtime, socket, timers) whose disposal is final, so it is made
    // here, where its cleanup pairs with it, not during render; the one extra render happens at sign-in only.
    if (result instanceof Promise) {
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setCurrent({ studentId, session: null, failed: null });
      result.then(arrive, (error: unknown) => {
        if (!left) setCurrent({ studentId, session: null, failed: error ?? new Error('The session could not be created') });
      });
    } else {
      arrive(result);
    }
    return () => {
      left = true;
      created?.dispose();
      setCurrent((state) => (state?.studentId === studentId && state.session === created ? null : state));
    };
  }, [createSession, studentId, attempt]);
  const mine = current?.studentId === studentId ? current : null;
  return { session: mine?.session ?? null, failed: mine?.failed ?? null, retry: () => setAttempt((n) => n + 1) };
}

function Pages() {
  const route = useRoute();
  // Keyed by lesson so moving between lessons starts each page fresh (answers, hints, chat).
  return route.page === 'lesson' ? <LessonPage key={route.lessonId} lessonId={route.lessonId} /> : <LessonListPage />;
}
