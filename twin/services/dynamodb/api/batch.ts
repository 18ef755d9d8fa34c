import type { BatchGetItemInput, BatchWriteItemInput } from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { validation } from '../errors.ts';
import { readView, writeItem } from '../model/consistency.ts';
import { attributeNamesIn, ExpressionContext, parseProjection, project } from '../model/expressions.ts';
import type { DynamoDbModel, TableState } from '../model/index.ts';
import { checkItemKey, checkKey, keyString } from '../model/keys.ts';
import { tableIn, tableNamed } from '../model/tables.ts';
import { type AttributeValue, checkItem, checkItemSize, type Item } from '../model/values.ts';

/**
 * BatchWriteItem (up to 25 puts and deletes) and BatchGetItem (up to 100
 * keys) across tables (API_BatchWriteItem, API_BatchGetItem). Each table
 * is authorized as `dynamodb:BatchWriteItem` / `dynamodb:BatchGetItem` on
 * its ARN. The twin processes every request, so UnprocessedItems and
 * UnprocessedKeys are always empty (AWS may return some under load).
 */

/**
 * Each table of a batch is authorized on its ARN, with dynamodb:LeadingKeys
 * holding every partition key value and dynamodb:Attributes every attribute
 * name the batch names in it (Developer Guide, fine-grained access control).
 */
function authorizeTables(
  ctx: RequestContext,
  model: DynamoDbModel,
  action: string,
  tables: [string, Record<string, AttributeValue>[], string[]?][],
): void {
  for (const [name, items, named = []] of tables) {
    const table = tableIn(model, name);
    const resource = /^arn:/.test(name)
      ? name
      : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
    const account = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(resource)?.[1] ?? ctx.accountId;
    const leading = table
      ? items
          .map((i) => i[table.hash.name])
          .flatMap((v) => v?.S ?? v?.N ?? (v?.B && Buffer.from(v.B).toString('base64')) ?? [])
      : [];
    const attributes = [...new Set([...items.flatMap((i) => Object.keys(i)), ...named])];
    ctx.authorize({
      action,
      resource,
      resourceAccount: account,
      context: {
        ...(leading.length > 0 && { 'dynamodb:LeadingKeys': leading }),
        ...(attributes.length > 0 && { 'dynamodb:Attributes': attributes }),
      },
    });
  }
}

function checkCount(kind: 'BatchWriteItem' | 'BatchGetItem', count: number, max: number): void {
  if (count === 0)
    throw validation(
      "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  if (count > max) throw validation(`Too many items requested for the ${kind} call`);
}

export const batchHandlers: Record<string, Handler<DynamoDbModel>> = {
  BatchWriteItem(model, input: BatchWriteItemInput, ctx) {
    const requests = Object.entries(input.RequestItems ?? {});
    checkCount(
      'BatchWriteItem',
      requests.reduce((n, [, list]) => n + list.length, 0),
      25,
    );
    authorizeTables(
      ctx,
      model,
      'dynamodb:BatchWriteItem',
      requests.map(([name, list]) => [
        name,
        list.map((r) => (r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {}) as Record<string, AttributeValue>),
      ]),
    );
    // Everything is validated before anything is written: a batch is refused whole.
    const plan: { table: TableState; key: string; item: Item | undefined }[] = [];
    for (const [name, list] of requests) {
      const table = tableNamed(model, name, true);
      const seen = new Set<string>();
      for (const request of list) {
        if (Boolean(request.PutRequest) === Boolean(request.DeleteRequest))
          throw validation(
            'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
          );
        let entry: { key: string; item: Item | undefined };
        if (request.PutRequest) {
          const item = checkItem((request.PutRequest.Item ?? {}) as Record<string, AttributeValue>);
          checkItemKey(table, item);
          checkItemSize(item);
          entry = { key: keyString(table, item), item };
        } else {
          const key = checkKey(table, request.DeleteRequest!.Key as Record<string, AttributeValue>);
          entry = { key: keyString(table, key), item: undefined };
        }
        if (seen.has(entry.key)) throw validation('Provided list of item keys contains duplicates');
        seen.add(entry.key);
        plan.push({ table, ...entry });
      }
    }
    for (const { table, key, item } of plan) writeItem(model.twin, table, key, item && structuredClone(item));
    return { UnprocessedItems: {} };
  },

  BatchGetItem(model, input: BatchGetItemInput, ctx) {
    const requests = Object.entries(input.RequestItems ?? {});
    checkCount(
      'BatchGetItem',
      requests.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0),
      100,
    );
    authorizeTables(
      ctx,
      model,
      'dynamodb:BatchGetItem',
      requests.map(([name, r]) => [
        name,
        (r.Keys ?? []) as Record<string, AttributeValue>[],
        attributeNamesIn(r.ProjectionExpression, r.ExpressionAttributeNames),
      ]),
    );
    const responses: Record<string, Item[]> = {};
    for (const [name, request] of requests) {
      if (request.AttributesToGet)
        throw validation('The twin serves expressions only, not the legacy parameters {AttributesToGet}');
      const table = tableNamed(model, name, true);
      const expressions = new ExpressionContext(request.ExpressionAttributeNames, undefined);
      const projection =
        request.ProjectionExpression !== undefined
          ? parseProjection(request.ProjectionExpression, expressions)
          : undefined;
      expressions.checkAllUsed();
      const view = readView(model.twin, table, request.ConsistentRead);
      const seen = new Set<string>();
      const found: Item[] = [];
      for (const raw of request.Keys ?? []) {
        const key = keyString(table, checkKey(table, raw as Record<string, AttributeValue>));
        if (seen.has(key)) throw validation('Provided list of item keys contains duplicates');
        seen.add(key);
        const item = view.get(key);
        if (item) found.push(projection ? project(item, projection) : structuredClone(item));
      }
      responses[name] = found;
    }
    return { Responses: responses, UnprocessedKeys: {} };
  },
};
