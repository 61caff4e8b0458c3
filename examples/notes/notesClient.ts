// A notes client built only on the runtime's public entry: nothing here knows about lessons or tutors, and the
// runtime knows nothing about notes.
import {
  circuitBreaker,
  createResilienceRuntime,
  ResilienceError,
  retry,
  timeout,
  wrap,
  type ResilienceRuntime,
} from '../../src/resilience';
import type { Note } from './notesServer';

export interface NotesClientOptions {
  baseUrl: string;
  user: string;
  /** IndexedDB for the outbox (a browser's, or fake-indexeddb in Node); null keeps it in memory. */
  indexedDB?: IDBFactory | null;
}

export interface NotesList {
  readonly notes: readonly Note[];
  /** Where the list came from: the API, or the last list seen (stale) while the API fails. */
  readonly source: 'network' | 'fallback';
}

export interface NotesClient {
  readonly runtime: ResilienceRuntime;
  list(): Promise<NotesList>;
  /** Stores the note durably first, then the outbox sends it (now, or when the API is back) exactly once. */
  add(text: string): Promise<{ readonly queued: true; readonly id: string }>;
  /** Replays queued notes now. */
  sync(): Promise<number>;
  search(query: string): Promise<readonly Note[]>;
  close(): void;
}

export function createNotesClient(options: NotesClientOptions): NotesClient {
  const runtime = createResilienceRuntime({
    api: { baseUrl: options.baseUrl },
    storage: { indexedDB: options.indexedDB, databaseName: `notes-${options.user}`, local: null },
    userId: options.user,
  });
  let lastSeen: readonly Note[] | undefined;
  runtime.fallback.registerStrategy<readonly Note[]>('notes.list', {
    name: 'last-seen-list',
    canHandle: () => lastSeen !== undefined,
    execute: async () => (lastSeen ? { ok: true, value: lastSeen, stale: true } : { ok: false, error: new ResilienceError('UNKNOWN', 'No list seen yet') }),
  });

  // A second backend reached with plain fetch, under the standalone policies.
  const searchPolicy = wrap(retry({ policy: 'interactive' }), circuitBreaker({ backend: 'search' }), timeout(2_000, { backend: 'search' }));

  return {
    runtime,
    async list() {
      const outcome = await runtime.fallback.executeWithFallback<readonly Note[]>(async (signal) => {
        const result = await runtime.api.request<readonly Note[]>({ op: 'notes.list', method: 'GET', path: '/api/notes', signal });
        if (!result.ok) return { ok: false, error: result.error };
        lastSeen = result.value ?? [];
        return { ok: true, value: lastSeen };
      }, 'notes.list');
      if (!outcome.ok) throw outcome.error;
      return { notes: outcome.value, source: outcome.source };
    },
    async add(text) {
      const entry = await runtime.outbox.submit({ scope: 'notes', user: options.user, request: { method: 'POST', path: '/api/notes', body: { text } } });
      void runtime.outbox.drain();
      return { queued: true, id: entry.id };
    },
    async sync() {
      return (await runtime.outbox.syncNow()).sent;
    },
    search(query) {
      return searchPolicy.execute(async ({ signal }) => {
        const response = await fetch(`${options.baseUrl}/api/search?q=${encodeURIComponent(query)}`, { signal });
        if (!response.ok) throw response;
        return (await response.json()) as readonly Note[];
      });
    },
    close: () => runtime.dispose(),
  };
}
