/**
 * DynamoDB — tables (CreateTable … UpdateTable, point-in-time recovery,
 * tags) and items (PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan)
 * with DynamoDB's expression language, over awsJson 1.0
 * (`X-Amz-Target: DynamoDB_20120810.<Operation>`, twin-protocols.md §1).
 * Every call is `dynamodb:<Operation>` on the table's ARN (ListTables on
 * `*`), with the service's condition keys (Service Authorization Reference,
 * "Actions, resources, and condition keys for Amazon DynamoDB"). From
 * inside a VPC the gateway reaches DynamoDB only through a gateway endpoint
 * (its policy evaluated) or an internet path (network/service-path.ts).
 *
 * LIMITATIONS
 * - No secondary indexes (GSI/LSI), streams, TTL, global tables, backups
 *   (CreateBackup …), import/export, PartiQL, transactions or batch
 *   operations (BatchGetItem, BatchWriteItem): CreateTable and UpdateTable
 *   refuse indexes, replicas and streams with a ValidationException that
 *   says so, and the other operations are unserved (twin/COVERAGE.md).
 * - Expressions only: the legacy parameters (Expected, AttributesToGet,
 *   KeyConditions, ScanFilter, QueryFilter, AttributeUpdates) are refused.
 * - Reads are always strongly consistent (AWS: eventually consistent unless
 *   ConsistentRead), so a read just after a write never misses it here.
 *   ConsumedCapacity is estimated from item sizes; there is no throttling
 *   of provisioned capacity.
 * - Scan returns items in key order, not AWS's hash order; parallel scan
 *   segments split that order round-robin.
 * - The KMS key of an encrypted table is checked once when it is set
 *   (CreateTable, UpdateTable: key policy with kms:ViaService, recorded as a
 *   GenerateDataKey); AWS uses grants and checks the key as it reads and
 *   writes, so a key disabled later still serves items here.
 * - UpdateContinuousBackups answers at once after CreateTable; AWS may
 *   answer ContinuousBackupsUnavailableException while backups are being
 *   enabled for a new table.
 * - Item size follows the Developer Guide's formula approximately (numbers
 *   by significant digits, 3 bytes of document overhead).
 */
import * as sdk from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../../core/context.ts';
import { type AuthorizationRequest, defineService } from '../../core/service.ts';
import { itemHandlers } from './api/items.ts';
import { tableHandlers } from './api/tables.ts';
import { accessDenied } from './errors.ts';
import { DynamoDbModel, type TableState } from './model/index.ts';
import type { AttributeValue } from './model/values.ts';

const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/([^/]+)$/;

function tableArn(ctx: RequestContext, input: Record<string, unknown>): string | undefined {
  const ref = (input.TableName ?? input.ResourceArn) as string | undefined;
  if (typeof ref !== 'string' || !ref) return undefined;
  if (TABLE_ARN.test(ref)) return ref;
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${ref}`;
}

function scalar(v: AttributeValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return v.N;
  if (v.B !== undefined) return Buffer.from(v.B).toString('base64');
  return undefined;
}

/**
 * The condition keys an item operation carries: dynamodb:LeadingKeys (the
 * partition key value), dynamodb:Attributes (the attribute names the
 * request names), dynamodb:ReturnValues, dynamodb:ReturnConsumedCapacity
 * and dynamodb:Select ("Using IAM policy conditions for fine-grained
 * access control", DynamoDB Developer Guide).
 */
function conditionKeys(
  input: Record<string, unknown>,
  table: TableState | undefined,
): AuthorizationRequest['context'] {
  const item = (input.Item ?? input.Key) as Record<string, AttributeValue> | undefined;
  const leading = table && item ? scalar(item[table.hash.name]) : undefined;
  const names = new Set<string>(Object.keys((input.Item as object) ?? {}));
  for (const [, name] of Object.entries((input.ExpressionAttributeNames as Record<string, string>) ?? {}))
    names.add(name);
  return {
    ...(leading !== undefined && { 'dynamodb:LeadingKeys': [leading] }),
    ...(names.size > 0 && { 'dynamodb:Attributes': [...names] }),
    ...(typeof input.ReturnValues === 'string' && { 'dynamodb:ReturnValues': input.ReturnValues }),
    ...(typeof input.ReturnConsumedCapacity === 'string' && {
      'dynamodb:ReturnConsumedCapacity': input.ReturnConsumedCapacity,
    }),
    ...(typeof input.Select === 'string' && { 'dynamodb:Select': input.Select }),
  };
}

function authorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest | undefined {
  const action = `dynamodb:${operation}`;
  if (operation === 'ListTables') return { action, resource: '*' };
  const resource = tableArn(ctx, input);
  if (!resource) return { action, resource: '*' };
  const name = TABLE_ARN.exec(resource)?.[1];
  const model = ctx.twin.model(ctx.service, ctx.accountId, ctx.region) as DynamoDbModel;
  const table = name ? model.tables.get(name) : undefined;
  return { action, resource, resourceAccount: ctx.accountId, context: conditionKeys(input, table) };
}

/** CloudTrail: item contents stay out of the record, as AWS logs only keys for data events. */
function audit(_operation: string, input: Record<string, unknown>, _output: unknown, ctx: RequestContext) {
  const { Item: _item, ExpressionAttributeValues: _values, ...rest } = input;
  const arn = tableArn(ctx, input);
  return {
    requestParameters: Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]),
    ),
    ...(arn && { resources: [{ type: 'AWS::DynamoDB::Table', arn }] }),
  };
}

export const dynamodb = defineService<DynamoDbModel>({
  signingName: 'dynamodb',
  iamPrefix: 'dynamodb',
  protocol: 'awsJson1_0',
  sdk,
  // DynamoDB's error types read `com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`.
  namespace: 'com.amazonaws.dynamodb.v20120810',
  targetPrefix: 'DynamoDB_20120810',
  createModel: (twin, accountId, region) => new DynamoDbModel(twin, accountId, region),
  accessDenied,
  authorization,
  audit,
  // CloudTrail logs item operations as data events (AWS::DynamoDB::Table).
  dataEvents: new Set(['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan']),
  handlers: { ...tableHandlers, ...itemHandlers },
});
