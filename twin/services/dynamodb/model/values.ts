import { invalidParameter, validation } from '../errors.ts';
import { canonicalNumber, compareDecimal, parseDecimal, significantDigits } from './numbers.ts';

/**
 * DynamoDB attribute values (Developer Guide, "Supported data types and
 * naming rules"): scalars S N B BOOL NULL, documents M L, sets SS NS BS.
 * A value carries exactly one type; numbers are strings, stored in their
 * canonical form; sets may not be empty nor hold duplicates.
 */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
}

export type Item = Record<string, AttributeValue>;
export type TypeName = keyof AttributeValue;

export const TYPES: readonly TypeName[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

/** The one type a value carries (its first defined member). */
export function typeOf(v: AttributeValue): TypeName {
  for (const t of TYPES) if (v[t] !== undefined) return t;
  return 'NULL';
}

const SET_NAMES: Record<string, string> = { SS: 'An string set ', NS: 'An number set ' };

/**
 * Validates a value as DynamoDB does before any operation and returns it
 * in canonical form (numbers normalized). Messages are DynamoDB's.
 */
export function checkValue(v: AttributeValue): AttributeValue {
  if (v === null || typeof v !== 'object')
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  const present = TYPES.filter((t) => v[t] !== undefined && v[t] !== null);
  if (present.length === 0)
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (present.length > 1)
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  const t = present[0]!;
  switch (t) {
    case 'N':
      return { N: canonicalNumber(v.N!) };
    case 'NULL':
      if (v.NULL !== true) throw invalidParameter('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'SS':
    case 'NS':
    case 'BS': {
      const list = v[t] as (string | Uint8Array)[];
      if (list.length === 0)
        throw invalidParameter(
          t === 'BS' ? 'Binary sets should not be empty' : `${SET_NAMES[t]} may not be empty`,
        );
      const members = t === 'NS' ? (list as string[]).map(canonicalNumber) : list;
      const seen = new Set(
        members.map((m) => (typeof m === 'string' ? m : Buffer.from(m).toString('base64'))),
      );
      if (seen.size !== members.length)
        throw invalidParameter(
          t === 'BS'
            ? 'Input collection contains duplicates of type BS.'
            : `Input collection [${(members as string[]).join(', ')}] contains duplicates.`,
        );
      return { [t]: members } as AttributeValue;
    }
    case 'M':
      return { M: Object.fromEntries(Object.entries(v.M!).map(([k, x]) => [k, checkValue(x)])) };
    case 'L':
      return { L: v.L!.map(checkValue) };
    default:
      return { [t]: v[t] } as AttributeValue;
  }
}

export function checkItem(item: Record<string, AttributeValue>): Item {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, checkValue(v)]));
}

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * A value's size as DynamoDB counts it toward the 400 KB item limit
 * (Developer Guide, "Item sizes and formats"): strings in UTF-8 bytes,
 * numbers about one byte per two significant digits plus one, binary in
 * bytes, BOOL and NULL one byte, and 3 bytes of overhead per document plus
 * one per element.
 */
export function sizeOf(v: AttributeValue): number {
  switch (typeOf(v)) {
    case 'S':
      return utf8(v.S!);
    case 'N':
      return Math.ceil(significantDigits(v.N!) / 2) + 1;
    case 'B':
      return v.B!.length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return v.SS!.reduce((n, s) => n + utf8(s), 0);
    case 'NS':
      return v.NS!.reduce((n, s) => n + Math.ceil(significantDigits(s) / 2) + 1, 0);
    case 'BS':
      return v.BS!.reduce((n, b) => n + b.length, 0);
    case 'L':
      return 3 + v.L!.reduce((n, x) => n + 1 + sizeOf(x), 0);
    case 'M':
      return 3 + Object.entries(v.M!).reduce((n, [k, x]) => n + 1 + utf8(k) + sizeOf(x), 0);
  }
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce((n, [k, v]) => n + utf8(k) + sizeOf(v), 0);
}

/** "The maximum item size in DynamoDB is 400 KB, which includes both attribute name binary length … and attribute value lengths" (Developer Guide, Quotas). */
export const MAX_ITEM_BYTES = 400 * 1024;

export function checkItemSize(item: Item, update = false): void {
  if (itemSize(item) > MAX_ITEM_BYTES)
    throw validation(
      update
        ? 'Item size to update has exceeded the maximum allowed size'
        : 'Item size has exceeded the maximum allowed size',
    );
}

/** Byte-wise order, as DynamoDB orders strings (UTF-8 bytes) and binary (unsigned bytes). */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Order of two scalars of the same type (S, N, B), or undefined where the
 * types differ or are not ordered: a comparison between them is false.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const t = typeOf(a);
  if (t !== typeOf(b)) return undefined;
  if (t === 'S') return compareBytes(Buffer.from(a.S!, 'utf8'), Buffer.from(b.S!, 'utf8'));
  if (t === 'N') return compareDecimal(parseDecimal(a.N!), parseDecimal(b.N!));
  if (t === 'B') return compareBytes(a.B!, b.B!);
  return undefined;
}

/** Deep equality, sets compared as sets. */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case 'S':
    case 'N':
    case 'B':
      return compareValues(a, b) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'L':
      return a.L!.length === b.L!.length && a.L!.every((x, i) => equalValues(x, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      return (
        ka.length === Object.keys(b.M!).length && ka.every((k) => b.M![k] && equalValues(a.M![k]!, b.M![k]!))
      );
    }
    default: {
      const xs = setMembers(a);
      const ys = setMembers(b);
      return xs.length === ys.length && xs.every((x) => ys.some((y) => equalValues(x, y)));
    }
  }
}

/** The members of a set value as scalar values. */
export function setMembers(v: AttributeValue): AttributeValue[] {
  if (v.SS) return v.SS.map((S) => ({ S }));
  if (v.NS) return v.NS.map((N) => ({ N }));
  if (v.BS) return v.BS.map((B) => ({ B }));
  return [];
}

export function fromMembers(type: 'SS' | 'NS' | 'BS', members: AttributeValue[]): AttributeValue {
  if (type === 'SS') return { SS: members.map((m) => m.S!) };
  if (type === 'NS') return { NS: members.map((m) => m.N!) };
  return { BS: members.map((m) => m.B!) };
}

export const isSetType = (t: TypeName): t is 'SS' | 'NS' | 'BS' => t === 'SS' || t === 'NS' || t === 'BS';

/** A deep copy, so stored items never share structure with a request or a response. */
export function cloneItem(item: Item): Item {
  return structuredClone(item);
}
