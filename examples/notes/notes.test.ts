import { IDBFactory } from 'fake-indexeddb';
import { createNotesClient, type NotesClient } from './notesClient';
import { startNotesServer, type NotesServer } from './notesServer';

let server: NotesServer;
let client: NotesClient;

beforeEach(async () => {
  server = await startNotesServer();
  client = createNotesClient({ baseUrl: server.url, user: 'sam', indexedDB: new IDBFactory() });
});
afterEach(async () => {
  client.close();
  await server.close();
});

describe('a notes app on the resilience runtime (second consumer of the public API)', () => {
  it('a note written while the API fails is kept and applied exactly once when it is back', async () => {
    server.failWith(503);
    const added = await client.add('buy milk');
    expect(added.queued).toBe(true);
    expect(server.stats.applied).toBe(0);

    server.failWith(null);
    await client.sync();
    await client.sync(); // a second sync has nothing left to send
    expect(server.stats.applied).toBe(1);
    expect(server.notes.map((note) => note.text)).toEqual(['buy milk']);
    expect(client.runtime.outbox.snapshot().pending).toBe(0);
  });

  it('serves the last list it saw, labelled as a fallback, while the API fails', async () => {
    await client.add('first');
    await vi.waitFor(() => expect(server.stats.applied).toBe(1));
    expect(await client.list()).toEqual({ notes: [{ id: 1, text: 'first' }], source: 'network' });

    server.failWith(500);
    expect(await client.list()).toEqual({ notes: [{ id: 1, text: 'first' }], source: 'fallback' });
  });

  it('plain fetch under wrap(retry, circuitBreaker, timeout): a blip is retried, a down backend trips the breaker', async () => {
    await client.add('find me');
    await vi.waitFor(() => expect(server.stats.applied).toBe(1));
    await expect(client.search('find')).resolves.toEqual([{ id: 1, text: 'find me' }]);

    server.failWith(503);
    const start = server.stats.requests;
    await expect(client.search('find')).rejects.toMatchObject({ code: 'HTTP_5XX' });
    expect(server.stats.requests - start).toBe(3); // the first attempt and two retries
    // Two more failures make five in a row: the breaker opens and the last retry is turned away.
    await expect(client.search('find')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(server.stats.requests - start).toBe(5);
    const before = server.stats.requests;
    await expect(client.search('find')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    expect(server.stats.requests).toBe(before); // failed fast, nothing sent
  }, 20_000);
});
