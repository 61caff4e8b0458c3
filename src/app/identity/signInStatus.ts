/**
 * Whether the current student's sign-in still holds, as the app learnt it: `ended` once a refresh answered that
 * only the passphrase helps (or named another student), `active` again after signing in. One per student session.
 */
export interface SignInStatus {
  ended(): boolean;
  markEnded(): void;
  markActive(): void;
  subscribe(listener: () => void): () => void;
}

export function createSignInStatus(): SignInStatus {
  let ended = false;
  const listeners = new Set<() => void>();
  const set = (next: boolean) => {
    if (next === ended) return;
    ended = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    ended: () => ended,
    markEnded: () => set(true),
    markActive: () => set(false),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
