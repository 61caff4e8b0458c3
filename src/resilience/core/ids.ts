import type { Clock, RandomSource } from './clock';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

export type IdGenerator = () => string;

/**
 * ULID-shaped ids (26 chars, Crockford base32: 48-bit ms timestamp then 80 random bits) from the runtime's
 * clock and random seams. Ids sort by creation time as strings; within one millisecond (or if the clock steps
 * back) the random part is incremented so ids from one generator stay strictly increasing.
 */
export function createIdGenerator(clock: Clock, random: RandomSource): IdGenerator {
  let lastTime = -1;
  let lastRandom: number[] = [];

  return () => {
    const now = Math.max(0, Math.floor(clock.now()));
    if (now <= lastTime && lastRandom.length === RANDOM_CHARS) {
      lastRandom = increment(lastRandom);
    } else {
      lastTime = now;
      lastRandom = Array.from({ length: RANDOM_CHARS }, () => Math.floor(random() * 32) & 31);
    }
    return encodeTime(lastTime) + lastRandom.map((digit) => CROCKFORD[digit]).join('');
  };
}

function encodeTime(timeMs: number): string {
  let remaining = timeMs;
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = CROCKFORD[remaining % 32] + out;
    remaining = Math.floor(remaining / 32);
  }
  return out;
}

function increment(digits: number[]): number[] {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i] as number;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  return next; // 80-bit overflow within one ms: practically unreachable; wraps.
}
