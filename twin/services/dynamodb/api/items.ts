import type {
  DeleteItemInput,
  GetItemInput,
  PutItemInput,
  QueryInput,
  ScanInput,
  UpdateItemInput,
} from '@aws-sdk/client-dynamodb';
import type { Handler } from '../../../core/service.ts';
import { conditionalCheckFailed, validation } from '../errors.ts';
import { readView, writeItem } from '../model/consistency.ts';
import {
  type Condition,
  ExpressionContext,
  evaluate,
  type Path,
  parseCondition,
  parseProjection,
  parseUpdate,
  pathsOf,
  project,
} from '../model/expressions.ts';
import type { DynamoDbModel, TableState } from '../model/index.ts';
import { checkItemKey, checkKey, compareItems, keyElements, keyOf, keyString } from '../model/keys.ts';
import { tableNamed } from '../model/tables.ts';
import { applyUpdate, updatedPaths } from '../model/update.ts';
import {
  type AttributeValue,
  checkItem,
  checkItemSize,
  type Item,
  itemSize,
  typeOf,
} from '../model/values.ts';

/**
 * Item operations (DynamoDB API Reference: PutItem, GetItem, UpdateItem,
 * DeleteItem, Query, Scan) with expressions only: the legacy parameters
 * (Expected, AttributesToGet, KeyConditions, ScanFilter, QueryFilter,
 * AttributeUpdates) are refused, a declared limitation.
 */

const LEGACY = [
  'Expected',
  'AttributesToGet',
  'KeyConditions',
  'ScanFilter',
  'QueryFilter',
  'AttributeUpdates',
  'ConditionalOperator',
];

function refuseLegacy(input: object): void {
  const used = LEGACY.filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  if (used.length)
    throw validation(
      `The twin serves expressions only, not the legacy parameters {${used.join(', ')}} (see LIMITATIONS in twin/services/dynamodb/api.ts)`,
    );
}

/**
 * "ExpressionAttributeNames can only be specified when using expressions"
 * and "ExpressionAttributeValues can only be specified when using
 * expressions: ConditionExpression is null": substitutions need an
 * expression that may use them.
 */
function checkSubstitutionsHaveExpressions(
  input: Record<string, unknown>,
  valueExpressions: string[],
  all: string[],
): void {
  if (input.ExpressionAttributeNames !== undefined && all.every((k) => input[k] === undefined))
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  if (input.ExpressionAttributeValues !== undefined && valueExpressions.every((k) => input[k] === undefined))
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`,
    );
}

const EXPRESSIONS: Record<string, string[]> = {
  PutItem: ['ConditionExpression'],
  DeleteItem: ['ConditionExpression'],
  GetItem: [],
  UpdateItem: ['UpdateExpression', 'ConditionExpression'],
  Query: ['FilterExpression', 'KeyConditionExpression'],
  Scan: ['FilterExpression'],
};

function contextOf(
  operation: keyof typeof EXPRESSIONS,
  input: {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  },
) {
  const values = EXPRESSIONS[operation]!;
  checkSubstitutionsHaveExpressions(input as Record<string, unknown>, values, [
    ...values,
    'ProjectionExpression',
  ]);
  return new ExpressionContext(
    input.ExpressionAttributeNames,
    input.ExpressionAttributeValues as Record<string, AttributeValue>,
  );
}

/** "ReturnValues": PutItem and DeleteItem take NONE or ALL_OLD only; UpdateItem all five. */
function returnValuesOf(value: string | undefined, update: boolean): string {
  const v = value ?? 'NONE';
  const allowed = update ? ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'] : ['NONE', 'ALL_OLD'];
  if (!['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'].includes(v))
    throw validation(
      `1 validation error detected: Value '${v}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]`,
    );
  if (!allowed.includes(v)) throw validation('ReturnValues can only be ALL_OLD or NONE');
  return v;
}

/** ConditionExpression against the item as stored; ConditionalCheckFailedException when it does not hold. */
function checkCondition(
  condition: Condition | undefined,
  existing: Item | undefined,
  returnOnFailure: string | undefined,
): void {
  if (!condition || evaluate(condition, existing)) return;
  throw conditionalCheckFailed(returnOnFailure === 'ALL_OLD' && existing ? existing : undefined);
}

function consumed(table: TableState, units: number, want: string | undefined) {
  return want === 'TOTAL' || want === 'INDEXES'
    ? { ConsumedCapacity: { TableName: table.name, CapacityUnits: units } }
    : {};
}

/** Write units: one per KB written, at least one (Developer Guide, "Read/write capacity mode"). */
const writeUnits = (item: Item | undefined) => Math.max(1, Math.ceil(itemSize(item ?? {}) / 1024));
/** Read units: one per 4 KB for a strongly consistent read, half that for an eventually consistent one. */
const readUnits = (bytes: number, consistent: boolean | undefined) =>
  Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

export const itemHandlers: Record<string, Handler<DynamoDbModel>> = {
  PutItem(model, input: PutItemInput) {
    refuseLegacy(input);
    const table = tableNamed(model, input.TableName, true);
    const returnValues = returnValuesOf(input.ReturnValues, false);
    const ctx = contextOf('PutItem', input);
    const condition =
      input.ConditionExpression !== undefined
        ? parseCondition(input.ConditionExpression, 'ConditionExpression', ctx)
        : undefined;
    ctx.checkAllUsed();
    const item = checkItem((input.Item ?? {}) as Record<string, AttributeValue>);
    checkItemKey(table, item);
    checkItemSize(item);
    const key = keyString(table, item);
    const existing = table.items.get(key);
    checkCondition(condition, existing, input.ReturnValuesOnConditionCheckFailure);
    writeItem(model.twin, table, key, structuredClone(item));
    return {
      ...(returnValues === 'ALL_OLD' && existing && { Attributes: existing }),
      ...consumed(table, writeUnits(item), input.ReturnConsumedCapacity),
    };
  },

  GetItem(model, input: GetItemInput) {
    refuseLegacy(input);
    const table = tableNamed(model, input.TableName, true);
    const ctx = contextOf('GetItem', input);
    const projection =
      input.ProjectionExpression !== undefined ? parseProjection(input.ProjectionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const key = checkKey(table, input.Key as Record<string, AttributeValue>);
    const item = readView(model.twin, table, input.ConsistentRead).get(keyString(table, key));
    const out = item && (projection ? project(item, projection) : structuredClone(item));
    return {
      ...(out && { Item: out }),
      ...consumed(
        table,
        readUnits(item ? itemSize(item) : 0, input.ConsistentRead),
        input.ReturnConsumedCapacity,
      ),
    };
  },

  UpdateItem(model, input: UpdateItemInput) {
    refuseLegacy(input);
    const table = tableNamed(model, input.TableName, true);
    const returnValues = returnValuesOf(input.ReturnValues, true);
    const ctx = contextOf('UpdateItem', input);
    const plan = input.UpdateExpression !== undefined ? parseUpdate(input.UpdateExpression, ctx) : undefined;
    const condition =
      input.ConditionExpression !== undefined
        ? parseCondition(input.ConditionExpression, 'ConditionExpression', ctx)
        : undefined;
    ctx.checkAllUsed();
    const key = checkKey(table, input.Key as Record<string, AttributeValue>);
    const keyNames = new Set(keyElements(table).map((k) => k.name));
    for (const path of plan ? updatedPaths(plan) : [])
      if (keyNames.has(path[0] as string)) {
        if (path.length > 1)
          throw validation(
            `Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: ${path[0]}`,
          );
        throw validation(
          `One or more parameter values were invalid: Cannot update attribute ${path[0]}. This attribute is part of the key`,
        );
      }
    const stored = table.items.get(keyString(table, key));
    checkCondition(condition, stored, input.ReturnValuesOnConditionCheckFailure);
    // UpdateItem "creates a new item if it does not already exist": the key is its start.
    const before = stored ?? structuredClone(key);
    const after = plan ? applyUpdate(before, plan) : before;
    checkItemSize(after, true);
    writeItem(model.twin, table, keyString(table, key), after);
    const touched: Path[] = plan ? updatedPaths(plan) : [];
    const attributes =
      returnValues === 'ALL_OLD'
        ? stored
        : returnValues === 'ALL_NEW'
          ? after
          : returnValues === 'UPDATED_OLD'
            ? stored && project(stored, touched)
            : returnValues === 'UPDATED_NEW'
              ? project(after, touched)
              : undefined;
    return {
      ...(attributes && Object.keys(attributes).length > 0 && { Attributes: structuredClone(attributes) }),
      ...consumed(table, writeUnits(after), input.ReturnConsumedCapacity),
    };
  },

  DeleteItem(model, input: DeleteItemInput) {
    refuseLegacy(input);
    const table = tableNamed(model, input.TableName, true);
    const returnValues = returnValuesOf(input.ReturnValues, false);
    const ctx = contextOf('DeleteItem', input);
    const condition =
      input.ConditionExpression !== undefined
        ? parseCondition(input.ConditionExpression, 'ConditionExpression', ctx)
        : undefined;
    ctx.checkAllUsed();
    const key = checkKey(table, input.Key as Record<string, AttributeValue>);
    const existing = table.items.get(keyString(table, key));
    checkCondition(condition, existing, input.ReturnValuesOnConditionCheckFailure);
    writeItem(model.twin, table, keyString(table, key), undefined);
    return {
      ...(returnValues === 'ALL_OLD' && existing && { Attributes: existing }),
      ...consumed(table, writeUnits(existing), input.ReturnConsumedCapacity),
    };
  },

  Query(model, input: QueryInput) {
    refuseLegacy(input);
    const table = tableNamed(model, input.TableName, true);
    if (input.IndexName !== undefined)
      throw validation(`The table does not have the specified index: ${input.IndexName}`);
    const ctx = contextOf('Query', input);
    if (input.KeyConditionExpression === undefined)
      throw validation(
        'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
      );
    const keyCondition = parseCondition(input.KeyConditionExpression, 'KeyConditionExpression', ctx);
    const filter =
      input.FilterExpression !== undefined
        ? parseCondition(input.FilterExpression, 'FilterExpression', ctx)
        : undefined;
    const projection =
      input.ProjectionExpression !== undefined ? parseProjection(input.ProjectionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const conditions = checkKeyCondition(table, keyCondition);
    if (filter) refuseKeysInFilter(table, filter);
    if (input.ExclusiveStartKey) {
      // The start key must lie inside the query: its partition, and the sort key condition if any.
      const start = startKeyOf(table, input.ExclusiveStartKey as Record<string, AttributeValue>);
      if (!evaluate(conditions.partition, start))
        throw validation(
          'The provided starting key is outside query boundaries based on provided conditions',
        );
      if (conditions.sort && !evaluate(conditions.sort, start))
        throw validation('The provided starting key does not match the range key predicate');
    }
    const matching = [...readView(model.twin, table, input.ConsistentRead).values()]
      .filter((i) => evaluate(keyCondition, i))
      .sort((a, b) => compareItems(table, a, b));
    if (input.ScanIndexForward === false) matching.reverse();
    return page(table, matching, input, filter, projection, input.ScanIndexForward === false);
  },

  Scan(model, input: ScanInput) {
    refuseLegacy(input);
    const table = tableNamed(model, input.TableName, true);
    if (input.IndexName !== undefined)
      throw validation(`The table does not have the specified index: ${input.IndexName}`);
    const ctx = contextOf('Scan', input);
    const filter =
      input.FilterExpression !== undefined
        ? parseCondition(input.FilterExpression, 'FilterExpression', ctx)
        : undefined;
    const projection =
      input.ProjectionExpression !== undefined ? parseProjection(input.ProjectionExpression, ctx) : undefined;
    ctx.checkAllUsed();
    const segments = input.TotalSegments;
    let items = [...readView(model.twin, table, input.ConsistentRead).values()].sort((a, b) =>
      compareItems(table, a, b),
    );
    if (segments !== undefined || input.Segment !== undefined) {
      if (segments === undefined || input.Segment === undefined)
        throw validation(
          'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
        );
      if (input.Segment >= segments)
        throw validation(
          `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${segments}`,
        );
      items = items.filter((_, i) => i % segments === input.Segment);
    }
    return page(table, items, input, filter, projection, false);
  },
};

/**
 * KeyConditionExpression: "partitionKeyName = :v" and at most one
 * condition on the sort key (=, <, <=, >, >=, BETWEEN, begins_with),
 * joined by AND (Developer Guide, "Key condition expressions for Query").
 */
function checkKeyCondition(table: TableState, c: Condition): { partition: Condition; sort?: Condition } {
  const found: { partition?: Condition; sort?: Condition } = {};
  const parts: Condition[] = [];
  const flatten = (x: Condition): void => {
    if (x.kind === 'and') {
      flatten(x.left);
      flatten(x.right);
    } else if (x.kind === 'or' || x.kind === 'not' || x.kind === 'in')
      throw validation(`Invalid operator used in KeyConditionExpression: ${x.kind.toUpperCase()}`);
    else parts.push(x);
  };
  flatten(c);
  const seen = new Set<string>();
  for (const p of parts) {
    if (p.kind === 'compare' && p.op === '<>')
      throw validation('Invalid operator used in KeyConditionExpression: <>');
    if (p.kind === 'function' && p.name !== 'begins_with')
      throw validation(`Invalid operator used in KeyConditionExpression: ${p.name}`);
    const operands =
      p.kind === 'compare'
        ? [p.left, p.right]
        : p.kind === 'between'
          ? [p.subject, p.low, p.high]
          : p.kind === 'function'
            ? p.args
            : [];
    if (operands.some((o) => o.kind === 'size'))
      throw validation('KeyConditionExpressions cannot contain nested operations');
    const paths = operands.filter((o) => o.kind === 'path');
    if (paths.length === 0)
      throw validation('Invalid condition in KeyConditionExpression: No key attribute specified');
    if (paths.length > 1)
      throw validation(
        'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition',
      );
    const path = (paths[0] as { path: Path }).path;
    if (path.length > 1)
      throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
    const name = path[0] as string;
    if (seen.has(name)) throw validation('KeyConditionExpressions must only contain one condition per key');
    seen.add(name);
    const element = keyElements(table).find((k) => k.name === name);
    if (!element) throw validation(`Query condition missed key schema element: ${table.hash.name}`);
    if (element === table.hash && !(p.kind === 'compare' && p.op === '='))
      throw validation('Query key condition not supported');
    found[element === table.hash ? 'partition' : 'sort'] = p;
    for (const o of operands)
      if (o.kind === 'value' && typeOf(o.value) !== element.type)
        throw validation(
          'One or more parameter values were invalid: Condition parameter type does not match schema type',
        );
  }
  if (!found.partition) throw validation(`Query condition missed key schema element: ${table.hash.name}`);
  return { partition: found.partition, ...(found.sort && { sort: found.sort }) };
}

/** An ExclusiveStartKey: exactly the table's key ("The provided starting key is invalid: …"). */
function startKeyOf(table: TableState, key: Record<string, AttributeValue>): Item {
  if (Object.keys(key).length !== keyElements(table).length)
    throw validation('The provided starting key is invalid');
  try {
    return checkKey(table, key);
  } catch (e) {
    throw validation(`The provided starting key is invalid: ${(e as Error).message}`);
  }
}

/** "Filter Expression can only contain non-primary key attributes: Primary key attribute: EventID" (Query). */
function refuseKeysInFilter(table: TableState, filter: Condition): void {
  for (const path of pathsOf(filter)) {
    const key = keyElements(table).find((k) => k.name === path[0]);
    if (key)
      throw validation(
        `Filter Expression can only contain non-primary key attributes: Primary key attribute: ${key.name}`,
      );
  }
}

/** "A single Query [or Scan] operation will read up to the maximum number of items set (if using the Limit parameter) or a maximum of 1 MB of data". */
const PAGE_BYTES = 1024 * 1024;

function page(
  table: TableState,
  ordered: Item[],
  input: QueryInput | ScanInput,
  filter: Condition | undefined,
  projection: Path[] | undefined,
  descending: boolean,
) {
  if (input.Limit !== undefined && input.Limit < 1)
    throw validation(
      `1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  let start = 0;
  if (input.ExclusiveStartKey) {
    const startKey = startKeyOf(table, input.ExclusiveStartKey as Record<string, AttributeValue>);
    // Resume after the start key's position, whether or not that item still exists.
    start = ordered.findIndex((i) => {
      const c = compareItems(table, i, startKey);
      return descending ? c < 0 : c > 0;
    });
    if (start < 0) start = ordered.length;
  }
  const select = input.Select ?? (projection ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  if (select === 'SPECIFIC_ATTRIBUTES' && !projection)
    throw validation(
      'One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires ProjectionExpression or AttributesToGet',
    );
  if (projection && select !== 'SPECIFIC_ATTRIBUTES')
    throw validation(
      `One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get ${select}`,
    );
  const out: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Item | undefined;
  let i = start;
  for (; i < ordered.length; i++) {
    if (input.Limit !== undefined && scanned >= input.Limit) break;
    if (bytes >= PAGE_BYTES) break;
    const item = ordered[i]!;
    scanned++;
    bytes += itemSize(item);
    last = item;
    if (filter && !evaluate(filter, item)) continue;
    out.push(projection ? project(item, projection) : structuredClone(item));
  }
  const more = i < ordered.length || (input.Limit !== undefined && scanned >= input.Limit && scanned > 0);
  return {
    ...(select !== 'COUNT' && { Items: out }),
    Count: out.length,
    ScannedCount: scanned,
    ...(more && last && { LastEvaluatedKey: keyOf(table, last) }),
    ...consumed(table, readUnits(bytes, input.ConsistentRead), input.ReturnConsumedCapacity),
  };
}
