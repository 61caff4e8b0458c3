import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../../src/app/App';
import { saveStudent } from '../../../src/app/identity/studentStore';
import type { TutorServices } from '../../../src/app/services/types';
import { createFakeServices } from './fakeServices';

/**
 * Renders the whole app over fake services, optionally with a student already signed in on this
 * device and at a given address (hash), the way a reload would find it.
 */
export function renderApp(options: { signedInAs?: string; hash?: string; services?: ReturnType<typeof createFakeServices> } = {}) {
  const fake = options.services ?? createFakeServices();
  const studentIds: string[] = [];
  const createServices = (studentId: string): TutorServices => {
    studentIds.push(studentId);
    return fake.services;
  };
  if (options.signedInAs) saveStudent(options.signedInAs);
  window.location.hash = options.hash ?? '';
  const user = userEvent.setup();
  const view = render(<App createServices={createServices} />);
  return { ...view, user, control: fake.control, studentIds };
}
