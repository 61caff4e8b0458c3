import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { firstLoadScripts } from '../helpers/appBuild';
import { launchBrowser, type BrowserSession } from '../helpers/browser';
import { waitFor, waitForText } from '../helpers/e2e';
import { signInOverHttp, startTestServer, type TestServer } from '../helpers/server';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TOKEN = 'admin-token-for-e2e-0123456789';

interface AxeViolation {
  id: string;
  impact: string | null;
}

const item = (id: string, over: Record<string, unknown> = {}) => {
  const now = Date.now();
  return {
    id, version: 1, kind: 'outboxRejected', reasonCode: 'HTTP_4XX', status: 'open', firstSeenAt: now, lastSeenAt: now, attempts: 1,
    lastError: { code: 'HTTP_4XX', status: 422, message: 'No such exercise' }, idempotencyKey: `key-${id}`,
    preview: 'POST /api/answers {exerciseId: "ex-9", answer: ‹3 chars›}', links: { outboxEntryId: id.replace(/^outbox:/, '') }, ...over,
  };
};

/** Reports an item as the student's browser does: POST /api/interventions with the student's session cookie. */
async function report(server: TestServer, cookie: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}/api/interventions`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`report answered ${response.status}: ${await response.text()}`);
}

describe('the /admin page in Chromium', () => {
  let server: TestServer | undefined;
  let browser: BrowserSession | undefined;
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
    browser = server = receiver = undefined;
  });

  it('is none of the student app\'s first load', () => {
    const scripts = firstLoadScripts('dist');
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) {
      const text = readFileSync(join('dist', url), 'utf8');
      expect({ url, admin: ['Bulk action on the current filter', 'tutor-admin-token'].filter((needle) => text.includes(needle)) }).toEqual({ url, admin: [] });
    }
  });

  it('does not exist without ADMIN_TOKEN', async () => {
    server = await startTestServer({ staticDir: 'dist', trustStudentHeader: false });
    for (const path of ['/admin', '/admin/', '/admin.html', '/admin/api/interventions']) expect({ path, status: (await fetch(`${server.url}${path}`)).status }).toEqual({ path, status: 404 });
  });

  it('signs in with the token, filters, retries one item, bulk-discards with a preview, shows the audit log and dashboard, with no serious axe violation', async () => {
    server = await startTestServer({ staticDir: 'dist', adminToken: TOKEN, trustStudentHeader: false });
    const ada = await signInOverHttp(server.url, 'Ada');
    const bob = await signInOverHttp(server.url, 'Bob');
    await report(server, ada, item('outbox:a1'));
    await report(server, ada, item('outbox:a2'));
    await report(server, bob, item('outbox:b1'));
    await report(server, bob, item('checkpoint:lesson', { kind: 'checkpointCorrupt', reasonCode: 'quarantined', lastError: { code: 'CHECKPOINT_INVALID', message: 'checksum mismatch' }, preview: undefined, idempotencyKey: undefined, links: { workflow: 'lesson' } }));
    const students = (await (await fetch(`${server.url}/admin/api/interventions`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as { items: { student: string; id: string }[] };
    const adaId = students.items.find((entry) => entry.id === 'outbox:a1')?.student ?? '';

    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { level: 1, name: 'Intervention queue' }).waitFor();
    await page.getByLabel('Admin token').fill('not-the-admin-token-000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await waitForText(page.getByRole('status').first(), /That token is not the admin token/);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByLabel('Your name (for the audit log)').fill('ops.lee');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const results = page.getByRole('status').first();
    await waitForText(results, /Showing 1–4 of 4 items/);
    expect(await page.evaluate(() => [sessionStorage.getItem('tutor-admin-token'), localStorage.length, document.cookie])).toEqual([TOKEN, 0, '']);

    await page.getByLabel('Kind').selectOption('outboxRejected');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await waitForText(results, /Showing 1–3 of 3 items/);
    await page.getByLabel('Search').fill('No such exercise');
    await page.getByLabel('Student').fill(adaId);
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await waitForText(results, /Showing 1–2 of 2 items/);

    await page.getByRole('button', { name: `Retry ${adaId}/outbox:a1` }).click();
    await waitForText(results, new RegExp(`retry of ${adaId}/outbox:a1 done`));
    // The admin's retry is queued for Ada's browser, which replays it at its next poll.
    const commands = (await (await fetch(`${server.url}/api/interventions/commands?after=0`, { headers: { Cookie: ada } })).json()) as { commands: { itemId: string; action: string }[] };
    expect(commands.commands).toEqual([expect.objectContaining({ itemId: 'outbox:a1', action: 'retry' })]);

    // Bulk discard over the whole kind: preview the count, confirm exactly that.
    await page.getByLabel('Student').fill('');
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Apply filter' }).click();
    await waitForText(results, /Showing 1–3 of 3 items/);
    await page.getByLabel('Bulk action to apply').selectOption('discard');
    await page.getByLabel('Bulk discard reason').fill('exercise removed from the lesson');
    await page.getByRole('button', { name: 'Preview' }).click();
    await waitForText(page.getByRole('group', { name: 'Bulk action on the current filter' }), /This will discard 3 items matching the current filter/);
    await page.getByRole('button', { name: 'Confirm discard of 3' }).click();
    await waitForText(results, /Bulk discard: 3 items done/);

    const audit = page.getByRole('table', { name: 'Audit log' });
    await waitForText(audit, /bulk\.discard/);
    const rows = await audit.locator('tbody tr').allInnerTexts();
    expect(rows.filter((row) => row.includes('ops.lee'))).toHaveLength(5);
    expect(rows.filter((row) => /\tdiscard\t/.test(row))).toHaveLength(3);
    expect(rows.some((row) => row.includes('\tretry\t') && row.includes(`${adaId}/outbox:a1`))).toBe(true);

    const dashboard = page.getByRole('region', { name: 'Recovery dashboard' });
    await waitForText(dashboard, /Failed after recovery\s*4/);
    await waitForText(dashboard, /HTTP 422 at POST \/api\/answers .* on 2 clients: 3 items \(HTTP_4XX ×3\); 3 dead-lettered/);

    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(context: Element): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run(document.body)).violations.map((v) => ({ id: v.id, impact: v.impact }));
    });
    if (violations.length > 0) console.info(`axe (all impacts): ${JSON.stringify(violations)}`);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('an item left unresolved past the threshold makes exactly one webhook call, also across a server restart', async () => {
    receiver = await startWebhookReceiver();
    const notify = { webhookUrl: receiver.url, unresolvedAfterMs: 200, rateCount: 1000, rateWindowMs: 1000, perKindIntervalMs: 0, checkIntervalMs: 50, maxAttempts: 3 };
    server = await startTestServer({ adminToken: TOKEN, trustStudentHeader: false, notify });
    const ada = await signInOverHttp(server.url, 'Ada');
    await report(server, ada, item('outbox:stuck'));
    const calls = receiver.calls;
    await waitFor(() => Promise.resolve(calls.length), (n) => n >= 1, 'the webhook call');
    // Many more checks (50 ms apart), a restart over the same database, and many more: still one call.
    await sleep(500);
    await server.restart();
    await sleep(500);
    expect(receiver.calls).toHaveLength(1);
    expect(receiver.calls[0]?.json).toMatchObject({ type: 'unresolved', kind: 'outboxRejected', items: [{ id: 'outbox:stuck', lastError: { status: 422 } }] });
  });
});
