import { fnv1a32 } from '../core/fnv1a';

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
  return fnv1a32(`${flag}:${userId}`) % 100;
}
