import { useId } from 'react';
import type { VoiceReplies } from './useVoiceReplies';

export const VOICE_SWITCH_NAME = 'Read replies aloud';
export const VOICE_TEXT_ONLY_REASON = 'Voice is off in text-only mode';
export const VOICE_MISSING_REASON = 'This browser cannot read replies aloud';

/** "Read replies aloud": off by default; unavailable, with the reason shown, in text-only mode or without speech. */
export function VoiceSwitch({ voice }: { voice: VoiceReplies }) {
  const reasonId = useId();
  const reason = !voice.available ? VOICE_MISSING_REASON : !voice.allowed ? VOICE_TEXT_ONLY_REASON : null;
  const disabled = reason !== null;
  return (
    <div className="voice-switch-row">
      <button
        type="button"
        role="switch"
        aria-checked={voice.on && !disabled}
        aria-disabled={disabled || undefined}
        aria-describedby={reason ? reasonId : undefined}
        className="voice-switch"
        onClick={() => !disabled && voice.setOn(!voice.on)}
      >
        {VOICE_SWITCH_NAME}
      </button>
      {reason && (
        <span id={reasonId} className="muted">
          {reason}
        </span>
      )}
    </div>
  );
}
