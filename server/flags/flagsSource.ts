import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { validateFlags, type FlagMessage } from '../../src/resilience/flags/validateFlags';
import { isPlainObject } from '../../src/protocol/isPlainObject';

/** The feature-flags.json shipped with the app: served until an operator writes the served file. */
export const BUNDLED_FLAGS_FILE = join(import.meta.dirname, '..', '..', 'feature-flags.json');

export interface ServedFlagsDocument {
  /** The exact bytes served, and their strong ETag. */
  text: string;
  etag: string;
  /** Which file they came from (the served file, or the bundled one when it does not exist). */
  file: string;
  errors: readonly FlagMessage[];
}

export type FlagsWriteResult = { ok: true; document: ServedFlagsDocument } | { ok: false; errors: readonly FlagMessage[] };

export interface FlagsSource {
  read(): ServedFlagsDocument;
  /** Merges `{flags: {name: {...fields}}}` into the served flags per entry; refused as a whole if invalid. */
  write(patch: unknown): FlagsWriteResult;
}

/**
 * The served flags (docs/operations.md, "Feature flags"): `file` (FLAGS_FILE, default DATA_DIR/feature-flags.json)
 * when it exists, else the bundled file. Read per request (it is small) so an edit on disk applies at once.
 */
export function createFlagsSource(file: string, bundled = BUNDLED_FLAGS_FILE): FlagsSource {
  const read = (): ServedFlagsDocument => {
    const from = existsSync(file) ? file : bundled;
    const text = readFileSync(from, 'utf8');
    const errors = validateFlags(text).messages.filter((m) => m.level === 'error');
    return { text, etag: `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`, file: from, errors };
  };
  return {
    read,
    write(patch) {
      const current = read();
      const merged = mergeFlags(current.errors.length === 0 ? (JSON.parse(current.text) as unknown) : { flags: {} }, patch);
      if (!merged.ok) return merged;
      const errors = validateFlags(merged.value).messages.filter((m) => m.level === 'error');
      if (errors.length > 0) return { ok: false, errors };
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(merged.value, null, 2)}\n`);
      renameSync(temporary, file); // a reader never sees half a file
      return { ok: true, document: read() };
    },
  };
}

type Merge = { ok: true; value: unknown } | { ok: false; errors: readonly FlagMessage[] };

function mergeFlags(current: unknown, patch: unknown): Merge {
  const patchFlags = isPlainObject(patch) ? patch.flags : undefined;
  if (!isPlainObject(patchFlags)) {
    return { ok: false, errors: [{ level: 'error', message: 'The body must look like {"flags": {"outbox": {"enabled": false}}}.' }] };
  }
  const base = isPlainObject(current) && isPlainObject(current.flags) ? current.flags : {};
  const flags: Record<string, unknown> = { ...base };
  for (const [name, entry] of Object.entries(patchFlags)) {
    const before = base[name];
    flags[name] = isPlainObject(before) && isPlainObject(entry) ? { ...before, ...entry } : entry;
  }
  return { ok: true, value: { ...(isPlainObject(current) ? current : {}), flags } };
}

