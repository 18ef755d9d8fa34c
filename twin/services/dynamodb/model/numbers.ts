import { validation } from '../errors.ts';

/**
 * DynamoDB numbers: "Numbers can have up to 38 digits of precision … Positive
 * range: 1E-130 to 9.9999999999999999999999999999999999999E+125" (Developer
 * Guide, "Supported data types and naming rules", Number). They travel as
 * strings and are compared and added exactly, so they are held here as a
 * BigInt of significant digits and a power of ten, never as a JS double.
 */
export interface Decimal {
  /** Significant digits with sign, no trailing zeros (0 for zero). */
  digits: bigint;
  /** value = digits × 10^exp */
  exp: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** "A value provided cannot be converted into a number" — DynamoDB's word for a bad N. */
export const notANumber = () => validation('A value provided cannot be converted into a number');

export function parseDecimal(text: string): Decimal {
  const m = NUMBER.exec(text);
  if (!m || (!m[2] && !m[3])) throw notANumber();
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  let all = (whole + frac).replace(/^0+/, '');
  let exp = Number(m[4] ?? 0) - frac.length;
  if (!all) return { digits: 0n, exp: 0 };
  const trimmed = all.replace(/0+$/, '');
  exp += all.length - trimmed.length;
  all = trimmed;
  if (all.length > 38) throw validation('Attempting to store more than 38 significant digits in a Number');
  // Magnitude: the leading digit's power of ten is exp + all.length - 1.
  const magnitude = exp + all.length - 1;
  if (magnitude > 125)
    throw validation(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  if (magnitude < -130)
    throw validation(
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    );
  return { digits: sign * BigInt(all), exp };
}

/** The canonical text DynamoDB returns ("1.50" comes back "1.5", "01" as "1"). */
export function formatDecimal(d: Decimal): string {
  if (d.digits === 0n) return '0';
  const neg = d.digits < 0n;
  const abs = (neg ? -d.digits : d.digits).toString();
  let out: string;
  if (d.exp >= 0) out = abs + '0'.repeat(d.exp);
  else {
    const point = abs.length + d.exp;
    out = point > 0 ? `${abs.slice(0, point)}.${abs.slice(point)}` : `0.${'0'.repeat(-point)}${abs}`;
  }
  return neg ? `-${out}` : out;
}

export const canonicalNumber = (text: string) => formatDecimal(parseDecimal(text));

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function normalize(digits: bigint, exp: number): Decimal {
  if (digits === 0n) return { digits: 0n, exp: 0 };
  while (digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  return { digits, exp };
}

/** Exact sum, refused past 38 digits as DynamoDB refuses it. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  const sum = normalize(x + y, exp);
  return parseDecimal(formatDecimal(sum));
}

export const negate = (a: Decimal): Decimal => ({ digits: -a.digits, exp: a.exp });

/** Significant digits, for the item size estimate. */
export function significantDigits(text: string): number {
  const d = parseDecimal(text);
  return d.digits === 0n ? 1 : (d.digits < 0n ? -d.digits : d.digits).toString().length;
}
