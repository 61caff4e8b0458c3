import type { ChaosConfig } from '../../src/protocol/dev';
import { badRequest } from '../http/errors';
import { isPlainObject } from '../http/body';

export function defaultChaosConfig(): ChaosConfig {
  return {
    http: { failRate: 0, failNext: 0, status: 503, retryAfterSeconds: null, latencyMs: 0, blackholeRate: 0, dropResponseRate: 0, pathPrefix: '/api' },
    socket: { refuse: false, silent: false },
  };
}

type Check = (value: unknown) => boolean;
const rate: Check = (v) => typeof v === 'number' && v >= 0 && v <= 1;
const intIn = (min: number, max: number): Check => (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const bool: Check = (v) => typeof v === 'boolean';

const HTTP_FIELDS: Record<keyof ChaosConfig['http'], [Check, string]> = {
  failRate: [rate, 'a number from 0 to 1'],
  failNext: [intIn(0, 1000), 'an integer from 0 to 1000'],
  status: [intIn(400, 599), 'an integer HTTP status from 400 to 599'],
  retryAfterSeconds: [(v) => v === null || intIn(0, 3600)(v), 'null or an integer from 0 to 3600'],
  latencyMs: [intIn(0, 120_000), 'an integer from 0 to 120000'],
  blackholeRate: [rate, 'a number from 0 to 1'],
  dropResponseRate: [rate, 'a number from 0 to 1'],
  pathPrefix: [(v) => typeof v === 'string' && v.startsWith('/') && v.length <= 200, 'a path starting with "/"'],
};
const SOCKET_FIELDS: Record<keyof ChaosConfig['socket'], [Check, string]> = {
  refuse: [bool, 'true or false'],
  silent: [bool, 'true or false'],
};

function validateSection(name: string, value: unknown, fields: Record<string, [Check, string]>): Record<string, unknown> {
  if (!isPlainObject(value)) throw badRequest('INVALID_CHAOS', `"${name}" must be an object.`);
  for (const [field, fieldValue] of Object.entries(value)) {
    const rule = fields[field];
    if (!rule) throw badRequest('INVALID_CHAOS', `Unknown chaos setting "${name}.${field}".`);
    if (!rule[0](fieldValue)) throw badRequest('INVALID_CHAOS', `"${name}.${field}" must be ${rule[1]}, got ${JSON.stringify(fieldValue)}.`);
  }
  return value;
}

/** Merges a partial chaos update into `current`; 400 naming the field on anything unexpected. */
export function mergeChaosConfig(current: ChaosConfig, patch: unknown): ChaosConfig {
  if (!isPlainObject(patch)) throw badRequest('INVALID_CHAOS', 'The chaos update must be a JSON object.');
  for (const key of Object.keys(patch)) {
    if (key !== 'http' && key !== 'socket') throw badRequest('INVALID_CHAOS', `Unknown chaos section "${key}" (use "http" or "socket").`);
  }
  const http = patch.http === undefined ? {} : validateSection('http', patch.http, HTTP_FIELDS);
  const socket = patch.socket === undefined ? {} : validateSection('socket', patch.socket, SOCKET_FIELDS);
  return { http: { ...current.http, ...http }, socket: { ...current.socket, ...socket } };
}
