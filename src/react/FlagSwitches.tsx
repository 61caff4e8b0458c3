import { FLAG_NAMES, type FlagName, type FlagState } from '../resilience';
import { useFlags, useRuntime } from './hooks';

/**
 * A switch per feature flag, named by the flag. Toggling sets a developer override; toggling back to the
 * file's value clears the override, so "overridden" always means "differs from the file".
 */
export function FlagSwitches() {
  const runtime = useRuntime();
  const { flags, messages, overridesAllowed } = useFlags();

  const toggle = (name: FlagName, flag: FlagState) => {
    const next = !flag.effective;
    runtime.flags.setOverride(name, next === fileValue(flag) ? null : next);
  };

  return (
    <section aria-labelledby="dev-flags-heading" className="dev-section">
      <h3 id="dev-flags-heading">Feature flags</h3>
      {!overridesAllowed && <p>Overrides are off in this build: the switches show the file's values.</p>}
      <ul className="dev-flags">
        {FLAG_NAMES.map((name) => {
          const flag = flags[name];
          const descriptionId = `dev-flag-${name}-description`;
          return (
            <li key={name}>
              <button
                type="button"
                role="switch"
                aria-checked={flag.effective}
                aria-describedby={descriptionId}
                aria-disabled={!overridesAllowed || undefined}
                className="dev-switch"
                onClick={() => overridesAllowed && toggle(name, flag)}
              >
                {name}
              </button>
              <p id={descriptionId} className="muted">
                {flag.description || 'No description in feature-flags.json.'} {provenance(flag)}
              </p>
            </li>
          );
        })}
      </ul>
      {messages.length > 0 && (
        <ul className="dev-messages" aria-label="feature-flags.json problems">
          {messages.map((m, i) => (
            <li key={i}>
              {m.level}: {m.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function fileValue(flag: FlagState): boolean {
  return flag.enabled && flag.inRollout;
}

function provenance(flag: FlagState): string {
  const file = `${fileValue(flag) ? 'on' : 'off'} in the file${flag.origin === 'default' ? ' (safe default)' : flag.origin === 'invalid' ? ' (invalid entry)' : ''}`;
  const rollout = flag.rollout === undefined ? '' : `, rollout ${flag.rollout} %${flag.inRollout ? '' : ' (not this user)'}`;
  return flag.override === undefined ? `(${file}${rollout})` : `(overridden: ${flag.override ? 'on' : 'off'}; ${file}${rollout})`;
}
