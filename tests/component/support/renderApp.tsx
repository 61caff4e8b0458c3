import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/app/App';
import { saveStudent } from '../../../src/app/identity/studentStore';
import type { StudentSession } from '../../../src/app/services/types';
import { studentIdFromName } from '../../../src/protocol/studentName';
import { fakeAuth } from './fakeAuth';
import { createFakeServices } from './fakeServices';

/**
 * Renders the whole app over fake services, optionally with a student already signed in on this
 * device and at a given address (hash), the way a reload would find it.
 */
export function renderApp(options: { signedInAs?: string; hash?: string; services?: ReturnType<typeof createFakeServices> } = {}) {
  const fake = options.services ?? createFakeServices();
  const studentIds: string[] = [];
  // Plain services without a resilience runtime: these tests are about the app's own screens.
  const createSession = (studentId: string): StudentSession => {
    studentIds.push(studentId);
    return { studentId, services: fake.services, dispose: () => fake.services.tutor.close() };
  };
  if (options.signedInAs) saveStudent({ name: options.signedInAs, id: studentIdFromName(options.signedInAs) });
  window.location.hash = options.hash ?? '';
  const user = userEvent.setup();
  const auth = fakeAuth();
  const view = render(<App createSession={createSession} auth={auth.auth} />);
  return { ...view, user, control: fake.control, studentIds, auth };
}
