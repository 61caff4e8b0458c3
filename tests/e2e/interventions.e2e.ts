import { openLesson, signIn, startWorld, submitAnswer, waitFor, waitForText, type E2EWorld } from '../helpers/e2e';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

interface AdminItem {
  student: string;
  id: string;
  kind: string;
  status: string;
  idempotencyKey?: string;
  preview?: string;
}

describe('an answer the server rejects, retried by an admin (Chromium)', () => {
  let world: E2EWorld;

  beforeEach(async () => {
    world = await startWorld({ adminToken: ADMIN_TOKEN });
  });
  afterEach(async () => {
    await world.close();
  });

  const admin = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${world.server.url}${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', ...init.headers } });
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  it('shows it to the student and the admin; after the cause is fixed the admin retry replays it once and the notice goes', async () => {
    const { page, server } = world;
    await signIn(page, server.url, 'Ada');
    await openLesson(page, server.url, 'fractions', 'Fractions');
    await server.chaos({ http: { failNext: 1, status: 422, pathPrefix: '/api/answers' } });

    await submitAnswer(page, 1, '1/2');
    const attention = page.getByRole('region', { name: 'Needs your attention' });
    await attention.waitFor();
    const notice = page.locator('.attention-notice');
    expect(await notice.getAttribute('aria-live')).toBe('polite');
    expect(await notice.getByRole('status').count()).toBe(1);
    await waitForText(notice, /^The server did not accept one of your saved answers\. It is kept on this device: see Needs your attention to retry or discard it\.$/);
    expect(await notice.getByRole('link', { name: 'Needs your attention' }).getAttribute('href')).toBe('#needs-your-attention');

    // The reporter sends the item through the outbox: it reaches the admin API with the redacted preview only.
    const listed = await waitFor(
      () => admin<{ items: AdminItem[]; total: number }>('/admin/api/interventions?kind=outboxRejected'),
      (list) => list.total === 1,
      'the reported item on the admin API',
    );
    const [item] = listed.items;
    expect(item).toMatchObject({ kind: 'outboxRejected', status: 'open' });
    expect(item?.preview).not.toContain('1/2');
    expect((await server.stats()).answers.applied).toBe(0);

    // The cause is fixed, then the admin retries; the student comes back to the tab (the poll's visibility trigger).
    await fetch(`${server.url}/__chaos/reset`, { method: 'POST' });
    await admin(`/admin/api/interventions/${encodeURIComponent(item?.student ?? '')}/${encodeURIComponent(item?.id ?? '')}/retry`, { method: 'POST', body: '{}' });
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));

    await waitFor(() => server.stats(), (stats) => stats.answers.applied === 1, 'the retried answer applied');
    await waitForText(notice, /^$/);
    await attention.waitFor({ state: 'detached' });
    const stats = await server.stats();
    expect(stats.answers.applied).toBe(1);
    expect(stats.appliedKeys).toEqual([item?.idempotencyKey]);
    // Later syncs do not send it again.
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitFor(
      () => admin<{ items: AdminItem[] }>('/admin/api/interventions?kind=outboxRejected'),
      (list) => list.items[0]?.status === 'resolved',
      'the item resolved on the server',
    );
    expect((await server.stats()).answers.applied).toBe(1);
  });
});
