import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../src/app/App';
import { saveStudent } from '../../src/app/identity/studentStore';
import { registerAppFallbacks } from '../../src/app/resilience/fallbackChains';
import type { StudentSession } from '../../src/app/services/types';
import { voicePreferenceKey } from '../../src/app/voice/useVoiceReplies';
import { VOICE_SESSION } from '../../src/app/voice/voiceChain';
import type { ResilienceRuntime } from '../../src/resilience';
import { axeViolations, createTestFetch, createTestRuntime, json } from './react/runtimeFixture';
import { createFakeServices } from './support/fakeServices';

/**
 * speechSynthesis is an edge the app does not own: a fake that records what it was asked to say and answers
 * the way the test chooses — speaks at once, errors, or starts and keeps speaking until cancelled.
 */
function installFakeSpeech(behaviour: 'speak' | 'error' | 'hold' = 'speak') {
  const spoken: string[] = [];
  const pending: FakeUtterance[] = [];
  let cancelled = 0;
  class FakeUtterance extends EventTarget {
    constructor(readonly text: string) {
      super();
    }
  }
  const synth = {
    speak(utterance: FakeUtterance) {
      spoken.push(utterance.text);
      queueMicrotask(() => {
        if (behaviour === 'error') return void utterance.dispatchEvent(Object.assign(new Event('error'), { error: 'synthesis-failed' }));
        utterance.dispatchEvent(new Event('start'));
        if (behaviour === 'speak') utterance.dispatchEvent(new Event('end'));
        else pending.push(utterance);
      });
    },
    cancel() {
      cancelled += 1;
      for (const utterance of pending.splice(0)) utterance.dispatchEvent(Object.assign(new Event('error'), { error: 'canceled' }));
    },
  };
  Object.assign(globalThis, { speechSynthesis: synth, SpeechSynthesisUtterance: FakeUtterance });
  return {
    spoken,
    get cancelled() {
      return cancelled;
    },
  };
}

function removeFakeSpeech() {
  const scope = globalThis as Record<string, unknown>;
  delete scope.speechSynthesis;
  delete scope.SpeechSynthesisUtterance;
}

/** The app on the fractions lesson: fake tutor services, and a real runtime for modes and fallback chains. */
async function openTutor() {
  const fake = createFakeServices();
  const server = createTestFetch(() => json(200, { status: 'ok', time: '2026-01-01T00:00:00.000Z' }));
  const runtimes: ResilienceRuntime[] = [];
  const createSession = (studentId: string): StudentSession => {
    const runtime = createTestRuntime(server.fetch, { storage: { indexedDB: null }, userId: studentId });
    const fallbacks = registerAppFallbacks(runtime, { storage: null, userId: studentId });
    runtimes.push(runtime);
    return {
      studentId,
      services: fake.services,
      runtime,
      dispose: () => {
        fallbacks.dispose();
        runtime.dispose();
      },
    };
  };
  saveStudent({ name: 'Ada', id: 'ada' });
  window.location.hash = '#/lessons/fractions';
  const user = userEvent.setup();
  const view = render(<App createSession={createSession} />);
  await screen.findByRole('heading', { level: 1, name: 'Fractions' });
  const log = await screen.findByRole('log');
  const panel = screen.getByRole('complementary', { name: 'Tutor' });
  const runtime = () => {
    const current = runtimes.at(-1);
    if (!current) throw new Error('no session yet');
    return current;
  };
  /** Asks a question and lets the tutor answer it whole. */
  const askAndReply = async (question: string, reply: string) => {
    await user.type(screen.getByRole('textbox', { name: 'Ask the tutor' }), `${question}{Enter}`);
    const ask = fake.control.asks.at(-1);
    await act(async () => ask?.finish('live', reply));
  };
  return { ...view, user, log, panel, runtime, askAndReply, control: fake.control };
}

const voiceSwitch = () => screen.getByRole('switch', { name: 'Read replies aloud' });

describe('reading tutor replies aloud', () => {
  afterEach(() => {
    removeFakeSpeech();
    window.location.hash = '';
  });

  it('is off by default, toggles, and is remembered for the student', async () => {
    installFakeSpeech();
    const first = await openTutor();
    expect(voiceSwitch()).toHaveAttribute('aria-checked', 'false');

    await first.user.click(voiceSwitch());
    expect(voiceSwitch()).toHaveAttribute('aria-checked', 'true');
    expect(localStorage.getItem(voicePreferenceKey('ada'))).toBe('on');
    first.unmount();

    const second = await openTutor();
    expect(voiceSwitch()).toHaveAttribute('aria-checked', 'true');
    await second.user.click(voiceSwitch());
    expect(voiceSwitch()).toHaveAttribute('aria-checked', 'false');
    expect(localStorage.getItem(voicePreferenceKey('ada'))).toBeNull();
  });

  it('speaks a completed reply once, with the reply as the utterance, and nothing while switched off', async () => {
    const speech = installFakeSpeech();
    const { user, log, askAndReply, runtime } = await openTutor();

    await askAndReply('Before', 'Not read aloud.');
    expect(speech.spoken).toEqual([]);

    await user.click(voiceSwitch());
    await askAndReply('What is a quarter?', 'One of four equal parts.');
    await waitFor(() => expect(speech.spoken).toEqual(['One of four equal parts.']));
    // Later renders (typing the next question) do not speak it again; speech served, so no fallback ran.
    await user.type(screen.getByRole('textbox', { name: 'Ask the tutor' }), 'next');
    expect(speech.spoken).toEqual(['One of four equal parts.']);
    expect(runtime().fallback.metrics(VOICE_SESSION)).toEqual({});
    expect(log).not.toHaveTextContent('Voice unavailable');
  });

  it('when speech fails, the reply stays as text with a note and the text strategy is recorded', async () => {
    const speech = installFakeSpeech('error');
    const { user, log, askAndReply, runtime } = await openTutor();
    await user.click(voiceSwitch());

    await askAndReply('Help', 'Both parts are quarters.');

    const note = await within(log).findByText('Voice unavailable — showing text');
    expect(note.closest('li')).toHaveTextContent(/^Tutor: Both parts are quarters\.Voice unavailable — showing text$/);
    expect(speech.spoken).toEqual(['Both parts are quarters.']);
    // One observation, already decaying on the runtime clock (half-life 15 min).
    const text = runtime().fallback.metrics(VOICE_SESSION).text;
    expect(text?.attempts).toBeCloseTo(1, 3);
    expect(text?.successes).toBeCloseTo(1, 3);
  });

  it('in text-only mode the switch is disabled with the reason, nothing is spoken, and speech under way stops', async () => {
    const speech = installFakeSpeech('hold');
    localStorage.setItem(voicePreferenceKey('ada'), 'on');
    const { user, log, askAndReply } = await openTutor();

    await askAndReply('First', 'Still being read.');
    expect(speech.spoken).toEqual(['Still being read.']);
    await user.click(screen.getByRole('button', { name: 'Switch to text-only' }));

    expect(voiceSwitch()).toHaveAttribute('aria-disabled', 'true');
    expect(voiceSwitch()).toHaveAttribute('aria-checked', 'false');
    expect(voiceSwitch()).toHaveAccessibleDescription('Voice is off in text-only mode');
    expect(speech.cancelled).toBe(1);
    await user.click(voiceSwitch());
    expect(localStorage.getItem(voicePreferenceKey('ada'))).toBe('on');

    await askAndReply('Second', 'Only as text.');
    expect(speech.spoken).toEqual(['Still being read.']);
    expect(log).not.toHaveTextContent('Voice unavailable');
  });

  it('switching off stops the reply being read, without a fallback note', async () => {
    const speech = installFakeSpeech('hold');
    const { user, log, askAndReply, runtime } = await openTutor();
    await user.click(voiceSwitch());
    await askAndReply('Long one', 'A long reply.');

    await user.click(voiceSwitch());

    expect(speech.cancelled).toBe(1);
    expect(log).not.toHaveTextContent('Voice unavailable');
    expect(runtime().fallback.metrics(VOICE_SESSION)).toEqual({});
  });

  it('without speech synthesis the switch is disabled and says why', async () => {
    await openTutor();
    expect(voiceSwitch()).toHaveAttribute('aria-disabled', 'true');
    expect(voiceSwitch()).toHaveAccessibleDescription('This browser cannot read replies aloud');
  });

  it('has no axe violations on the tutor panel with the switch, on, off and disabled', async () => {
    const speech = installFakeSpeech('error');
    const { user, panel, askAndReply } = await openTutor();
    expect(await axeViolations(panel)).toEqual([]);
    await user.click(voiceSwitch());
    await askAndReply('Help', 'Both parts are quarters.');
    await screen.findByText('Voice unavailable — showing text');
    expect(speech.spoken).toHaveLength(1);
    expect(await axeViolations(panel)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Switch to text-only' }));
    expect(await axeViolations(panel)).toEqual([]);
  });
});
