import { FLAG_NAMES, SAFE_DEFAULT_FLAGS, isFlagName, type FlagName } from './flagNames';
import { isPlainObject } from '../core/isPlainObject';

/** One validated entry of the flags file (or the safe default that replaced it). */
export interface FlagDefinition {
  readonly enabled: boolean;
  readonly description: string;
  /** Percentage of users (0–100) who get the flag when enabled; absent means everyone. */
  readonly rollout?: number;
  /** Where the value came from: the file, the safe default (missing/unreadable file) or an invalid entry. */
  readonly origin: 'file' | 'default' | 'invalid';
}

/** A problem found while validating the flags file; the runtime keeps running on safe defaults. */
export interface FlagMessage {
  readonly level: 'error' | 'warning';
  /** The flag concerned; absent for problems with the whole file. */
  readonly flag?: string;
  readonly message: string;
}

export interface ValidatedFlags {
  readonly definitions: Readonly<Record<FlagName, FlagDefinition>>;
  readonly messages: readonly FlagMessage[];
}

const FILE = 'feature-flags.json';

/**
 * Validates the content of feature-flags.json (text or parsed value). Never throws: every problem becomes a
 * message naming the flag and what is wrong; an invalid entry is disabled while the others load; an unreadable
 * file gives every flag its safe default plus one error.
 */
export function validateFlags(source: unknown): ValidatedFlags {
  const messages: FlagMessage[] = [];
  const parsed = parseSource(source, messages);
  if (parsed === undefined) return { definitions: safeDefaults(), messages };

  const definitions = {} as Record<FlagName, FlagDefinition>;
  for (const [name, entry] of Object.entries(parsed)) {
    if (!isFlagName(name)) {
      messages.push({ level: 'warning', flag: name, message: `${FILE}: unknown flag "${name}" is ignored (known flags: ${FLAG_NAMES.join(', ')}).` });
      continue;
    }
    const problem = entryProblem(entry);
    if (problem) {
      messages.push({ level: 'error', flag: name, message: `${FILE}: flag "${name}" ${problem}; it is disabled until fixed.` });
      definitions[name] = { enabled: false, description: describeOf(entry), origin: 'invalid' };
      continue;
    }
    const valid = entry as { enabled: boolean; description: string; rollout?: number };
    definitions[name] = { enabled: valid.enabled, description: valid.description, rollout: valid.rollout, origin: 'file' };
  }
  for (const name of FLAG_NAMES) {
    if (definitions[name]) continue;
    const enabled = SAFE_DEFAULT_FLAGS[name];
    messages.push({ level: 'warning', flag: name, message: `${FILE}: flag "${name}" is missing; using its safe default (${enabled ? 'on' : 'off'}).` });
    definitions[name] = { enabled, description: '', origin: 'default' };
  }
  return { definitions, messages };
}

function parseSource(source: unknown, messages: FlagMessage[]): Record<string, unknown> | undefined {
  let value = source;
  if (typeof source === 'string') {
    try {
      value = JSON.parse(source);
    } catch (error) {
      messages.push({ level: 'error', message: `${FILE} is not valid JSON (${(error as Error).message}); every flag uses its safe default.` });
      return undefined;
    }
  }
  if (!isPlainObject(value)) {
    messages.push({ level: 'error', message: `${FILE} must be an object like {"flags": {...}}, got ${typeName(value)}; every flag uses its safe default.` });
    return undefined;
  }
  const flags = value.flags;
  if (!isPlainObject(flags)) {
    messages.push({ level: 'error', message: `${FILE}: "flags" must be an object of flag entries, got ${typeName(flags)}; every flag uses its safe default.` });
    return undefined;
  }
  return flags;
}

function entryProblem(entry: unknown): string | undefined {
  if (!isPlainObject(entry)) return `must be an object like {"enabled": true, "description": "…"}, got ${typeName(entry)}`;
  if (typeof entry.enabled !== 'boolean') return `has "enabled" ${show(entry.enabled)}; it must be true or false`;
  if (typeof entry.description !== 'string' || entry.description.trim() === '') {
    return entry.description === undefined
      ? 'is missing "description" (say what the flag turns on)'
      : `has "description" ${show(entry.description)}; it must be a non-empty string`;
  }
  const { rollout } = entry;
  if (rollout !== undefined && !(Number.isInteger(rollout) && (rollout as number) >= 0 && (rollout as number) <= 100)) {
    return `has "rollout" ${show(rollout)}; it must be an integer percentage from 0 to 100`;
  }
  return undefined;
}

function safeDefaults(): Record<FlagName, FlagDefinition> {
  const definitions = {} as Record<FlagName, FlagDefinition>;
  for (const name of FLAG_NAMES) definitions[name] = { enabled: SAFE_DEFAULT_FLAGS[name], description: '', origin: 'default' };
  return definitions;
}

function describeOf(entry: unknown): string {
  return isPlainObject(entry) && typeof entry.description === 'string' ? entry.description : '';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function show(value: unknown): string {
  if (value === undefined) return 'missing';
  return `${JSON.stringify(value)} (${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value})`;
}
