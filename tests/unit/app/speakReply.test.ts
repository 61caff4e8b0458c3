import { describe, expect, it, vi } from 'vitest';
import { speakReply, type SpeechEdge } from '../../../src/app/voice/speakReply';
import { deliverReply } from '../../../src/app/voice/voiceChain';

/** A speech engine that accepts utterances and does only what the test tells it to. */
function silentEngine() {
  const utterances: EventTarget[] = [];
  const cancel = vi.fn();
  class Utterance extends EventTarget {
    constructor(readonly text: string) {
      super();
    }
  }
  const speech = {
    synth: { speak: (utterance: EventTarget) => void utterances.push(utterance), cancel },
    Utterance,
  } as unknown as SpeechEdge;
  return { speech, utterances, cancel };
}

describe('speakReply', () => {
  it('fails when speech synthesis is missing', async () => {
    const result = await speakReply('Hi', undefined, { speech: { synth: undefined, Utterance: undefined } });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN' } });
  });

  it('fails with TIMEOUT and cancels when speech never starts', async () => {
    vi.useFakeTimers();
    try {
      const { speech, cancel } = silentEngine();
      const pending = speakReply('Hi', undefined, { speech, startTimeoutMs: 3_000 });
      await vi.advanceTimersByTimeAsync(2_999);
      expect(cancel).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
      expect(cancel).toHaveBeenCalledOnce();
    } finally {
      vi.useRealTimers();
    }
  });

  it('once started, waits past the start timeout for the end', async () => {
    vi.useFakeTimers();
    try {
      const { speech, utterances } = silentEngine();
      const pending = speakReply('Hi', undefined, { speech, startTimeoutMs: 3_000 });
      utterances[0]?.dispatchEvent(new Event('start'));
      await vi.advanceTimersByTimeAsync(10_000);
      utterances[0]?.dispatchEvent(new Event('end'));
      expect(await pending).toEqual({ ok: true, value: 'spoken' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('an abort cancels the speech and is not a fallback case', async () => {
    const { speech, cancel } = silentEngine();
    const controller = new AbortController();
    const executeWithFallback = vi.fn(async (operation: (signal: AbortSignal | undefined) => Promise<unknown>) => {
      await operation(controller.signal);
      return { ok: true as const, value: 'text' as const, source: 'fallback' as const, strategy: 'text', stale: false, attempts: [] };
    });
    const delivered = deliverReply({ executeWithFallback } as never, 'Hi', controller.signal, { speech });
    controller.abort();
    expect(await delivered).toBe('cancelled');
    expect(cancel).toHaveBeenCalledOnce();
  });
});
