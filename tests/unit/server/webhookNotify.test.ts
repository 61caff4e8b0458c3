import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../server/db/database';
import { createInterventionStore } from '../../../server/db/interventionStore';
import { createNotifier, type Notice } from '../../../server/notify/notifier';
import type { NotifyClock } from '../../../server/notify/notifyClock';
import { notifyConfigFromEnv, type NotifyConfig } from '../../../server/notify/notifyConfig';
import { verifyWebhook } from '../../../server/notify/webhookSignature';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver';

const T0 = Date.parse('2030-01-01T10:00:00Z');
const MINUTE = 60_000;
const SECRET = 'webhook-secret-0123456789';

const item = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  version: 1,
  kind: 'outboxRejected',
  reasonCode: 'HTTP_4XX',
  status: 'open',
  firstSeenAt: T0,
  lastSeenAt: T0,
  attempts: 1,
  lastError: { code: 'HTTP_4XX', status: 422, message: 'No such exercise' },
  preview: 'POST /api/answers {exerciseId: "ex-9", answer: ‹3 chars›}',
  links: { outboxEntryId: id },
  ...over,
});

describe('webhook notifications', () => {
  let dir: string;
  let db: Db;
  let receiver: WebhookReceiver;
  let now: number;
  let sleeps: number[];
  const clock: NotifyClock = {
    now: () => now,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  const config = (over: Partial<NotifyConfig> = {}): NotifyConfig => ({
    webhookUrl: receiver.url,
    unresolvedAfterMs: 15 * MINUTE,
    rateCount: 3,
    rateWindowMs: 5 * MINUTE,
    perKindIntervalMs: 10 * MINUTE,
    checkIntervalMs: 30_000,
    maxAttempts: 5,
    ...over,
  });
  const notifier = (over: Partial<NotifyConfig> = {}) => createNotifier({ db, config: config(over), clock, random: () => 0.5, onError: () => undefined });
  const store = () => createInterventionStore(db, () => now);
  const received = () => receiver.calls.map((call) => call.json as Notice);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tutor-notify-'));
    db = openDatabase(dir);
    receiver = await startWebhookReceiver();
    now = T0;
    sleeps = [];
  });
  afterEach(async () => {
    db.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends one notice per item left unresolved past the threshold, however often it checks, also after a restart', async () => {
    store().report('ada', item('outbox:1'));
    now += MINUTE;
    store().report('bob', item('outbox:2', { kind: 'checkpointCorrupt', reasonCode: 'CHECKSUM' }));
    store().report('cy', item('outbox:3'));
    store().report('cy', item('outbox:3', { version: 2, status: 'resolved' }));
    let first = notifier();
    now = T0 + 14 * MINUTE;
    await first.check();
    expect(receiver.calls).toHaveLength(0);
    now = T0 + 17 * MINUTE;
    for (let i = 0; i < 5; i += 1) await first.check();
    now += 60 * MINUTE;
    await first.check();
    await first.stop();
    // A restart: the database is closed and reopened, a new notifier checks again.
    db.close();
    db = openDatabase(dir);
    first = notifier();
    await first.check();
    now += 60 * MINUTE;
    await first.check();
    await first.stop();
    expect(received().map((notice) => [notice.type, notice.type === 'unresolved' ? notice.items.map((entry) => `${entry.student}/${entry.id}`) : []])).toEqual([
      ['unresolved', ['bob/outbox:2']],
      ['unresolved', ['ada/outbox:1']],
    ]);
    expect(receiver.calls[1]?.json).toMatchObject({ kind: 'outboxRejected', items: [{ reasonCode: 'HTTP_4XX', lastError: { status: 422 }, preview: expect.stringContaining('‹3 chars›') as unknown }] });
  });

  it('retries network errors, 5xx and 429 with growing, jittered delays until the receiver answers 200', async () => {
    store().report('ada', item('outbox:1'));
    now += 20 * MINUTE;
    receiver.answers.push(503, 'drop', { status: 429, headers: { 'Retry-After': '7' } }, 500);
    const n = createNotifier({ db, config: config(), clock, random: () => 0.25, onError: () => undefined });
    const summary = await n.check();
    expect(summary.sent).toHaveLength(1);
    expect(receiver.calls.map((call) => call.headers['x-tutor-attempt'])).toEqual(['1', '2', '3', '4', '5']);
    // base 1 s doubling, half fixed + half jitter (random 0.25): 625, 1250; Retry-After 7 s; then 5000 (8 s step).
    expect(sleeps).toEqual([625, 1250, 7000, 5000]);
    expect(new Set(receiver.calls.map((call) => call.headers['x-tutor-delivery'])).size).toBe(1);
    now += 60 * MINUTE;
    await n.check();
    expect(receiver.calls).toHaveLength(5);
  });

  it('gives up after the last attempt, or at once on another 4xx, and tries the item again later', async () => {
    store().report('ada', item('outbox:1'));
    now += 20 * MINUTE;
    receiver.answers.push(500, 500, 500, 500, 500, 400);
    const n = notifier();
    expect((await n.check()).failed[0]?.result).toMatchObject({ ok: false, attempts: 5, status: 500 });
    now += 10 * MINUTE;
    expect((await n.check()).failed[0]?.result).toMatchObject({ ok: false, attempts: 1, status: 400 });
    now += 10 * MINUTE;
    expect((await n.check()).sent).toHaveLength(1);
    expect(receiver.calls).toHaveLength(7);
  });

  it('signs each call so that the receiver can verify it with the secret and refuse a replay', async () => {
    store().report('ada', item('outbox:1'));
    now += 20 * MINUTE;
    await notifier({ webhookSecret: SECRET }).check();
    const [call] = receiver.calls;
    const header = String(call?.headers['x-tutor-signature']);
    const nowSeconds = Math.floor(now / 1000);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, call?.body ?? '', header, nowSeconds)).toBe(true);
    expect(verifyWebhook('another-secret-0123456789', call?.body ?? '', header, nowSeconds)).toBe(false);
    expect(verifyWebhook(SECRET, (call?.body ?? '').replace('ada', 'eve'), header, nowSeconds)).toBe(false);
    expect(verifyWebhook(SECRET, call?.body ?? '', header, nowSeconds + 3600)).toBe(false);
    // A replay an hour later with a fresh timestamp in the header: the MAC no longer matches.
    const replayed = header.replace(/^t=\d+/, `t=${nowSeconds + 3600}`);
    expect(verifyWebhook(SECRET, call?.body ?? '', replayed, nowSeconds + 3600)).toBe(false);
    await receiver.close();
    receiver = await startWebhookReceiver();
    store().report('bob', item('outbox:2'));
    now += 20 * MINUTE;
    await notifier().check();
    expect(receiver.calls[0]?.headers['x-tutor-signature']).toBeUndefined();
  });

  it('sends a rate notice when one kind crosses the rate, at most once per kind per interval', async () => {
    const n = notifier({ unresolvedAfterMs: 24 * 60 * MINUTE });
    for (const id of ['a', 'b']) store().report(id, item(`outbox:${id}`));
    store().report('c', item('q:1', { kind: 'quarantined', reasonCode: 'SCHEMA' }));
    await n.check();
    expect(receiver.calls).toHaveLength(0);
    now += MINUTE;
    store().report('c', item('outbox:c', { reasonCode: 'HTTP_409' }));
    store().report('c', item('outbox:d'));
    await n.check();
    await n.check();
    now += 4 * MINUTE;
    store().report('d', item('outbox:e'));
    await n.check();
    expect(received()).toEqual([
      expect.objectContaining({ type: 'rate', kind: 'outboxRejected', count: 4, students: 3, threshold: 3, reasons: { HTTP_4XX: 3, HTTP_409: 1 } }),
    ]);
    for (const id of ['q:2', 'q:3', 'q:4']) store().report('e', item(id, { kind: 'quarantined', reasonCode: 'SCHEMA' }));
    await n.check();
    expect(received().map((notice) => notice.type === 'rate' && notice.kind)).toEqual(['outboxRejected', 'quarantined']);
    now += 6 * MINUTE;
    for (const id of ['f', 'g', 'h']) store().report(id, item(`outbox:${id}`));
    await n.check();
    expect(received().map((notice) => notice.type === 'rate' && notice.kind)).toEqual(['outboxRejected', 'quarantined', 'outboxRejected']);
  });

  it('holds back a second unresolved notice of the same kind until the interval has passed, then sends what waited', async () => {
    const n = notifier();
    store().report('ada', item('outbox:1'));
    now += 16 * MINUTE;
    await n.check();
    store().report('bob', item('outbox:2'));
    now += 16 * MINUTE;
    await n.check();
    expect(receiver.calls).toHaveLength(2);
    store().report('cy', item('outbox:3'));
    store().report('dee', item('outbox:4'));
    now += 16 * MINUTE;
    await n.check();
    expect(received().map((notice) => (notice.type === 'unresolved' ? notice.items.map((entry) => entry.student) : []))).toEqual([['ada'], ['bob'], ['cy', 'dee']]);
  });

  it('reads its settings from the environment and refuses bad ones by name', () => {
    expect(notifyConfigFromEnv({})).toBeUndefined();
    expect(notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'https://hooks.example.org/tutor', NOTIFY_UNRESOLVED_AFTER_MS: '60000' })).toMatchObject({ webhookUrl: 'https://hooks.example.org/tutor', unresolvedAfterMs: 60_000, rateCount: 20 });
    expect(() => notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'hooks.example.org' })).toThrow('NOTIFY_WEBHOOK_URL must be an absolute http:// or https:// URL, got "hooks.example.org".');
    expect(() => notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'ftp://hooks.example.org' })).toThrow('NOTIFY_WEBHOOK_URL must use http:// or https://');
    expect(() => notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'https://x.example', NOTIFY_RATE_COUNT: '0' })).toThrow('NOTIFY_RATE_COUNT must be an integer from 1');
    expect(() => notifyConfigFromEnv({ NOTIFY_WEBHOOK_URL: 'https://x.example', NOTIFY_WEBHOOK_SECRET: 'short' })).toThrow('NOTIFY_WEBHOOK_SECRET must be at least 16 characters.');
    expect(() => notifyConfigFromEnv({ NOTIFY_WEBHOOK_SECRET: SECRET })).toThrow('NOTIFY_WEBHOOK_SECRET is set but NOTIFY_WEBHOOK_URL is not');
  });
});
