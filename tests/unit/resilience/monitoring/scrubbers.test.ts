import { scrubData } from '../../../../src/resilience/monitoring/scrubData';
import { scrubBreadcrumb, scrubEnvelopeText, scrubEvent, scrubMetric } from '../../../../src/resilience/monitoring/scrubTelemetry';
import { scrubText, scrubUrl } from '../../../../src/resilience/monitoring/scrubText';

/** PII and secrets that must never survive a scrubber (each is checked in every serialised output). */
const CANARY = {
  email: 'ada.canary+test@example.org',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlY2FuYXJ5',
  bearer: 'Q2FuYXJ5QmVhcmVyVG9rZW4x',
  apiKey: 'sk_live_51CanaryKeyAbc123XYZ',
  idempotencyKey: 'idem-7f3c9a1e-0b2d-4c5e-9f8a-1b2c3d4e5f60',
  sessionId: 'sess9x8y7z6w5v4u3t2s1r0q',
  pathToken: 'tok1A2b3C4d5E6f7G8h9I0jK',
  studentName: 'Zelda Canaryfield',
  studentId: 'zelda-canaryfield',
  answerText: 'my secret answer canary 42',
  question: 'is my question canary private',
};
const SENSITIVE = [CANARY.studentName, CANARY.studentId];
const rules = { sensitive: SENSITIVE };
const leaked = (output: unknown): string[] => {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return Object.entries(CANARY)
    .filter(([, value]) => text.toLowerCase().includes(value.toLowerCase()) || text.includes(encodeURIComponent(value)))
    .map(([name]) => name);
};

describe('PII scrubbers on a canary corpus', () => {
  it.each([
    ['an email in a message', `Login failed for ${CANARY.email}`],
    ['a JWT', `token was ${CANARY.jwt} (expired)`],
    ['a bearer token', `Authorization: Bearer ${CANARY.bearer}`],
    ['an API key assigned', `apiKey=${CANARY.apiKey}`],
    ['an idempotency key', `replay of ${CANARY.idempotencyKey} conflicted`],
    ['a session id', `session_id: ${CANARY.sessionId}`],
    ['the student name in a message', `Could not load progress of ${CANARY.studentName}`],
    ['the student id in a message', `student ${CANARY.studentId} has 3 pending`],
    ['a URL with query and fragment', `GET https://tutor.example/api/lessons?email=${encodeURIComponent(CANARY.email)}#access_token=${CANARY.jwt} failed`],
    ['an answer echoed in quotes', `Answer '${CANARY.answerText}' was rejected`],
    ['a relative path with query', `GET /#/lessons/fractions?email=${CANARY.email}&name=${encodeURIComponent(CANARY.studentName)} failed`],
    ['a token in a URL path', `fetch http://127.0.0.1:5173/api/reset/${CANARY.pathToken}/confirm failed`],
  ])('free text: %s', (_name, text) => {
    const out = scrubText(text, SENSITIVE);
    expect(leaked(out)).toEqual([]);
  });

  it('keeps what operators need: codes, ops, numbers, lesson slugs and asset names', () => {
    expect(scrubText('HTTP_5XX on lesson after 3 attempts (503)', SENSITIVE)).toBe('HTTP_5XX on lesson after 3 attempts (503)');
    expect(scrubText('metadata of Zeldas lesson', ['Zelda'])).toBe('metadata of Zeldas lesson');
    expect(scrubUrl('http://127.0.0.1:4000/assets/sentryBridge-Dk3j2kL9aQ.js')).toBe('http://127.0.0.1:4000/assets/sentryBridge-Dk3j2kL9aQ.js');
    expect(scrubUrl('/api/lessons/fractions?student=ada#top')).toBe('/api/lessons/fractions?[query]');
    expect(scrubUrl('https://user:pw@host.example/a/b')).toBe('https://host.example/a/b');
    expect(scrubUrl(`/api/reset/${CANARY.pathToken}`)).toBe('/api/reset/:id');
    expect(scrubUrl(`/u/${encodeURIComponent(CANARY.email)}/x`)).toBe('/u/:id/x');
  });

  it('error events lose user, cookies, headers, bodies and query strings; names in messages and breadcrumbs go', () => {
    const event = {
      event_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      message: `Progress of ${CANARY.studentName} failed`,
      user: { id: CANARY.studentId, email: CANARY.email, ip_address: '{{auto}}' },
      request: {
        url: `http://127.0.0.1:4000/?name=${encodeURIComponent(CANARY.studentName)}#/lessons/fractions?token=${CANARY.jwt}`,
        headers: { Authorization: `Bearer ${CANARY.bearer}`, Cookie: `sid=${CANARY.sessionId}` },
        cookies: { sid: CANARY.sessionId },
        data: { answer: CANARY.answerText },
        query_string: `email=${CANARY.email}`,
      },
      exception: { values: [{ type: 'Error', value: `bad answer "${CANARY.answerText}" from ${CANARY.email}`, stacktrace: { frames: [{ filename: `http://127.0.0.1:4000/assets/index-B2x9kQ1d.js?v=${CANARY.apiKey}`, function: 'submit', lineno: 1 }] } }] },
      breadcrumbs: [{ category: 'resilience', message: `ask failed: "${CANARY.question}"`, data: { question: CANARY.question, url: `/api/tutor?text=${encodeURIComponent(CANARY.question)}`, op: 'tutor.ask' } }],
      extra: { answers: [CANARY.answerText], idempotencyKey: CANARY.idempotencyKey },
      tags: { mode: 'offline', code: 'NETWORK' },
    };
    const out = scrubEvent(event, rules);
    expect(leaked(out)).toEqual([]);
    expect(out.event_id).toBe(event.event_id);
    expect(out.tags).toEqual({ mode: 'offline', code: 'NETWORK' });
    expect(out.request).toEqual({ url: 'http://127.0.0.1:4000/?[query]' });
    expect(out).not.toHaveProperty('user');
    expect(out.exception.values[0]?.stacktrace.frames[0]?.filename).toBe('http://127.0.0.1:4000/assets/index-B2x9kQ1d.js?[query]');
    expect(out.breadcrumbs[0]?.data.op).toBe('tutor.ask');
  });

  it('breadcrumbs: messages and data scrubbed, low-cardinality data kept', () => {
    const out = scrubBreadcrumb({ category: 'navigation', data: { from: `/#/lessons?email=${CANARY.email}`, to: `/reset/${CANARY.pathToken}`, strategy: 'cache' }, message: `hello ${CANARY.studentName}` }, rules);
    expect(leaked(out)).toEqual([]);
    expect(out.data.strategy).toBe('cache');
  });

  it('metrics: user.* attributes and personal keys dropped, objects dropped, strings scrubbed', () => {
    const out = scrubMetric(
      {
        name: 'resilience.recovery.time',
        value: 12,
        type: 'distribution',
        attributes: { backend: 'api', method: 'retry', 'user.id': CANARY.studentId, 'user.email': CANARY.email, 'user.name': CANARY.studentName, studentName: CANARY.studentName, route: `/x?e=${CANARY.email}`, nested: { a: CANARY.email }, ok: true },
      },
      rules,
    );
    expect(leaked(out)).toEqual([]);
    expect(out.attributes).toEqual({ backend: 'api', method: 'retry', route: '/x?[query]', ok: true });
    expect(out.value).toBe(12);
  });

  it('a stored envelope is scrubbed again at send time by the current rules; lengths are recomputed', () => {
    const item = JSON.stringify({ message: `${CANARY.studentName} wrote ${CANARY.email}`, event_id: 'e1' });
    const envelope = [
      JSON.stringify({ event_id: 'e1', dsn: 'http://publickey@127.0.0.1:4000/1', sent_at: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ type: 'event', length: item.length }),
      item,
      JSON.stringify({ type: 'attachment', length: 3 }),
      'bin',
    ].join('\n');
    const out = scrubEnvelopeText(envelope, rules);
    expect(out).not.toBeNull();
    expect(leaked(out)).toEqual([]);
    const [header, itemHeader, payload, ...rest] = (out as string).split('\n');
    expect(JSON.parse(header as string)).toMatchObject({ event_id: 'e1', dsn: 'http://publickey@127.0.0.1:4000/1' });
    expect(JSON.parse(itemHeader as string).length).toBe(new TextEncoder().encode(payload as string).length);
    expect(rest).toEqual([]); // the non-JSON attachment is dropped
    expect(scrubEnvelopeText('not json\n{}', rules)).toBeNull();
  });

  it('never throws on cycles or deep data', () => {
    const cyclic: Record<string, unknown> = { a: CANARY.email };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { v: CANARY.email };
    for (let i = 0; i < 40; i++) deep = { next: deep };
    expect(leaked(scrubData({ cyclic, deep }, rules))).toEqual([]);
  });
});
