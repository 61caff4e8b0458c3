import { describe, expect, it } from 'vitest';
import { describeError } from '../../../src/app/errors/describeError';
import { ResilienceError } from '../../../src/resilience';

describe('errors in plain words', () => {
  it('words each failure by its code, never by the technical message', () => {
    expect(describeError(new ResilienceError('NETWORK', 'TypeError: Failed to fetch'))).toMatch(/couldn't reach the server/);
    expect(describeError(new ResilienceError('HTTP_5XX', 'HTTP 503', { status: 503 }))).toMatch(/having trouble/);
    expect(describeError(new ResilienceError('HTTP_4XX', 'x', { status: 404 }))).toMatch(/couldn't find/);
    expect(describeError(new ResilienceError('CHUNK_LOAD', 'Failed to fetch dynamically imported module'))).toMatch(/couldn't be downloaded.*Everything you saved is kept/);
  });

  it('understands errors from elsewhere that carry a code, such as the runtime', () => {
    expect(describeError({ code: 'CIRCUIT_OPEN', message: 'breaker open for api' })).toMatch(/having trouble/);
  });

  it('has a calm fallback for anything unknown', () => {
    expect(describeError(new Error('boom'))).toBe('Something went wrong. Please try again.');
    expect(describeError('boom')).toBe('Something went wrong. Please try again.');
  });
});
