/**
 * Sticky percentage rollout: a user is in the first `rolloutPercent` of 100 buckets for a flag or not, and
 * stays there across reloads and devices because the bucket is a stable hash of (flag, user id).
 */
export function isInRollout(flag: string, userId: string, rolloutPercent: number): boolean {
  if (rolloutPercent >= 100) return true;
  if (rolloutPercent <= 0) return false;
  return rolloutBucket(flag, userId) < rolloutPercent;
}

/** 0–99 bucket from a 32-bit FNV-1a hash of `flag:userId`. */
export function rolloutBucket(flag: string, userId: string): number {
  const text = `${flag}:${userId}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 100;
}
