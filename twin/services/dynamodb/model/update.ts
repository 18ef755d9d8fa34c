import { validation } from '../errors.ts';
import type { Operand, Path, SetValue, UpdatePlan } from './expressions.ts';
import { valueAt } from './expressions.ts';
import { addDecimal, formatDecimal, negate, parseDecimal } from './numbers.ts';
import {
  type AttributeValue,
  equalValues,
  fromMembers,
  type Item,
  isSetType,
  setMembers,
  typeOf,
} from './values.ts';

/**
 * Applies an update expression to a copy of an item (Developer Guide,
 * "Using update expressions in DynamoDB"): SET (with `+`, `-`,
 * if_not_exists and list_append), REMOVE, ADD (numbers and sets) and
 * DELETE (from sets). Everything is read from the item as it was before
 * the update, as DynamoDB evaluates the whole expression against it.
 */

const invalidPath = () =>
  validation('The document path provided in the update expression is invalid for update');
const badOperand = () => validation('An operand in the update expression has an incorrect data type');

function operandValue(before: Item, o: Operand): AttributeValue | undefined {
  if (o.kind === 'value') return o.value;
  if (o.kind === 'path') return valueAt(before, o.path);
  return undefined;
}

/** A SET operand that names an attribute the item does not have. */
function missing(): Error {
  return validation('The provided expression refers to an attribute that does not exist in the item');
}

function compute(before: Item, v: SetValue): AttributeValue {
  switch (v.kind) {
    case 'value':
    case 'path':
    case 'size': {
      const x = operandValue(before, v);
      if (x === undefined) throw missing();
      return x;
    }
    case 'plus':
    case 'minus': {
      const [a, b] = [compute(before, v.left), compute(before, v.right)];
      if (a.N === undefined || b.N === undefined) throw badOperand();
      const right = parseDecimal(b.N);
      return { N: formatDecimal(addDecimal(parseDecimal(a.N), v.kind === 'plus' ? right : negate(right))) };
    }
    case 'if_not_exists':
      return valueAt(before, v.path) ?? compute(before, v.fallback);
    case 'list_append': {
      const [a, b] = [compute(before, v.left), compute(before, v.right)];
      if (!a.L || !b.L) throw badOperand();
      return { L: [...a.L, ...b.L] };
    }
  }
}

/** Sets the value at a path; the parent must exist and be of the kind the path needs. */
function putAt(item: Item, path: Path, value: AttributeValue): void {
  let parent: AttributeValue = { M: item };
  for (const part of path.slice(0, -1)) {
    const next: AttributeValue | undefined = typeof part === 'number' ? parent.L?.[part] : parent.M?.[part];
    if (!next) throw invalidPath();
    parent = next;
  }
  const last = path.at(-1)!;
  if (typeof last === 'number') {
    if (!parent.L) throw invalidPath();
    // "If the index is beyond the end of the list, the new element is appended."
    if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
  } else {
    if (!parent.M) throw invalidPath();
    parent.M[last] = value;
  }
}

function removeAt(item: Item, path: Path): void {
  let parent: AttributeValue | undefined = { M: item };
  for (const part of path.slice(0, -1)) {
    parent = typeof part === 'number' ? parent?.L?.[part] : parent?.M?.[part];
    if (!parent) return;
  }
  const last = path.at(-1)!;
  if (typeof last === 'number') {
    if (parent.L && last < parent.L.length) parent.L.splice(last, 1);
  } else if (parent.M) delete parent.M[last];
}

/** List removals go last and from the highest index down, so earlier indexes still name what they named. */
function removalOrder(paths: Path[]): Path[] {
  return [...paths].sort((a, b) => {
    const [x, y] = [a.at(-1), b.at(-1)];
    return typeof x === 'number' && typeof y === 'number' ? y - x : 0;
  });
}

export function applyUpdate(before: Item, plan: UpdatePlan): Item {
  const after = structuredClone(before);
  const sets = plan.set.map((s) => ({ path: s.path, value: compute(before, s.value) }));
  for (const s of sets) putAt(after, s.path, structuredClone(s.value));
  for (const a of plan.add) {
    const current = valueAt(before, a.path);
    const given = a.value.value;
    const t = typeOf(given);
    if (!current) {
      putAt(after, a.path, structuredClone(given));
      continue;
    }
    if (t === 'N') {
      if (current.N === undefined) throw badOperand();
      putAt(after, a.path, { N: formatDecimal(addDecimal(parseDecimal(current.N), parseDecimal(given.N!))) });
    } else if (isSetType(t)) {
      if (typeOf(current) !== t) throw badOperand();
      const members = setMembers(current);
      for (const m of setMembers(given)) if (!members.some((x) => equalValues(x, m))) members.push(m);
      putAt(after, a.path, fromMembers(t, members));
    }
  }
  for (const d of plan.delete) {
    const current = valueAt(before, d.path);
    const t = typeOf(d.value.value);
    if (!current || !isSetType(t)) continue;
    if (typeOf(current) !== t) throw badOperand();
    const left = setMembers(current).filter((m) => !setMembers(d.value.value).some((x) => equalValues(x, m)));
    // A set may not be empty: deleting its last members removes the attribute.
    if (left.length === 0) removeAt(after, d.path);
    else putAt(after, d.path, fromMembers(t, left));
  }
  for (const path of removalOrder(plan.remove)) removeAt(after, path);
  return after;
}

/** The paths an update writes, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
export function updatedPaths(plan: UpdatePlan): Path[] {
  return [
    ...plan.set.map((s) => s.path),
    ...plan.remove,
    ...plan.add.map((a) => a.path),
    ...plan.delete.map((d) => d.path),
  ];
}
