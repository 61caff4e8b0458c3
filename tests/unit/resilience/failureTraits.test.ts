import { ERROR_CODES, failureTraits, ResilienceError } from '../../../src/resilience';
import { breakerVerdict } from '../../../src/resilience/policies/breakerVerdict';

describe('failure traits: one table every subsystem reads', () => {
  it('classifies every code, and treats a code this build does not know as UNKNOWN', () => {
    for (const code of ERROR_CODES) expect(failureTraits(code), code).toBeDefined();
    expect(failureTraits('FROM_A_NEWER_BUILD')).toEqual(failureTraits('UNKNOWN'));
    expect(failureTraits('UNKNOWN')).toMatchObject({ retryable: false, breaker: 'ignore', workflow: 'unknown' });
  });

  it("gives a ResilienceError its code's default retryability, which an option overrides", () => {
    expect(new ResilienceError('HTTP_5XX', 'down').retryable).toBe(true);
    expect(new ResilienceError('HTTP_4XX', 'refused').retryable).toBe(false);
    expect(new ResilienceError('HTTP_5XX', 'down', { retryable: false }).retryable).toBe(false);
  });

  it('lets neither cancellation nor an open breaker push a breaker open, and counts a 4xx as a live backend', () => {
    expect(breakerVerdict('ABORTED')).toBe('ignore');
    expect(breakerVerdict('CIRCUIT_OPEN')).toBe('ignore');
    expect(breakerVerdict('HTTP_4XX')).toBe('success');
    expect(breakerVerdict('SOCKET_STALE')).toBe('failure');
    expect(breakerVerdict(undefined)).toBe('success');
  });

  it('names the socket failures and the failures where no answer came back', () => {
    expect(ERROR_CODES.filter((code) => failureTraits(code).socket)).toEqual(['SOCKET_CLOSED', 'SOCKET_STALE']);
    expect(ERROR_CODES.filter((code) => failureTraits(code).unreachable)).toEqual(['NETWORK', 'TIMEOUT', 'HTTP_5XX', 'RATE_LIMITED', 'CIRCUIT_OPEN']);
  });
});
