import type { Clock, RandomSource } from './clock';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;

/** Returns a new unique id each call (time-sortable in the default implementation). */
export type IdGenerator = () => string;

/**
 * ULID-shaped ids (26 chars, Crockford base32: 48-bit ms timestamp then 80 random bits) from the runtime's
 * clock and random seams. Ids sort by creation time as strings; within one millisecond (or if the clock steps
 * back) the random part is incremented so ids from one generator stay strictly increasing.
 */
export function createIdGenerator(clock: Clock, random: RandomSource): IdGenerator {
  let lastTime = -Infinity;
  let lastRandom: number[] = [];

  return () => {
    const now = Math.max(0, Math.floor(clock.now()));
    const incremented = now <= lastTime ? increment(lastRandom) : undefined;
    if (incremented) {
      lastRandom = incremented;
    } else {
      // New millisecond, or the random part overflowed: move to the next ms so order still holds.
      lastTime = Math.max(now, lastTime + 1);
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

/** The next value of the random part, or undefined when it would overflow. */
function increment(digits: number[]): number[] | undefined {
  const next = digits.slice();
  for (let i = next.length - 1; i >= 0; i--) {
    const digit = next[i] as number;
    if (digit < 31) {
      next[i] = digit + 1;
      return next;
    }
    next[i] = 0;
  }
  return undefined;
}
