import type { SignInProblem } from './sessionApi';

function waitWords(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** What the sign-in forms say when signing in did not work. */
export function describeSignInProblem(problem: SignInProblem, name: string): string {
  switch (problem.kind) {
    case 'wrongPassphrase':
      return `That passphrase does not match the name "${name}". Check it and try again, or choose another name if this one is not yours.`;
    case 'tooManyAttempts':
      return `Too many tries. Please wait ${waitWords(problem.retryAfterSeconds)} and try again.`;
    case 'invalid':
      return problem.message;
    case 'unreachable':
      return 'The server could not be reached, so you are not signed in. Check your connection and try again.';
    case 'server':
      return 'Signing in did not work just now. Please try again in a moment.';
  }
}
