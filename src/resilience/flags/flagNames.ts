/** The feature flags the runtime knows (the entries of feature-flags.json). */
export const FLAG_NAMES = [
  'retry',
  'circuitBreaker',
  'timeout',
  'connectivity',
  'outbox',
  'responseCache',
  'socket',
  'selfHealing',
  'fallback',
  'orchestrator',
  'predictor',
  'checkpoints',
  'escalation',
  'monitoring',
] as const;

/** The name of a feature flag, one of `FLAG_NAMES`. */
export type FlagName = (typeof FLAG_NAMES)[number];

const KNOWN: ReadonlySet<string> = new Set(FLAG_NAMES);

export function isFlagName(value: string): value is FlagName {
  return KNOWN.has(value);
}

/**
 * Used for every flag when feature-flags.json cannot be read at all. The protections that keep a student's work
 * safe stay on; the experimental subsystems (predictor, checkpoints) and telemetry (monitoring, which needs a
 * configured DSN) stay off. Mirrors the shipped file, which was reviewed with these values.
 */
export const SAFE_DEFAULT_FLAGS: Readonly<Record<FlagName, boolean>> = {
  retry: true,
  circuitBreaker: true,
  timeout: true,
  connectivity: true,
  outbox: true,
  responseCache: true,
  socket: true,
  selfHealing: true,
  fallback: true,
  orchestrator: true,
  predictor: false,
  checkpoints: false,
  escalation: true,
  monitoring: false,
};
