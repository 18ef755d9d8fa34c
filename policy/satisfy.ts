/**
 * Request contexts a caller could present to make a statement's Condition
 * block hold. A grant narrowed by a condition still grants: to whoever can
 * present those values ("IAM JSON policy elements: Condition" — `kms:ViaService`
 * holds for any caller who uses the key through that service, `aws:PrincipalType`
 * for any caller of that type). So a check of "who may" tries, for each key
 * the block reads, the values that satisfy its operators — and the key's
 * absence, which satisfies negated operators, `…IfExists` and `ForAllValues:`
 * ("Condition operators": a missing key makes a negated operator true) —
 * and keeps the combinations under which the whole block holds.
 *
 * Not tried: values built from policy variables (`${aws:username}`); a
 * condition that matches only through a variable is treated as unsatisfied.
 */
import { evaluateConditions, parseOperator } from './conditions.ts';
import { type ContextKeys, RequestKeys } from './context-keys.ts';
import type { ConditionBlock } from './policy.ts';

/** A value no policy names: satisfies a negated operator on a present key. */
export const OTHER_VALUE = 'meshcheck-other-value';

/** Every `*` and `?` of a glob filled with one character: a value the pattern matches. */
function fillGlob(pattern: string): string {
  return pattern.replace(/[*?]/g, 'x');
}

function shiftNumber(value: string, by: number): string | undefined {
  const n = Number(value);
  return value.trim() === '' || Number.isNaN(n) ? undefined : String(n + by);
}

function shiftDate(value: string, bySeconds: number): string | undefined {
  const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms + bySeconds * 1000).toISOString();
}

/** Values that make one positive operator hold for `policyValue`. */
function valuesFor(base: string, policyValue: string): string[] {
  if (policyValue.includes('${')) return [];
  if (base === 'Null') return policyValue.toLowerCase() === 'false' ? [OTHER_VALUE] : [];
  if (/^(StringLike|StringNotLike|ArnLike|ArnNotLike|ArnEquals|ArnNotEquals)$/.test(base))
    return [fillGlob(policyValue)];
  if (base.startsWith('Numeric'))
    return [0, -1, 1].map((d) => shiftNumber(policyValue, d)).filter((v) => v !== undefined);
  if (base.startsWith('Date'))
    return [0, -1, 1].map((d) => shiftDate(policyValue, d)).filter((v) => v !== undefined);
  if (base === 'IpAddress' || base === 'NotIpAddress') return [policyValue.split('/')[0]!];
  return [policyValue];
}

/** For each key the block reads: absent, the values its operators name, and a value none names. */
function candidatesByKey(block: ConditionBlock): Map<string, (string | undefined)[]> {
  const byKey = new Map<string, Set<string | undefined>>();
  for (const [operator, keys] of Object.entries(block)) {
    const op = parseOperator(operator);
    for (const [key, policyValues] of Object.entries(keys)) {
      const name = [...byKey.keys()].find((k) => k.toLowerCase() === key.toLowerCase()) ?? key;
      const set = byKey.get(name) ?? new Set<string | undefined>([undefined, OTHER_VALUE]);
      for (const v of op ? policyValues.flatMap((p) => valuesFor(op.base, p)) : []) set.add(v);
      byKey.set(name, set);
    }
  }
  return new Map([...byKey].map(([k, set]) => [k, [...set]]));
}

/**
 * Contexts (holding only the keys the block reads) under which `block`
 * holds, most specific first; `[{}]` when there is no block, `[]` when no
 * tried combination satisfies it. At most `limit` combinations are tried.
 *
 * @example
 *   satisfyingContexts({ StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com'] } })
 *   // → [{ 'kms:ViaService': 's3.us-east-1.amazonaws.com' }]
 */
export function satisfyingContexts(block: ConditionBlock | undefined, limit = 4096): ContextKeys[] {
  if (!block || Object.keys(block).length === 0) return [{}];
  const keys = [...candidatesByKey(block)];
  const found: ContextKeys[] = [];
  let combos: ContextKeys[] = [{}];
  for (const [key, values] of keys) {
    combos = combos.flatMap((c) => values.map((v) => (v === undefined ? c : { ...c, [key]: v })));
    if (combos.length > limit) combos = combos.slice(0, limit);
  }
  for (const context of combos) {
    const request = new RequestKeys(context);
    if (evaluateConditions(block, request, request.lookup).holds) found.push(context);
  }
  return found.sort((a, b) => Object.keys(b).length - Object.keys(a).length);
}
