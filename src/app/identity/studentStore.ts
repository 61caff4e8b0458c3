import { cleanName } from '../../protocol/studentName';

/** A signed-in student as the server's session named them. */
export interface Student {
  name: string;
  id: string;
}

const CURRENT_KEY = 'tutor.student';
const RECENT_KEY = 'tutor.recentNames';
const MAX_RECENT = 5;

/**
 * Who signed in on this device last, kept in localStorage so a reload (or an offline start) opens their
 * pages; the server's session cookie is what counts, and requests find out when it has ended. A record from
 * an older version (a bare name, no id from a session) is not a sign-in. Storage can be missing or throw
 * (private modes, disabled cookies): then the app still works for this visit and simply does not remember.
 */
export function loadStudent(storage: Storage | undefined = safeStorage()): Student | null {
  try {
    const parsed = JSON.parse(read(storage, CURRENT_KEY) ?? 'null') as Partial<Student> | null;
    const name = typeof parsed?.name === 'string' ? cleanName(parsed.name) : null;
    return name && typeof parsed?.id === 'string' && /^[a-z0-9._-]{1,64}$/.test(parsed.id) ? { name, id: parsed.id } : null;
  } catch {
    return null;
  }
}

/** Remembers the student a sign-in answered with (and their name among the recent ones). */
export function saveStudent(student: Student, storage: Storage | undefined = safeStorage()): Student {
  const recent = [student.name, ...loadRecentNames(storage).filter((other) => other !== student.name)].slice(0, MAX_RECENT);
  write(storage, CURRENT_KEY, JSON.stringify(student));
  write(storage, RECENT_KEY, JSON.stringify(recent));
  return student;
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
