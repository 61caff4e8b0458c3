import { cleanName, studentIdFromName } from '../../protocol/studentName';

export interface Student {
  name: string;
  id: string;
}

const CURRENT_KEY = 'tutor.student';
const RECENT_KEY = 'tutor.recentNames';
const MAX_RECENT = 5;

/**
 * Who is signed in on this device, kept in localStorage so a reload keeps the student in.
 * Storage can be missing or throw (private modes, disabled cookies): then the app still works for
 * this visit and simply does not remember.
 */
export function loadStudent(storage: Storage | undefined = safeStorage()): Student | null {
  const name = cleanName(read(storage, CURRENT_KEY) ?? '');
  return name ? { name, id: studentIdFromName(name) } : null;
}

export function saveStudent(name: string, storage: Storage | undefined = safeStorage()): Student {
  const recent = [name, ...loadRecentNames(storage).filter((other) => other !== name)].slice(0, MAX_RECENT);
  write(storage, CURRENT_KEY, name);
  write(storage, RECENT_KEY, JSON.stringify(recent));
  return { name, id: studentIdFromName(name) };
}

/** Log-out: the device forgets who is signed in (recent names stay, to pick from next time). */
export function forgetStudent(storage: Storage | undefined = safeStorage()): void {
  try {
    storage?.removeItem(CURRENT_KEY);
  } catch {
    // Nothing to forget if storage is unusable.
  }
}

/** Names used on this device before, newest first, to pick from instead of typing. */
export function loadRecentNames(storage: Storage | undefined = safeStorage()): string[] {
  try {
    const parsed: unknown = JSON.parse(read(storage, RECENT_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((item) => {
      const name = typeof item === 'string' ? cleanName(item) : null;
      return name ? [name] : [];
    });
  } catch {
    return [];
  }
}

export function forgetRecentName(name: string, storage: Storage | undefined = safeStorage()): string[] {
  const recent = loadRecentNames(storage).filter((other) => other !== name);
  write(storage, RECENT_KEY, JSON.stringify(recent));
  return recent;
}

function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function read(storage: Storage | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: Storage | undefined, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // Quota or disabled storage: remembering is a convenience, not a requirement.
  }
}
