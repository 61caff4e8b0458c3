import { resolve } from 'node:path';
import { DEFAULT_SESSION_TTL_SECONDS, type TutorServerOptions } from './createServer';
import { notifyConfigFromEnv } from './notify/notifyConfig';

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}".`);
  }
  return value;
}

/** Server settings from the environment (docs/operations.md lists them); fails fast on a bad value. */
export function optionsFromEnv(env: Env): TutorServerOptions {
  const notify = notifyConfigFromEnv(env);
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8787, 0, 65_535),
    dataDir: resolve(env.DATA_DIR || './.data'),
    staticDir: resolve(env.STATIC_DIR || './dist'),
    ...(env.FLAGS_FILE ? { flagsFile: resolve(env.FLAGS_FILE) } : {}),
    chaos: env.CHAOS === '1',
    production: env.NODE_ENV === 'production',
    tokenDelayMs: integer(env, 'TOKEN_DELAY_MS', 40, 0, 10_000),
    pingIntervalMs: integer(env, 'PING_INTERVAL_MS', 15_000, 100, 3_600_000),
    sessionTtlSeconds: integer(env, 'SESSION_TTL', DEFAULT_SESSION_TTL_SECONDS, 60, 30 * 24 * 60 * 60),
    ...(env.ADMIN_TOKEN ? { adminToken: adminToken(env.ADMIN_TOKEN) } : {}),
    ...(notify ? { notify } : {}),
  };
}

/** ADMIN_TOKEN: at least 16 characters (a short token is refused at start-up, not accepted quietly). */
function adminToken(raw: string): string {
  if (raw.length < 16) throw new Error('ADMIN_TOKEN must be at least 16 characters.');
  return raw;
}
