import { classify, isResilienceError, hasErrorCode, ResilienceError, parseRetryAfterMs } from '../../../src/resilience';

const domError = (name: string, message = name) => new DOMException(message, name);
const response = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('classify', () => {
  it.each([
    ['fetch TypeError (Chromium)', new TypeError('Failed to fetch'), 'NETWORK', true],
    ['fetch TypeError (Safari)', new TypeError('Load failed'), 'NETWORK', true],
    ['AbortError', domError('AbortError'), 'ABORTED', false],
    ['TimeoutError', domError('TimeoutError'), 'TIMEOUT', true],
    ['QuotaExceededError', domError('QuotaExceededError'), 'STORAGE_QUOTA', false],
    ['InvalidStateError (IndexedDB closing)', domError('InvalidStateError'), 'STORAGE_CLOSED', true],
    ['Safari IndexedDB connection lost', new Error('UnknownError: Connection to Indexed Database server lost. Refresh the page to try again'), 'STORAGE_CLOSED', true],
    ['ChunkLoadError (webpack)', Object.assign(new Error('Loading chunk 42 failed.'), { name: 'ChunkLoadError' }), 'CHUNK_LOAD', false],
    ['vite dynamic import failure', new TypeError('Failed to fetch dynamically imported module: /assets/Lesson-abc.js'), 'CHUNK_LOAD', false],
    ['JSON SyntaxError', new SyntaxError('Unexpected token < in JSON'), 'INVALID_RESPONSE', false],
    ['anything else', new Error('boom'), 'UNKNOWN', false],
    ['a thrown string', 'boom', 'UNKNOWN', false],
  ])('maps %s', (_label, thrown, code, retryable) => {
    const error = classify(thrown);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.cause).toBe(thrown);
  });

  it.each([
    [500, 'HTTP_5XX', true],
    [503, 'HTTP_5XX', true],
    [429, 'RATE_LIMITED', true],
    [408, 'TIMEOUT', true],
    [401, 'AUTH', false],
    [403, 'AUTH', false],
    [409, 'CONFLICT', true],
    [400, 'HTTP_4XX', false],
    [404, 'HTTP_4XX', false],
    [422, 'HTTP_4XX', false],
  ])('maps HTTP %i to %s', (status, code, retryable) => {
    const error = classify(response(status), { backend: 'api' });
    expect(error).toMatchObject({ code, status, retryable, backend: 'api' });
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(classify(response(429, { 'retry-after': '7' }), { nowMs: now }).retryAfterMs).toBe(7000);
    expect(classify(response(503, { 'retry-after': 'Tue, 01 Jan 2030 00:00:30 GMT' }), { nowMs: now }).retryAfterMs).toBe(30_000);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('Mon, 31 Dec 2029 23:00:00 GMT', now)).toBe(0);
  });

  it('puts the JSON error body message into the error', () => {
    const error = classify(response(422), { detail: { error: { code: 'KEY_REUSED', message: 'Idempotency-Key reused with a different body' } } });
    expect(error.message).toContain('Idempotency-Key reused');
    expect(error.detail).toEqual({ error: { code: 'KEY_REUSED', message: 'Idempotency-Key reused with a different body' } });
  });

  it('returns a ResilienceError unchanged', () => {
    const error = new ResilienceError('CIRCUIT_OPEN', 'open');
    expect(classify(error)).toBe(error);
  });
});

describe('recognising errors by code', () => {
  it('works for a structurally identical error from another bundle (no shared class)', () => {
    const foreign = { name: 'ResilienceError', code: 'TIMEOUT', retryable: true, message: 'x' };
    expect(isResilienceError(foreign)).toBe(true);
    expect(hasErrorCode(foreign, 'TIMEOUT', 'NETWORK')).toBe(true);
    expect(hasErrorCode(foreign, 'ABORTED')).toBe(false);
    expect(isResilienceError({ name: 'ResilienceError', code: 'MADE_UP', retryable: true })).toBe(false);
    expect(isResilienceError(new Error('plain'))).toBe(false);
  });

  it('serialises without the cause', () => {
    const json = JSON.parse(JSON.stringify(new ResilienceError('HTTP_5XX', 'down', { status: 503, cause: new Error('x') })));
    expect(json).toMatchObject({ name: 'ResilienceError', code: 'HTTP_5XX', status: 503, retryable: true });
    expect(json).not.toHaveProperty('cause');
  });
});
