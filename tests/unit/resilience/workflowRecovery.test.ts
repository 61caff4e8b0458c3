import { createResilienceRuntime, decideWorkflowRecovery, ResilienceError, type ErrorCode, type WorkflowStepFailure } from '../../../src/resilience';
import { flagsWith } from './helpers';

const failure = (code: ErrorCode, rest: Partial<WorkflowStepFailure> = {}): WorkflowStepFailure => ({
  workflow: 'lesson:fractions',
  step: 2,
  error: new ResilienceError(code, `failed with ${code}`),
  hasCheckpoint: true,
  attempts: 0,
  alternatives: 0,
  ...rest,
});

describe('recovery of a failed workflow step, chosen by cause', () => {
  it.each<[string, WorkflowStepFailure, string]>([
    ['a dropped connection resumes from the checkpoint', failure('NETWORK'), 'resume'],
    ['a stale socket resumes from the checkpoint', failure('SOCKET_STALE'), 'resume'],
    ['a dropped connection without a checkpoint restarts the step', failure('TIMEOUT', { hasCheckpoint: false }), 'restart'],
    ['a corrupt saved state restarts the step', failure('NETWORK', { stateCorrupt: true }), 'restart'],
    ['an invalid response restarts the step', failure('INVALID_RESPONSE'), 'restart'],
    ['an open breaker with a fallback reassigns the step', failure('CIRCUIT_OPEN', { alternatives: 2 }), 'reassign'],
    ['server errors with another backend reassign the step', failure('HTTP_5XX', { alternatives: 1 }), 'reassign'],
    ['an open breaker with nothing else resumes later from the checkpoint', failure('CIRCUIT_OPEN'), 'resume'],
    ['an expired sign-in escalates', failure('AUTH', { alternatives: 3 }), 'escalate'],
    ['a full disk escalates', failure('STORAGE_QUOTA'), 'escalate'],
    ['a step that failed three times escalates whatever the cause', failure('NETWORK', { attempts: 3 }), 'escalate'],
    ['an unknown failure with nothing else escalates', failure('UNKNOWN'), 'escalate'],
    ['an unknown failure with a fallback reassigns', failure('UNKNOWN', { alternatives: 1 }), 'reassign'],
  ])('%s', (_name, input, decision) => {
    expect(decideWorkflowRecovery(input).decision).toBe(decision);
  });

  it('the orchestrator records each decision in its history and the decision’s metrics', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const runtime = createResilienceRuntime({ flags: { source: flagsWith({ outbox: false, connectivity: false }) }, api: { fetch: async () => new Response('{}') }, storage: { indexedDB: null, local: null } });
    await runtime.orchestrator.ready();
    const resumed = runtime.orchestrator.decideWorkflowStep(failure('NETWORK'));
    expect(resumed.decision).toBe('resume');
    vi.advanceTimersByTime(30);
    resumed.settle(true);
    resumed.settle(false); // once only
    runtime.orchestrator.decideWorkflowStep(failure('AUTH')).settle(false);
    expect(runtime.orchestrator.history()).toEqual([
      expect.objectContaining({ op: 'workflow:lesson:fractions', code: 'NETWORK', decision: 'resume', escalated: false }),
      expect.objectContaining({ op: 'workflow:lesson:fractions', code: 'AUTH', decision: 'escalate', escalated: true }),
    ]);
    const metrics = runtime.orchestrator.metrics();
    expect(metrics.resume).toMatchObject({ count: 1, successes: 1, meanDurationMs: 30 });
    expect(metrics.escalate).toMatchObject({ count: 1, successes: 0 });
    expect(metrics.restart.count).toBe(0);
    runtime.dispose();
    vi.useRealTimers();
  });
});
