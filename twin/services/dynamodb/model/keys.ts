import { invalidParameter, validation } from '../errors.ts';
import type { KeyElement, TableState } from './index.ts';
import { type AttributeValue, checkValue, compareValues, type Item, typeOf } from './values.ts';

/**
 * Primary keys: an item's key attributes must be present with their
 * declared scalar type, strings and binary non-empty; a Key parameter
 * (GetItem, DeleteItem, UpdateItem, ExclusiveStartKey) must name exactly
 * the key attributes (Developer Guide, "Core components: primary key";
 * the messages are DynamoDB's).
 */

export const keyElements = (t: TableState): KeyElement[] => (t.range ? [t.hash, t.range] : [t.hash]);

/** "Partition key … maximum length 2048 bytes", "Sort key … maximum length 1024 bytes" (Developer Guide, Quotas). */
function checkKeySize(v: AttributeValue, element: KeyElement, isHash: boolean): void {
  const bytes = v.S !== undefined ? Buffer.byteLength(v.S, 'utf8') : v.B !== undefined ? v.B.length : 0;
  if (isHash && bytes > 2048)
    throw validation(
      'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes',
    );
  if (!isHash && bytes > 1024)
    throw validation(
      'One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes',
    );
  if ((v.S === '' || v.B?.length === 0) && element)
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${v.S !== undefined ? 'string' : 'binary'} value. Key: ${element.name}`,
    );
}

/** PutItem: "Missing the key EventID in the item", "Type mismatch for key … expected: S actual: N". */
export function checkItemKey(t: TableState, item: Item): void {
  keyElements(t).forEach((k, i) => {
    const v = item[k.name];
    if (v === undefined) throw invalidParameter(`Missing the key ${k.name} in the item`);
    if (typeOf(v) !== k.type)
      throw invalidParameter(`Type mismatch for key ${k.name} expected: ${k.type} actual: ${typeOf(v)}`);
    checkKeySize(v, k, i === 0);
  });
}

/** A Key parameter: exactly the key attributes, each of its type ("The provided key element does not match the schema"). */
export function checkKey(t: TableState, key: Record<string, AttributeValue> | undefined): Item {
  const elements = keyElements(t);
  const given = key ?? {};
  if (Object.keys(given).length !== elements.length)
    throw validation('The provided key element does not match the schema');
  const out: Item = {};
  elements.forEach((k, i) => {
    const raw = given[k.name];
    if (raw === undefined) throw validation('The provided key element does not match the schema');
    const v = checkValue(raw);
    if (typeOf(v) !== k.type) throw validation('The provided key element does not match the schema');
    checkKeySize(v, k, i === 0);
    out[k.name] = v;
  });
  return out;
}

function scalarText(v: AttributeValue): string {
  if (v.S !== undefined) return `S:${v.S}`;
  if (v.N !== undefined) return `N:${v.N}`;
  return `B:${Buffer.from(v.B!).toString('base64')}`;
}

/** The map key an item is stored under: its key attributes' canonical values. */
export function keyString(t: TableState, item: Item): string {
  return keyElements(t)
    .map((k) => scalarText(item[k.name]!))
    .join('\u0000');
}

export function keyOf(t: TableState, item: Item): Item {
  return Object.fromEntries(keyElements(t).map((k) => [k.name, item[k.name]!]));
}

/**
 * The order Query and Scan return items in: by partition key, then sort
 * key ascending. (AWS scans in hash order; the twin's order is stable and
 * readable, which a caller may not rely on either way.)
 */
export function compareItems(t: TableState, a: Item, b: Item): number {
  for (const k of keyElements(t)) {
    const c = compareValues(a[k.name]!, b[k.name]!) ?? 0;
    if (c !== 0) return c;
  }
  return 0;
}
