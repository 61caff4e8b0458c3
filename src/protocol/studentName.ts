/** The longest student id the server accepts (X-Student-Id is [a-z0-9._-]{1,64}). */
export const MAX_STUDENT_ID_LENGTH = 64;
export const MAX_NAME_LENGTH = 60;

/**
 * Turns a display name into the student id the server keeps (sign-in claims it): lower case, accents removed,
 * runs of anything else collapsed to '-'. Names with no Latin letters or digits at all (e.g. "李雷")
 * would slug to nothing, so they get a stable id derived from a hash of the name instead.
 */
export function studentIdFromName(name: string): string {
  const slug = name
    .trim()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, MAX_STUDENT_ID_LENGTH)
    .replace(/[-.]+$/, '');
  return slug === '' ? `student-${fnv1a(name.trim())}` : slug;
}

/** A name the welcome screen accepts, trimmed; null when there is nothing to use. */
export function cleanName(input: string): string | null {
  const name = input.trim().replace(/\s+/g, ' ');
  return name === '' || name.length > MAX_NAME_LENGTH ? null : name;
}

// 32-bit FNV-1a: tiny, stable across browsers, and enough to keep such names apart on one device.
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** Passphrase rules at sign-in (docs/operations.md, "Sign-in sessions"): long enough to resist guessing under
 * the server's attempt limit, short enough for a child to remember a few words. */
export const MIN_PASSPHRASE_LENGTH = 6;
export const MAX_PASSPHRASE_LENGTH = 128;

/** Why a passphrase is not acceptable, in words a student can act on; null when it is fine. */
export function passphraseProblem(passphrase: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return `Please use a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters (a few words work well).`;
  if (passphrase.length > MAX_PASSPHRASE_LENGTH) return `Please use a passphrase of at most ${MAX_PASSPHRASE_LENGTH} characters.`;
  return null;
}
