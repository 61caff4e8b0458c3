import { classify, type ReloadGuard } from '../../resilience';

export interface SessionCodeOptions<T> {
  /** Imports the session's code (its own chunk). */
  load: () => Promise<T>;
  /** Started alongside every load (the runtime's afterFirstLoad chunk); its failure is said where it is used. */
  alongside?: () => Promise<unknown>;
  /** The tab's automatic-reload budget (shared with service-worker updates). */
  guard: Pick<ReloadGuard, 'allowed' | 'mark'>;
  reload: () => void;
  /** False when the browser knows it is offline: a reload would show the browser's own error page. */
  online: () => boolean;
}

/**
 * Loads a signed-in student's session code. A chunk that cannot be fetched while online is most often one a
 * deploy removed: the tab reloads once (within the shared reload budget, so it never loops) and the promise
 * stays pending while the page goes. Any other failure, or one within the budget's window, or offline,
 * rejects with the classified error: the app says it and offers Try again.
 */
export function sessionCodeLoader<T>(options: SessionCodeOptions<T>): () => Promise<T> {
  // One load at a time: the entry's early start and App's first createSession share it; a failure lets the next call try again.
  let current: Promise<T> | null = null;
  const attempt = async (): Promise<T> => {
    void options.alongside?.().catch(() => undefined);
    try {
      return await options.load();
    } catch (error) {
      current = null;
      const classified = classify(error);
      if (classified.code === 'CHUNK_LOAD' && options.online() && options.guard.allowed() && options.guard.mark()) {
        options.reload();
        return new Promise<T>(() => undefined);
      }
      // With its code, so the app words it ("Part of the app couldn't be downloaded…").
      throw classified;
    }
  };
  return () => (current ??= attempt());
}
