import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { AppHeader } from './components/AppHeader';
import { LessonListPage } from './components/LessonListPage';
import { LessonPage } from './components/LessonPage';
import { WelcomeScreen } from './components/WelcomeScreen';
import { forgetStudent, loadStudent, saveStudent, type Student } from './identity/studentStore';
import { useRoute } from './routing/useRoute';
import { ServicesProvider } from './services/ServicesContext';
import type { CreateServices } from './services/types';

export interface AppProps {
  /** Builds the I/O services for a student; called again whenever a different student signs in. */
  createServices: CreateServices;
  /** The connection banner (role=status), rendered under the header once the runtime provides one. */
  banner?: ReactNode;
}

export function App({ createServices, banner }: AppProps) {
  const [student, setStudent] = useState<Student | null>(() => loadStudent());
  // One set of services per signed-in student, so no request or socket ever carries another
  // student's id after a log-out/log-in.
  const services = useMemo(() => (student ? createServices(student.id) : null), [createServices, student]);
  useEffect(() => () => services?.tutor.close(), [services]);

  const logOut = () => {
    forgetStudent();
    setStudent(null);
  };

  if (!student || !services) {
    return (
      <>
        <AppHeader banner={banner} />
        <main id="main" className="app-main">
          <WelcomeScreen onStart={(name) => setStudent(saveStudent(name))} />
        </main>
      </>
    );
  }
  return (
    <ServicesProvider services={services}>
      <AppHeader studentName={student.name} onLogOut={logOut} banner={banner} />
      <main id="main" className="app-main">
        <Pages />
      </main>
    </ServicesProvider>
  );
}

function Pages() {
  const route = useRoute();
  // Keyed by lesson so moving between lessons starts each page fresh (answers, hints, chat).
  return route.page === 'lesson' ? <LessonPage key={route.lessonId} lessonId={route.lessonId} /> : <LessonListPage />;
}
