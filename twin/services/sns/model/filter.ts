import { invalidParameter } from '../errors.ts';
import type { SnsAttribute } from './state.ts';

/**
 * Subscription filter policies (SNS Developer Guide, "Amazon SNS message
 * filtering"): every key of the policy must match (AND), any condition in
 * a key's array may (OR). Conditions: exact strings and numbers, prefix,
 * suffix, equals-ignore-case, anything-but (values or a prefix), numeric
 * comparisons and ranges, exists. Scope MessageAttributes (default) reads
 * the message attributes (String, Number, String.Array); MessageBody reads
 * the JSON body, nested keys as nested objects.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function checkFilterPolicy(text: string): void {
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    throw invalidParameter('Attributes Reason: FilterPolicy: failed to parse JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidParameter('Attributes Reason: FilterPolicy: Filter policy must be a JSON object');
}

const NUMERIC: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericMatch(value: Json, ops: Json): boolean {
  if (typeof value !== 'number' || !Array.isArray(ops)) return false;
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const test = NUMERIC[String(ops[i])];
    if (!test?.(value, Number(ops[i + 1]))) return false;
  }
  return true;
}

function anythingBut(value: Json, what: Json): boolean {
  if (what && typeof what === 'object' && !Array.isArray(what) && typeof what.prefix === 'string')
    return typeof value === 'string' && !value.startsWith(what.prefix);
  const list = Array.isArray(what) ? what : [what];
  return !list.some((x) => x === value);
}

function conditionMatches(condition: Json, value: Json): boolean {
  if (condition === null || typeof condition !== 'object') return condition === value;
  if (Array.isArray(condition)) return false;
  const [op, arg] = Object.entries(condition)[0] ?? [];
  const isText = typeof value === 'string';
  const text = isText ? value : '';
  switch (op) {
    case 'prefix':
      return isText && text.startsWith(String(arg));
    case 'suffix':
      return isText && text.endsWith(String(arg));
    case 'equals-ignore-case':
      return isText && text.toLowerCase() === String(arg).toLowerCase();
    case 'anything-but':
      return anythingBut(value, arg as Json);
    case 'numeric':
      return numericMatch(value, arg as Json);
    case 'exists':
      return arg === true;
    default:
      return false;
  }
}

/** A key's conditions against the values found for it (none when the key is absent). */
function keyMatches(conditions: Json[], values: Json[] | undefined): boolean {
  if (values === undefined)
    return conditions.some(
      (c) => c !== null && typeof c === 'object' && !Array.isArray(c) && c.exists === false,
    );
  return conditions.some((c) => values.some((v) => conditionMatches(c, v)));
}

function attributeValues(a: SnsAttribute | undefined): Json[] | undefined {
  if (!a) return undefined;
  if (a.DataType.startsWith('Number')) return [Number(a.StringValue)];
  if (a.DataType === 'String.Array') {
    try {
      const list = JSON.parse(a.StringValue ?? '[]') as Json;
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }
  return a.DataType.startsWith('String') ? [a.StringValue ?? ''] : [];
}

function bodyMatches(policy: { [k: string]: Json }, body: Json): boolean {
  const object = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
  return Object.entries(policy).every(([key, rule]) => {
    const value = object[key];
    if (rule !== null && typeof rule === 'object' && !Array.isArray(rule))
      return bodyMatches(rule, value ?? null);
    const values = value === undefined ? undefined : Array.isArray(value) ? value : [value];
    return keyMatches(Array.isArray(rule) ? rule : [rule], values);
  });
}

/** Whether a message passes a subscription's filter policy. */
export function passesFilter(
  policyText: string | undefined,
  scope: string | undefined,
  attributes: Record<string, SnsAttribute>,
  message: string,
): boolean {
  if (!policyText) return true;
  const policy = JSON.parse(policyText) as { [k: string]: Json };
  if (scope === 'MessageBody') {
    try {
      return bodyMatches(policy, JSON.parse(message) as Json);
    } catch {
      return false;
    }
  }
  return Object.entries(policy).every(([key, rule]) =>
    keyMatches(Array.isArray(rule) ? rule : [rule], attributeValues(attributes[key])),
  );
}
