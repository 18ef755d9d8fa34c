/**
 * The Condition element, as "IAM JSON policy elements: Condition operators"
 * and "Single-valued vs. multivalued context keys" describe it:
 *
 * - several operators in a block, and several keys under one operator, are
 *   ANDed; several values for one key are ORed;
 * - "If the key that you specify in a policy condition is not present in the
 *   request context, the values do not match and the condition is false. If
 *   the policy condition requires that the key is not matched, such as
 *   StringNotLike or ArnNotLike, and the right key is not present, the
 *   condition is true" — except `…IfExists` (missing key: true) and `Null`;
 * - `ForAnyValue:` is true when at least one request value matches (false
 *   for a missing or empty key); `ForAllValues:` when every request value
 *   matches (true for a missing or empty key);
 * - condition values may hold policy variables.
 */

import { ipInCidr } from '../common/ip.ts';
import type { RequestKeys } from './context-keys.ts';
import { arnMatches, globMatch } from './matching.ts';
import type { ConditionBlock } from './policy.ts';
import { type Lookup, substituteText } from './variables.ts';

type Compare = (requestValue: string, policyValue: string, vars: Lookup | undefined) => boolean;

interface BaseOperator {
  compare: Compare;
  negated: boolean;
}

function exact(transform: (s: string) => string = (s) => s): Compare {
  return (r, p, vars) => {
    const value = substituteText(p, vars);
    return value !== undefined && transform(r) === transform(value);
  };
}

function numeric(test: (a: number, b: number) => boolean): Compare {
  return (r, p) => {
    const a = Number(r);
    const b = Number(p);
    return r.trim() !== '' && p.trim() !== '' && !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
  };
}

/** Dates are ISO 8601 or epoch seconds ("Date condition operators"). */
function epochMs(s: string): number {
  return /^\d+$/.test(s.trim()) ? Number(s) * 1000 : Date.parse(s);
}

function date(test: (a: number, b: number) => boolean): Compare {
  return (r, p) => {
    const a = epochMs(r);
    const b = epochMs(p);
    return !Number.isNaN(a) && !Number.isNaN(b) && test(a, b);
  };
}

const stringEquals = exact();
const ignoreCase = exact((s) => s.toLowerCase());
const stringLike: Compare = (r, p, vars) => globMatch(p, r, vars ? { vars } : {});
const arnLike: Compare = (r, p, vars) => arnMatches(p, r, vars);
const eq = (a: number, b: number) => a === b;

const OPERATORS: Record<string, BaseOperator> = {
  StringEquals: { compare: stringEquals, negated: false },
  StringNotEquals: { compare: stringEquals, negated: true },
  StringEqualsIgnoreCase: { compare: ignoreCase, negated: false },
  StringNotEqualsIgnoreCase: { compare: ignoreCase, negated: true },
  StringLike: { compare: stringLike, negated: false },
  StringNotLike: { compare: stringLike, negated: true },
  NumericEquals: { compare: numeric(eq), negated: false },
  NumericNotEquals: { compare: numeric(eq), negated: true },
  NumericLessThan: { compare: numeric((a, b) => a < b), negated: false },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), negated: false },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), negated: false },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), negated: false },
  DateEquals: { compare: date(eq), negated: false },
  DateNotEquals: { compare: date(eq), negated: true },
  DateLessThan: { compare: date((a, b) => a < b), negated: false },
  DateLessThanEquals: { compare: date((a, b) => a <= b), negated: false },
  DateGreaterThan: { compare: date((a, b) => a > b), negated: false },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b), negated: false },
  Bool: { compare: ignoreCase, negated: false },
  BinaryEquals: { compare: stringEquals, negated: false },
  // "The IP address must be in the standard CIDR format (for example, 203.0.113.0/24 or
  // 2001:DB8:1234:5678::/64). If you specify an IP address without the associated routing prefix,
  // IAM uses the default prefix value of /32" (Condition operators, IP address).
  IpAddress: { compare: (r, p) => ipInCidr(r, p), negated: false },
  NotIpAddress: { compare: (r, p) => ipInCidr(r, p), negated: true },
  // "ArnEquals, ArnLike: Case-sensitive matching of the ARN" — both take wildcards.
  ArnEquals: { compare: arnLike, negated: false },
  ArnLike: { compare: arnLike, negated: false },
  ArnNotEquals: { compare: arnLike, negated: true },
  ArnNotLike: { compare: arnLike, negated: true },
};

export interface ParsedOperator {
  set: 'any' | 'all' | undefined;
  base: string;
  ifExists: boolean;
}

/** `ForAnyValue:StringLikeIfExists` → set `any`, base `StringLike`, ifExists. `undefined` if unknown. */
export function parseOperator(name: string): ParsedOperator | undefined {
  const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(name);
  if (!m) return undefined;
  const base = m[2]!;
  if (base !== 'Null' && !(base in OPERATORS)) return undefined;
  if (base === 'Null' && (m[1] || m[3])) return undefined;
  const set = m[1] === 'ForAnyValue' ? 'any' : m[1] === 'ForAllValues' ? 'all' : undefined;
  return { set, base, ifExists: Boolean(m[3]) };
}

function nullCheck(present: boolean, policyValues: string[]): boolean {
  return policyValues.some((v) =>
    v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' && present,
  );
}

function oneKey(
  op: ParsedOperator,
  key: string,
  policyValues: string[],
  keys: RequestKeys,
  vars: Lookup | undefined,
): boolean {
  const entry = keys.get(key);
  const present = entry !== undefined && entry.values.length > 0;
  if (op.base === 'Null') return nullCheck(present, policyValues);
  const { compare, negated } = OPERATORS[op.base]!;
  const matchesAny = (value: string) => policyValues.some((p) => compare(value, p, vars));
  const holds = (value: string) => (negated ? !matchesAny(value) : matchesAny(value));
  if (!present) {
    if (op.ifExists) return true;
    if (op.set === 'all') return true;
    if (op.set === 'any') return false;
    return negated;
  }
  if (op.set === 'all') return entry.values.every(holds);
  if (op.set === 'any') return entry.values.some(holds);
  // Without a set operator a negated operator must match none of the request's values.
  return negated ? entry.values.every(holds) : entry.values.some(holds);
}

export interface ConditionResult {
  holds: boolean;
  /** Keys the block reads that the request does not carry (SimulatePolicy's MissingContextValues). */
  missing: string[];
}

/** Evaluates a statement's Condition block against the request context. */
export function evaluateConditions(
  block: ConditionBlock | undefined,
  keys: RequestKeys,
  vars: Lookup | undefined,
): ConditionResult {
  if (!block) return { holds: true, missing: [] };
  let holds = true;
  const missing: string[] = [];
  for (const [name, byKey] of Object.entries(block)) {
    const op = parseOperator(name);
    for (const [key, values] of Object.entries(byKey)) {
      if (!keys.get(key)) missing.push(key);
      if (!op || !oneKey(op, key, values, keys, vars)) holds = false;
    }
  }
  return { holds, missing };
}

/** Operator names the validator accepts. */
export function isKnownOperator(name: string): boolean {
  return parseOperator(name) !== undefined;
}
