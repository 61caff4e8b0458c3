import type { IDBFactory } from 'fake-indexeddb';
import type { FetchLike } from '../../../../src/resilience';
import { OUTBOX_STORES } from '../../../../src/resilience/outbox/outboxStore';
import { json } from '../helpers';
import { freshFactory, outboxRuntime, settle, until } from '../outboxHelpers';

/** A backend without the interventions endpoint (an older server): answers are refused (422), reports 404. */
const reportsSent: string[] = [];
const olderServer: FetchLike = async (url) => {
  if (url.endsWith('/api/interventions')) reportsSent.push(url);
  if (url.endsWith('/api/answers')) return json({ error: { code: 'UNKNOWN_EXERCISE', message: 'No such exercise' } }, 422);
  return json({ error: { code: 'NOT_FOUND', message: 'No such endpoint' } }, 404);
};

describe('a report the server refuses', () => {
  it('never shows in the student\'s "Needs your attention" list and is dropped from storage', async () => {
    const factory = freshFactory();
    const { runtime } = outboxRuntime({ api: { fetch: olderServer, extraHeaders: () => ({ 'X-Student-Id': 'ada' }) }, factory, userId: 'ada', escalation: { server: true, commandPollMs: 3_600_000 } });
    await runtime.escalations.ready();
    const listed = new Set<string>();
    runtime.outbox.subscribe((snapshot) => snapshot.interventions.forEach((record) => listed.add(record.entry.request.path)));
    await runtime.outbox.submit({ scope: 'lesson:fractions', user: 'ada', request: { method: 'POST', path: '/api/answers', body: { lessonId: 'fractions', exerciseId: 'f9', answer: '7' } } });
    await runtime.outbox.drain();
    await until(() => runtime.escalations.list().length === 1, 'the item');
    // The item's report is queued, sent, refused (404) and dropped.
    for (let i = 0; i < 5; i++) await runtime.outbox.drain();
    await settle();
    expect([...listed]).toEqual(['/api/answers']);
    expect(runtime.outbox.snapshot().interventions.map((record) => record.entry.request.path)).toEqual(['/api/answers']);
    runtime.dispose();

    expect(reportsSent.length).toBeGreaterThan(0); // the report really was sent and refused
    // What storage holds: only the refused answer waits for a decision.
    expect((await storedInterventions(factory)).map((record) => record.entry.request.path)).toEqual(['/api/answers']);
  });
});

/** The records of the stored intervention list, read from IndexedDB directly. */
async function storedInterventions(factory: IDBFactory): Promise<{ entry: { request: { path: string } } }[]> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open('resilience');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const records = await new Promise<unknown[]>((resolve, reject) => {
    const request = db.transaction(OUTBOX_STORES.interventions).objectStore(OUTBOX_STORES.interventions).getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return records as never;
}
