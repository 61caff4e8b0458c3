import type { RecoveryDashboard } from '../../../server/recovery/recoveryDashboard';
import { startTestServer, type TestServer } from '../../helpers/server';

const TOKEN = 'admin-token-for-tests-0123456789';
const at = (hhmm: string) => Date.parse(`2030-01-01T${hhmm}:00Z`);
const MINUTE = 60_000;

interface Scenario {
  student: string;
  id: string;
  kind: string;
  reasonCode: string;
  firstSeen: string;
  lastSeen?: string;
  status?: string;
  lastError: { code: string; status?: number; message: string };
  preview?: string;
  links: Record<string, string>;
}

const loadFailed = (student: string, firstSeen: string, lastSeen: string, status: string): Scenario => ({
  student, id: 'recovery:lessons.load:HTTP_5XX', kind: 'recoveryFailed', reasonCode: 'HTTP_5XX', firstSeen, lastSeen, status,
  lastError: { code: 'HTTP_5XX', status: 503, message: 'Service Unavailable' }, links: { op: 'lessons.load' },
});
const answerRejected = (student: string, n: number, firstSeen: string, status = 'open'): Scenario => ({
  student, id: `outbox:answer-${n}`, kind: 'outboxRejected', reasonCode: 'HTTP_4XX', firstSeen, status,
  lastError: { code: 'HTTP_4XX', status: 422, message: 'No such exercise' }, preview: `POST /api/answers {exerciseId: "ex-${n}", answer: ‹3 chars›}`, links: { outboxEntryId: `answer-${n}` },
});

// An API outage on lesson loading for four students, three answers the server rejected during it, a corrupt
// checkpoint at 13:00 and one more 5xx for a single student much later.
const SCENARIO: Scenario[] = [
  loadFailed('s1', '10:02', '10:12', 'resolved'),
  loadFailed('s2', '10:03', '10:08', 'resolved'),
  loadFailed('s3', '10:05', '10:20', 'resolved'),
  loadFailed('s4', '10:07', '10:07', 'open'),
  answerRejected('s1', 1, '10:04'),
  answerRejected('s2', 2, '10:04'),
  answerRejected('s5', 3, '10:05', 'discarded'),
  {
    student: 's6', id: 'checkpoint:lesson', kind: 'checkpointCorrupt', reasonCode: 'quarantined', firstSeen: '13:00', lastSeen: '13:02', status: 'resolved',
    lastError: { code: 'CHECKPOINT_INVALID', message: 'checksum mismatch' }, links: { workflow: 'lesson' },
  },
  loadFailed('s7', '15:00', '15:00', 'open'),
];

async function report(server: TestServer, entry: Scenario): Promise<void> {
  const { student, firstSeen, lastSeen, status, ...rest } = entry;
  const send = async (body: Record<string, unknown>) => {
    const response = await fetch(`${server.url}/api/interventions`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Student-Id': student }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
  };
  const first = { ...rest, version: 1, status: 'open', firstSeenAt: at(firstSeen), lastSeenAt: at(firstSeen), attempts: 3 };
  await send(first);
  if (status !== 'open' || lastSeen !== firstSeen) {
    await send({ ...first, version: 2, status, lastSeenAt: at(lastSeen ?? firstSeen), ...(status === 'discarded' ? { discardReason: 'exercise removed' } : {}) });
  }
}

describe('the recovery dashboard', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ adminToken: TOKEN, now: () => at('16:00') });
    for (const entry of SCENARIO) await report(server, entry);
  });
  afterEach(() => server.close());

  const dashboard = async (query = '') => {
    const response = await fetch(`${server.url}/admin/api/dashboard${query}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as RecoveryDashboard;
  };

  it('needs the admin token', async () => {
    expect((await fetch(`${server.url}/admin/api/dashboard`)).status).toBe(401);
    expect((await fetch(`${server.url}/admin/api/dashboard`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('counts outcomes, reasons and the mean recovery time of a fixed scenario exactly, and says what they cover', async () => {
    const data = await dashboard();
    expect(data.coverage).toContain('not reported');
    expect({ items: data.items, clients: data.clients, byStatus: data.byStatus, outcomes: data.outcomes }).toEqual({
      items: 9,
      clients: 7,
      byStatus: { resolved: 4, open: 4, discarded: 1 },
      outcomes: { succeededFirstTry: null, recoveredAfterIntervention: 4, failedAfterRecovery: 5 },
    });
    expect(data.reasons).toEqual([
      { kind: 'recoveryFailed', reasonCode: 'HTTP_5XX', count: 5, percent: 55.6 },
      { kind: 'outboxRejected', reasonCode: 'HTTP_4XX', count: 3, percent: 33.3 },
      { kind: 'checkpointCorrupt', reasonCode: 'quarantined', count: 1, percent: 11.1 },
    ]);
    // 10 + 5 + 15 + 2 minutes over four resolved items.
    expect(data.meanRecoveryTimeMs).toBe(8 * MINUTE);
    expect(data.resolvedMeasured).toBe(4);
  });

  it('groups failures into incidents by code, backend and time window, each with a likely cause and its evidence', async () => {
    const { incidents } = await dashboard();
    expect(incidents.map(({ failure, backend, items, clients, from, to, evidence }) => ({ failure, backend, items, clients, from, to, evidence }))).toEqual([
      { failure: 'HTTP 5xx', backend: 'op lessons.load', items: 4, clients: 4, from: at('10:02'), to: at('10:07'), evidence: 'HTTP 5xx at op lessons.load from 10:02 to 10:07 UTC on 4 clients: 4 items (HTTP_5XX ×4); 1 still open' },
      { failure: 'HTTP 422', backend: 'POST /api/answers', items: 3, clients: 3, from: at('10:04'), to: at('10:05'), evidence: 'HTTP 422 at POST /api/answers from 10:04 to 10:05 UTC on 3 clients: 3 items (HTTP_4XX ×3); 3 dead-lettered; 2 still open' },
      { failure: 'CHECKPOINT_INVALID', backend: 'device storage (checkpoints)', items: 1, clients: 1, from: at('13:00'), to: at('13:00'), evidence: 'CHECKPOINT_INVALID at device storage (checkpoints) at 13:00 UTC on 1 client: 1 item (CHECKPOINT_INVALID ×1)' },
      { failure: 'HTTP 5xx', backend: 'op lessons.load', items: 1, clients: 1, from: at('15:00'), to: at('15:00'), evidence: 'HTTP 5xx at op lessons.load at 15:00 UTC on 1 client: 1 item (HTTP_5XX ×1); 1 still open' },
    ]);
    expect(incidents[0]?.likelyCause).toMatch(/^Server-side failure of op lessons\.load: several clients/);
    expect(incidents[1]?.likelyCause).toMatch(/^Rejected as invalid by POST \/api\/answers \(HTTP 422\)/);
    expect(incidents[2]?.likelyCause).toMatch(/^Saved progress on the device could not be read back/);
    expect(incidents[3]?.likelyCause).toMatch(/^Server errors \(5xx\) from op lessons\.load for one client/);
    expect(incidents[1]?.statuses).toEqual({ open: 2, discarded: 1 });
  });

  it('limits the dashboard to items seen since a time, and refuses a bad one', async () => {
    expect((await dashboard(`?since=${at('12:00')}`)).items).toBe(2);
    const response = await fetch(`${server.url}/admin/api/dashboard?since=yesterday`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(400);
  });
});
