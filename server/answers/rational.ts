/**
 * Exact rational numbers for answer checking: 0.1 + 0.2 must equal 3/10 exactly, so no floats.
 * BigInt keeps long decimals ("0.333333333333333333") exact as well.
 */
export interface Rational {
  num: bigint;
  /** Always positive; the fraction is kept in lowest terms. */
  den: bigint;
}

const MAX_INPUT_CHARS = 40;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function rational(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new RangeError('denominator must not be zero');
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

export function equals(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

export function scale(a: Rational, factor: bigint, divisor: bigint): Rational {
  return rational(a.num * factor, a.den * divisor);
}

const MIXED = /^([+-]?)(\d+)\s+(\d+)\s*\/\s*(\d+)$/;
const FRACTION = /^([+-]?)(\d+)\s*\/\s*(\d+)$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

/**
 * Reads a plain number the way students write it: "3", "-2", "0.5", ".5", "5.", "1/2", "2/4",
 * "1 1/2" (mixed number), "1,200" (thousands) or "0,5" (decimal comma). Returns null for anything else.
 */
export function parseRational(input: string): Rational | null {
  let text = input.trim().replace(/[\u2212\u2013]/g, '-').replace(/\s+/g, ' ');
  if (text === '' || text.length > MAX_INPUT_CHARS) return null;
  if (THOUSANDS.test(text)) text = text.replace(/,/g, '');
  else if (DECIMAL_COMMA.test(text)) text = text.replace(',', '.');

  const mixed = MIXED.exec(text);
  if (mixed) {
    const [, sign, whole, top, bottom] = mixed as unknown as [string, string, string, string, string];
    if (BigInt(bottom) === 0n) return null;
    const value = rational(BigInt(whole) * BigInt(bottom) + BigInt(top), BigInt(bottom));
    return sign === '-' ? rational(-value.num, value.den) : value;
  }
  const fraction = FRACTION.exec(text);
  if (fraction) {
    const [, sign, top, bottom] = fraction as unknown as [string, string, string, string];
    if (BigInt(bottom) === 0n) return null;
    return rational((sign === '-' ? -1n : 1n) * BigInt(top), BigInt(bottom));
  }
  const decimal = DECIMAL.exec(text);
  if (decimal) {
    const sign = decimal[1] === '-' ? -1n : 1n;
    const whole = decimal[2] ?? '';
    const fractionDigits = decimal[3] ?? '';
    if (whole === '' && fractionDigits === '') return null;
    const digits = BigInt(`${whole}${fractionDigits}` || '0');
    return rational(sign * digits, 10n ** BigInt(fractionDigits.length));
  }
  return null;
}
