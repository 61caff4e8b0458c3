import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConnectionBanner, RecoveryDialog, ResilienceProvider, TextOnlySwitch, recoveryPromptReducer } from '../../src/react';
import { NO_PROMPT } from '../../src/react/recoveryPrompt';
import { ResilienceError, type Healer, type ResilienceRuntime } from '../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, json } from './react/runtimeFixture';

const healsEverything: Healer = { handleError: async () => ({ healed: true, strategy: 'apiRetry' }) };
const healsNothing: Healer = { handleError: async () => ({ healed: false }) };

describe('the recovery dialog', () => {
  let runtime: ResilienceRuntime | undefined;
  afterEach(() => runtime?.dispose());

  function renderApp(healer: Healer = healsNothing) {
    const server = createTestFetch(() => json(200, {}));
    runtime = createTestRuntime(server.fetch, { storage: { indexedDB: null }, recovery: { healer } });
    const rt = runtime;
    const view = render(
      <ResilienceProvider runtime={rt} backends={['api']}>
        <ConnectionBanner />
        <TextOnlySwitch />
        <button type="button">Send</button>
        <RecoveryDialog onTryAgain={() => undefined} />
      </ResilienceProvider>,
    );
    return { rt, view };
  }

  const escalate = (rt: ResilienceRuntime) => act(() => void rt.events.emit('escalation.raised', { id: 'e1', op: 'lesson_data', code: 'HTTP_5XX', message: 'down' }));

  it('opens as a labelled, described alertdialog when a recovery is escalated', async () => {
    const { rt } = renderApp();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await act(async () => {
      const result = await rt.orchestrator.orchestrateRecovery(new ResilienceError('HTTP_5XX', 'down', { status: 500 }), { op: 'lesson_data' });
      expect(result).toMatchObject({ status: 'failed', escalated: true });
    });
    const dialog = screen.getByRole('alertdialog', { name: 'The server is having trouble' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    expect(dialog).toHaveAccessibleDescription(/could not fix this on our own/);
    // Each button does something different (no "Continue offline" that only closes, like Dismiss).
    expect(within(dialog).getAllByRole('button').map((b) => b.textContent)).toEqual(['Try again', 'Dismiss']);
  });

  it('stays closed for an operation whose page reports its own failure (quietOps), and while offline', async () => {
    const server = createTestFetch(() => json(200, {}));
    runtime = createTestRuntime(server.fetch, { storage: { indexedDB: null }, recovery: { healer: healsNothing } });
    const rt = runtime;
    render(
      <ResilienceProvider runtime={rt} backends={['api']}>
        <RecoveryDialog onTryAgain={() => undefined} quietOps={['lesson_data']} />
      </ResilienceProvider>,
    );
    await escalate(rt);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    act(() => void rt.events.emit('escalation.raised', { id: 'e2', op: 'ai_tutoring', code: 'NETWORK', message: 'down' }));
    expect(screen.getByRole('alertdialog', { name: 'The live tutor cannot be reached' })).toBeInTheDocument();
  });

  it('stays closed for a failure the runtime healed by itself', async () => {
    const { rt } = renderApp(healsEverything);
    await act(async () => {
      const result = await rt.orchestrator.orchestrateRecovery(new ResilienceError('NETWORK', 'blip'), { op: 'lesson_data' });
      expect(result.status).toBe('healed');
    });
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('traps focus: focus starts inside, Tab and Shift+Tab cycle, Escape closes and focus returns', async () => {
    const user = userEvent.setup();
    const { rt } = renderApp();
    const send = screen.getByRole('button', { name: 'Send' });
    send.focus();
    act(() => void rt.events.emit('heal.escalated', { code: 'SOCKET_CLOSED', reason: 'attempts capped', attempts: 3 }));
    const dialog = screen.getByRole('alertdialog');
    const [tryAgain, textOnly, dismiss] = within(dialog).getAllByRole('button');
    expect(tryAgain).toHaveFocus();

    await user.tab();
    expect(textOnly).toHaveFocus();
    await user.tab();
    expect(dismiss).toHaveFocus();
    await user.tab();
    expect(tryAgain).toHaveFocus();
    await user.tab({ shift: true });
    expect(dismiss).toHaveFocus();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(send).toHaveFocus();
  });

  it('does not ask again about a cause the student answered, until things recover', async () => {
    const user = userEvent.setup();
    const { rt } = renderApp();
    await escalate(rt);
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    await escalate(rt);
    expect(screen.queryByRole('alertdialog')).toBeNull();

    act(() => void rt.events.emit('connectivity.changed', { state: 'online', previous: 'unknown', reason: 'probe' }));
    await escalate(rt);
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
  });

  it('offers "Switch to text-only" when the live tutor keeps failing; the banner says so and the student can go back', async () => {
    const user = userEvent.setup();
    const { rt } = renderApp();
    act(() => void rt.events.emit('heal.escalated', { code: 'SOCKET_CLOSED', reason: 'attempts capped', attempts: 3 }));
    const dialog = screen.getByRole('alertdialog', { name: 'The live tutor cannot be reached' });
    await user.click(within(dialog).getByRole('button', { name: 'Switch to text-only' }));

    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(rt.modes.snapshot()).toMatchObject({ mode: 'text-only', streamingAllowed: false, voiceAllowed: false });
    expect(screen.getByRole('status')).toHaveTextContent(/^Text-only mode — /);

    await user.click(screen.getByRole('button', { name: 'Leave text-only mode' }));
    expect(rt.modes.snapshot().mode).toBe('online');
    expect(screen.getByRole('status')).toBeEmptyDOMElement();
  });

  it('has no axe violations, and neither has the banner in limited or text-only mode', async () => {
    const { rt, view } = renderApp();
    act(() => void rt.events.emit('fallback.used', { op: 'ai_tutoring', strategy: 'localHints', stale: false }));
    expect(screen.getByRole('status')).toHaveTextContent(/^Limited mode — /);
    act(() => rt.modes.setStudentChoice('text-only'));
    expect(screen.getByRole('status')).toHaveTextContent(/Text-only mode is on\./);
    await escalate(rt);
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    expect(await axeViolations(view.container)).toEqual([]);
  });
});

describe('when the recovery dialog asks', () => {
  const offline = { type: 'connectivity.changed', at: 0, state: 'offline', previous: 'online', reason: 'probe' } as const;

  it('never asks because the device went offline, pending work or not (the banner and the pending count say it), nor about escalations while offline', () => {
    expect(recoveryPromptReducer(NO_PROMPT, { type: 'event', event: offline, offline: true })).toBe(NO_PROMPT);
    const socketGaveUp = { type: 'heal.escalated', at: 0, code: 'SOCKET_CLOSED', reason: 'attempts capped', attempts: 3 } as const;
    const tutorFailed = { type: 'escalation.raised', at: 0, id: 'e', op: 'ai_tutoring', code: 'NETWORK', message: 'down' } as const;
    expect(recoveryPromptReducer(NO_PROMPT, { type: 'event', event: socketGaveUp, offline: true })).toBe(NO_PROMPT);
    expect(recoveryPromptReducer(NO_PROMPT, { type: 'event', event: tutorFailed, offline: true })).toBe(NO_PROMPT);
    expect(recoveryPromptReducer(NO_PROMPT, { type: 'event', event: tutorFailed, offline: false }).prompt).toMatchObject({ kind: 'escalated', op: 'ai_tutoring' });
  });

  it('never asks for recoveries that healed or were served by a fallback, nor about network trouble the outbox rides out or clean-ups the student cannot influence', () => {
    const events = [
      { type: 'heal.escalated', at: 0, code: 'STORAGE_QUOTA', reason: 'attempts capped', attempts: 3 },
      { type: 'heal.escalated', at: 0, code: 'NETWORK', reason: 'attempts capped', attempts: 3 },
      { type: 'recovery.finished', at: 0, op: 'x', result: { escalated: false, code: 'HTTP_5XX', callers: 1, durationMs: 0, status: 'healed' } },
      { type: 'heal.succeeded', at: 0, strategy: 'socket', code: 'SOCKET_CLOSED' },
      { type: 'fallback.used', at: 0, op: 'ai_tutoring', strategy: 'localHints', stale: false },
    ] as const;
    for (const event of events) expect(recoveryPromptReducer(NO_PROMPT, { type: 'event', event })).toBe(NO_PROMPT);
  });
});
