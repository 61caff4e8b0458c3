import type { ModeSnapshot } from '../resilience';
import type { ConnectionStatus } from '../resilience';
import { useConnectionStatus, useFlags, useOutbox } from './hooks';
import { useMode } from './useMode';

/**
 * The student-facing connection status. The `role=status` region is always rendered, empty when
 * all is well, so screen readers already track it when text appears (a live region added together with its
 * text is often not announced).
 */
export function ConnectionBanner() {
  const status = useConnectionStatus();
  const mode = useMode();
  // Subscribed, not read once: served flags can switch the outbox off mid-session.
  const outboxOn = useFlags().flags.outbox.effective;
  const { durable } = useOutbox();
  const message = describeStatus(status, { answersKeptOffline: durable && outboxOn }) || describeMode(mode);
  const textOnly = mode.studentChoice === 'text-only' && message !== TEXT_ONLY_TEXT ? TEXT_ONLY_NOTE : '';
  const kind = status.kind !== 'online' ? status.kind : mode.mode === 'degraded' ? 'limited' : mode.mode;
  return (
    <div role="status" className={message || textOnly ? `connection-banner connection-banner-${kind}` : 'connection-banner'}>
      {message && <p>{message}</p>}
      {textOnly && <p>{textOnly}</p>}
    </div>
  );
}

export const LIMITED_FALLBACK_TEXT = 'Limited mode — some replies and pages come from saved copies or simpler helpers for now.';
export const TEXT_ONLY_TEXT = 'Text-only mode — tutor replies arrive whole, without streaming or voice.';
const TEXT_ONLY_NOTE = 'Text-only mode is on.';

/**
 * What the runtime mode adds when the connection itself is fine: degraded by recent fallbacks (a breaker open
 * already says "Limited mode" above), or the student's text-only choice.
 */
export function describeMode(mode: ModeSnapshot): string {
  if (mode.mode === 'degraded') return LIMITED_FALLBACK_TEXT;
  if (mode.mode === 'text-only') return TEXT_ONLY_TEXT;
  return '';
}

/** What still works, so each status can say it (the words must be true at that moment). */
export interface StatusContext {
  /** Answers are saved durably on this device while the server cannot be reached (the outbox). */
  readonly answersKeptOffline?: boolean;
}

export const RECONNECTING_TEXT = 'Reconnecting to the live tutor… Lessons and answers still work meanwhile.';

/** The banner's words for a status; empty when there is nothing to say. */
export function describeStatus(status: ConnectionStatus, context: StatusContext = {}): string {
  switch (status.kind) {
    case 'offline':
      return context.answersKeptOffline
        ? 'Offline — you can keep reading and answering: answers are saved on this device and sync when you are back online.'
        : 'Offline — you can keep reading; anything that needs the server will work again once you are back online.';
    case 'reconnecting':
      return status.backends.length > 0 ? "Reconnecting to the live tutor… The server is having trouble too; we'll keep trying." : RECONNECTING_TEXT;
    case 'limited':
      return "Limited mode — the server is having trouble; we'll keep trying.";
    case 'online':
      return '';
  }
}
