import { useEffect, useState, type ReactNode } from 'react';
import { ConnectionBanner, InterventionList, PendingWork, RecoveryDialog, ResilienceProvider, StorageNotice, TextOnlySuggestion, TextOnlySwitch } from '../react';
import { describeQueuedAction } from './resilience/describeQueuedAction';
import { AppHeader } from './components/AppHeader';
import { LazyDeveloperPanel } from './components/LazyDeveloperPanel';
import { LessonListPage } from './components/LessonListPage';
import { LessonPage } from './components/LessonPage';
import { WelcomeScreen } from './components/WelcomeScreen';
import { forgetStudent, loadStudent, saveStudent, type Student } from './identity/studentStore';
import { API_BACKEND } from './resilience/appSession';
import { useRoute } from './routing/useRoute';
import { ServicesProvider } from './services/ServicesContext';
import type { CreateSession, StudentSession } from './services/types';

export interface AppProps {
  /** Builds what a student uses (services, resilience runtime); called again whenever a different student signs in. */
  createSession: CreateSession;
  /** Show the developer panel (dev builds, or VITE_DEV_TOOLS=1), loaded in its own chunk. Default false. */
  devTools?: boolean;
}

export function App({ createSession, devTools = false }: AppProps) {
  const [student, setStudent] = useState<Student | null>(() => loadStudent());
  const session = useStudentSession(createSession, student);

  const logOut = () => {
    // Purge first (the session's storage closes when it is disposed); a slow or failed purge never keeps
    // the student signed in, the cache is per student anyway.
    void (session?.signOut?.() ?? Promise.resolve()).finally(() => {
      forgetStudent();
      setStudent(null);
    });
  };

  if (!student) {
    return (
      <>
        <AppHeader />
        <main id="main" className="app-main">
          <WelcomeScreen onStart={(name) => setStudent(saveStudent(name))} />
        </main>
      </>
    );
  }
  if (!session) {
    // Only until the session effect has run (one commit): the header, without a flash of the name screen.
    return (
      <>
        <AppHeader studentName={student.name} onLogOut={logOut} />
        <main id="main" className="app-main" />
      </>
    );
  }
  const page = (banner: ReactNode, pending: ReactNode, attention: ReactNode) => (
    <ServicesProvider services={session.services}>
      <AppHeader studentName={student.name} onLogOut={logOut} banner={banner} pending={pending} />
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
          <TextOnlySuggestion />
          <InterventionList describeEntry={describeQueuedAction} />
        </>,
      )}
      <RecoveryDialog />
      {devTools && LazyDeveloperPanel && <LazyDeveloperPanel />}
    </ResilienceProvider>
  );
}

/**
 * One session per signed-in student, so no request, socket or breaker ever carries another student's id
 * after a log-out/log-in; the old one is disposed. Created in an effect (not during render) because disposing
 * is final: under StrictMode's mount–unmount–mount the first session is disposed and a second one made.
 */
function useStudentSession(createSession: CreateSession, student: Student | null): StudentSession | null {
  const [session, setSession] = useState<StudentSession | null>(null);
  const studentId = student?.id;
  useEffect(() => {
    if (studentId === undefined) return;
    const created = createSession(studentId);
    // The session is an external resource (runtime, socket, timers) whose disposal is final, so it is made
    // here, where its cleanup pairs with it, not during render; the one extra render happens at sign-in only.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(created);
    return () => {
      created.dispose();
      setSession((current) => (current === created ? null : current));
    };
  }, [createSession, studentId]);
  return session && session.studentId === studentId ? session : null;
}

function Pages() {
  const route = useRoute();
  // Keyed by lesson so moving between lessons starts each page fresh (answers, hints, chat).
  return route.page === 'lesson' ? <LessonPage key={route.lessonId} lessonId={route.lessonId} /> : <LessonListPage />;
}
