/** Where telemetry goes, from build-time env or the page's runtime config (docs/operations.md, Monitoring). */
export interface MonitoringSettings {
  readonly dsn: string;
  readonly environment: string;
  readonly release?: string;
  /** Durable envelope queue caps. */
  readonly queueMaxEnvelopes: number;
  readonly queueMaxBytes: number;
}

/** Vite's import.meta.env fields this reads. */
export interface MonitoringEnv {
  readonly MODE?: string;
  readonly VITE_SENTRY_DSN?: string;
  readonly VITE_SENTRY_ENVIRONMENT?: string;
  readonly VITE_SENTRY_RELEASE?: string;
}

/** `window.__RESILIENCE_CONFIG__`, set by a script before the app (an operator's deploy, or a test). */
export interface RuntimeMonitoringConfig {
  readonly sentryDsn?: unknown;
  readonly sentryEnvironment?: unknown;
  readonly sentryRelease?: unknown;
  readonly telemetryQueueMaxEnvelopes?: unknown;
  readonly telemetryQueueMaxBytes?: unknown;
}

export const DEFAULT_QUEUE_MAX_ENVELOPES = 200;
export const DEFAULT_QUEUE_MAX_BYTES = 1024 * 1024;

/**
 * The runtime config wins over the build-time env, field by field. No DSN → null (monitoring stays off).
 * A DSN that is not an http(s) URL with a public key is refused with an error naming it.
 */
export function readMonitoringSettings(env: MonitoringEnv, runtime: RuntimeMonitoringConfig | undefined): MonitoringSettings | null {
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const dsn = text(runtime?.sentryDsn) ?? text(env.VITE_SENTRY_DSN);
  if (!dsn) return null;
  if (!/^https?:\/\/[^@/\s]+@[^/\s]+\/\d+$/.test(dsn)) {
    throw new Error(`Monitoring: the Sentry DSN ${JSON.stringify(dsn)} is not of the form http(s)://publickey@host/projectId`);
  }
  const release = text(runtime?.sentryRelease) ?? text(env.VITE_SENTRY_RELEASE);
  return {
    dsn,
    environment: text(runtime?.sentryEnvironment) ?? text(env.VITE_SENTRY_ENVIRONMENT) ?? env.MODE ?? 'production',
    ...(release ? { release } : {}),
    queueMaxEnvelopes: positiveInt(runtime?.telemetryQueueMaxEnvelopes, 'telemetryQueueMaxEnvelopes') ?? DEFAULT_QUEUE_MAX_ENVELOPES,
    queueMaxBytes: positiveInt(runtime?.telemetryQueueMaxBytes, 'telemetryQueueMaxBytes') ?? DEFAULT_QUEUE_MAX_BYTES,
  };
}

function positiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`Monitoring: ${field} must be a positive whole number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** {@link readMonitoringSettings} for start-up: a bad setting is logged and leaves monitoring off, never the app broken. */
export function monitoringSettingsOrOff(env: MonitoringEnv, runtime: RuntimeMonitoringConfig | undefined): MonitoringSettings | null {
  try {
    return readMonitoringSettings(env, runtime);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return null;
  }
}
