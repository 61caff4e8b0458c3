type Env = Record<string, string | undefined>;

/** Settings of the webhook notifier (docs/operations.md, "Webhook notifications"). */
export interface NotifyConfig {
  /** Where notices are POSTed (http or https). */
  webhookUrl: string;
  /** When set, every call carries `X-Tutor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
  webhookSecret?: string;
  /** An item still open or retrying this long after the server first heard of it gets one "unresolved" notice. */
  unresolvedAfterMs: number;
  /** A "rate" notice when this many items of one kind arrive within `rateWindowMs`. */
  rateCount: number;
  rateWindowMs: number;
  /** Per kind and notice type, at most one call in this interval (items held back go out in the next call). */
  perKindIntervalMs: number;
  /** How often the server looks for something to notify. */
  checkIntervalMs: number;
  /** Delivery attempts per call (network errors, 5xx and 429 are retried with backoff and jitter). */
  maxAttempts: number;
}

export const NOTIFY_DEFAULTS = {
  unresolvedAfterMs: 15 * 60_000,
  rateCount: 20,
  rateWindowMs: 5 * 60_000,
  perKindIntervalMs: 5 * 60_000,
  checkIntervalMs: 30_000,
  maxAttempts: 6,
} as const;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

/** The notifier's settings from the environment; undefined when NOTIFY_WEBHOOK_URL is unset (no notifier runs). */
export function notifyConfigFromEnv(env: Env): NotifyConfig | undefined {
  const url = env.NOTIFY_WEBHOOK_URL;
  if (url === undefined || url === '') {
    const orphan = ['NOTIFY_WEBHOOK_SECRET', 'NOTIFY_UNRESOLVED_AFTER_MS', 'NOTIFY_RATE_COUNT', 'NOTIFY_RATE_WINDOW_MS'].find((name) => env[name]);
    if (orphan) throw new Error(`${orphan} is set but NOTIFY_WEBHOOK_URL is not: set the URL or remove ${orphan}.`);
    return undefined;
  }
  const secret = env.NOTIFY_WEBHOOK_SECRET;
  return validateNotifyConfig({
    webhookUrl: url,
    ...(secret ? { webhookSecret: secret } : {}),
    unresolvedAfterMs: integer(env, 'NOTIFY_UNRESOLVED_AFTER_MS', NOTIFY_DEFAULTS.unresolvedAfterMs, 0, 30 * 24 * 3_600_000),
    rateCount: integer(env, 'NOTIFY_RATE_COUNT', NOTIFY_DEFAULTS.rateCount, 1, 1_000_000),
    rateWindowMs: integer(env, 'NOTIFY_RATE_WINDOW_MS', NOTIFY_DEFAULTS.rateWindowMs, 1_000, 24 * 3_600_000),
    perKindIntervalMs: integer(env, 'NOTIFY_KIND_INTERVAL_MS', NOTIFY_DEFAULTS.perKindIntervalMs, 0, 24 * 3_600_000),
    checkIntervalMs: integer(env, 'NOTIFY_CHECK_INTERVAL_MS', NOTIFY_DEFAULTS.checkIntervalMs, 50, 3_600_000),
    maxAttempts: integer(env, 'NOTIFY_MAX_ATTEMPTS', NOTIFY_DEFAULTS.maxAttempts, 1, 20),
  });
}

/** Fails fast with a message naming the setting: a URL that is not http(s), a secret too short to mean anything. */
export function validateNotifyConfig(config: NotifyConfig): NotifyConfig {
  let parsed: URL;
  try {
    parsed = new URL(config.webhookUrl);
  } catch {
    throw new Error(`NOTIFY_WEBHOOK_URL must be an absolute http:// or https:// URL, got "${config.webhookUrl}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`NOTIFY_WEBHOOK_URL must use http:// or https://, got "${parsed.protocol}" in "${config.webhookUrl}".`);
  }
  if (config.webhookSecret !== undefined && config.webhookSecret.length < 16) {
    throw new Error('NOTIFY_WEBHOOK_SECRET must be at least 16 characters.');
  }
  return config;
}
