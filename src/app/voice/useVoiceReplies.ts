import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useOptionalRuntime } from '../../react/useOptionalRuntime';
import { loadStudent } from '../identity/studentStore';
import { browserSpeech, speechAvailable, type SpeechEdge } from './speakReply';
import { deliverReply } from './voiceChain';

export interface VoiceReplies {
  /** The browser can speak (speechSynthesis and SpeechSynthesisUtterance exist). */
  readonly available: boolean;
  /** The runtime mode allows voice (not text-only); true without a runtime. */
  readonly allowed: boolean;
  /** The student's "Read replies aloud" choice, remembered per student on this device. */
  readonly on: boolean;
  setOn(on: boolean): void;
  /** Replies that were to be spoken but stayed text only (speech failed). */
  readonly textOnly: ReadonlySet<string>;
  /** Speaks a completed reply when voice is on, allowed and available; the newest reply replaces one still speaking. */
  speak(replyId: string, text: string): void;
}

const noSubscription = () => () => {};

/** Where the "Read replies aloud" choice of a student is kept. */
export function voicePreferenceKey(studentId: string): string {
  return `app.voiceReplies.${studentId}`;
}

/**
 * Spoken tutor replies for the chat: the switch state, and speaking through the `voice_session` chain. Speech
 * stops when the switch goes off, when text-only is chosen, and when the chat unmounts (log-out, another lesson).
 */
export function useVoiceReplies(options: { speech?: SpeechEdge } = {}): VoiceReplies {
  const runtime = useOptionalRuntime();
  const [speech] = useState(() => options.speech ?? browserSpeech());
  const [key] = useState(() => {
    const student = loadStudent();
    return student ? voicePreferenceKey(student.id) : null;
  });
  const [on, setOnState] = useState(() => key !== null && readFlag(key));
  const [textOnly, setTextOnly] = useState<ReadonlySet<string>>(() => new Set());
  const modes = runtime?.modes;
  const allowed = useSyncExternalStore(
    modes ? modes.subscribe : noSubscription,
    () => modes?.snapshot().voiceAllowed ?? true,
    () => modes?.snapshot().voiceAllowed ?? true,
  );
  const available = speechAvailable(speech);
  const active = on && allowed && available;
  const speaking = useRef<AbortController | null>(null);
  const activeRef = useRef(active);

  const stop = useCallback(() => {
    speaking.current?.abort();
    speaking.current = null;
  }, []);

  useEffect(() => {
    activeRef.current = active;
    if (!active) stop();
  }, [active, stop]);
  useEffect(() => stop, [stop]);

  const setOn = useCallback(
    (next: boolean) => {
      setOnState(next);
      if (key !== null) writeFlag(key, next);
    },
    [key],
  );

  const speak = useCallback(
    (replyId: string, text: string) => {
      if (!activeRef.current || text.trim() === '') return;
      stop();
      const controller = new AbortController();
      speaking.current = controller;
      void deliverReply(runtime?.fallback ?? null, text, controller.signal, { speech }).then((delivery) => {
        if (speaking.current === controller) speaking.current = null;
        if (delivery === 'text') setTextOnly((ids) => new Set(ids).add(replyId));
      });
    },
    [runtime, speech, stop],
  );

  return { available, allowed, on, setOn, textOnly, speak };
}

function readFlag(key: string): boolean {
  try {
    return globalThis.localStorage?.getItem(key) === 'on';
  } catch {
    return false;
  }
}

function writeFlag(key: string, on: boolean): void {
  try {
    if (on) globalThis.localStorage?.setItem(key, 'on');
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // Remembering the choice is a convenience: without storage it lasts for this visit.
  }
}
