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
 *   (CreateBackup …), import/export, PartiQL or transactions: CreateTable and UpdateTable
 *   refuse indexes, replicas and streams with a ValidationException that
 *   says so, and the other operations are unserved (twin/COVERAGE.md).
 * - No resource-based policies (PutResourcePolicy …): a table of another
 *   account is never reachable, as on AWS without such a policy.
 * - Expressions only: the legacy parameters (Expected, AttributesToGet,
 *   KeyConditions, ScanFilter, QueryFilter, AttributeUpdates) are refused.
 * - Eventually consistent reads miss a write for exactly the profile's
 *   dynamodbConsistencyLagMs (20 ms fast, 1 s realistic); AWS's lag varies
 *   and is usually under a second.
 * - ConsumedCapacity is estimated from item sizes; there is no throttling
 *   of provisioned capacity.
 * - BatchWriteItem and BatchGetItem process every request: no
 *   UnprocessedItems or UnprocessedKeys, which AWS may return under load.
 * - Scan returns items in key order, not AWS's hash order; parallel scan
 *   segments split that order round-robin.
 * - The KMS key of an encrypted table is checked once when it is set
 *   (CreateTable, UpdateTable: key policy with kms:ViaService, recorded as a
 *   GenerateDataKey); AWS uses grants and checks the key as it reads and
 *   writes, so a key disabled later still serves items here.
 * - UpdateContinuousBackups answers ContinuousBackupsUnavailableException
 *   while the table is CREATING and succeeds once it is ACTIVE; AWS may
 *   still refuse for a while after that.
 * - ItemCount and TableSizeBytes are published every six hours of the
 *   twin's clock from the table's creation ("approximately every six
 *   hours"), never sooner.
 * - Item size follows the Developer Guide's formula approximately (numbers
 *   by significant digits, 3 bytes of document overhead).
 */
import * as sdk from '@aws-sdk/client-dynamodb';
import type { RequestContext } from '../../core/context.ts';
import { type AuthorizationRequest, defineService } from '../../core/service.ts';
import { batchHandlers } from './api/batch.ts';
import { itemHandlers } from './api/items.ts';
import { tableHandlers } from './api/tables.ts';
import { accessDenied } from './errors.ts';
import { attributeNamesIn, equalityValueFor } from './model/expressions.ts';
import { DynamoDbModel, type TableState } from './model/index.ts';
import type { AttributeValue } from './model/values.ts';

const EXPRESSION_PARAMETERS = [
  'ProjectionExpression',
  'ConditionExpression',
  'FilterExpression',
  'KeyConditionExpression',
  'UpdateExpression',
];

const TABLE_ARN = /^arn:aws[\w-]*:dynamodb:([\w-]+):(\d{12}):table\/([^/]+)$/;

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
  return { ...itemKeys(input, table), ...tagKeys(input, table) };
}

/**
 * Tags: aws:ResourceTag/<key> from the table's tags, and for CreateTable and
 * TagResource aws:RequestTag/<key> and aws:TagKeys (UntagResource:
 * aws:TagKeys), as the Service Authorization Reference lists them.
 */
function tagKeys(
  input: Record<string, unknown>,
  table: TableState | undefined,
): AuthorizationRequest['context'] {
  const out: NonNullable<AuthorizationRequest['context']> = {};
  for (const [k, v] of table?.tags ?? []) out[`aws:ResourceTag/${k}`] = v;
  const given = (input.Tags as { Key?: string; Value?: string }[] | undefined) ?? [];
  for (const t of given) if (t.Key !== undefined) out[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
  const keys = given.length ? given.map((t) => t.Key ?? '') : (input.TagKeys as string[] | undefined);
  if (keys?.length) out['aws:TagKeys'] = keys;
  return out;
}

function itemKeys(
  input: Record<string, unknown>,
  table: TableState | undefined,
): AuthorizationRequest['context'] {
  const item = (input.Item ?? input.Key) as Record<string, AttributeValue> | undefined;
  const aliases = (input.ExpressionAttributeNames as Record<string, string>) ?? {};
  // "dynamodb:LeadingKeys — the partition key values": the item's or key's, or the one a Query's key condition names.
  const partition =
    table &&
    (item?.[table.hash.name] ??
      equalityValueFor(
        input.KeyConditionExpression as string | undefined,
        table.hash.name,
        aliases,
        input.ExpressionAttributeValues as Record<string, AttributeValue> | undefined,
      ));
  const leading = scalar(partition);
  // "dynamodb:Attributes — the attribute names in the request": the item's or key's, and those its expressions name.
  const names = new Set<string>([
    ...Object.keys((input.Item as object) ?? {}),
    ...Object.keys((input.Key as object) ?? {}),
    ...EXPRESSION_PARAMETERS.flatMap((p) => attributeNamesIn(input[p] as string | undefined, aliases)),
  ]);
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
): AuthorizationRequest | 'in-handler' | undefined {
  const action = `dynamodb:${operation}`;
  if (operation === 'ListTables') return { action, resource: '*' };
  // A batch names several tables: each is authorized in the handler.
  if (operation === 'BatchWriteItem' || operation === 'BatchGetItem') return 'in-handler';
  const resource = tableArn(ctx, input);
  if (!resource) return { action, resource: '*' };
  // A table of another account is that account's resource: without a resource policy (not served) IAM refuses it.
  const [, region, account, name] = TABLE_ARN.exec(resource) ?? [];
  const own = account === ctx.accountId && region === ctx.region;
  const model = ctx.twin.model(ctx.service, ctx.accountId, ctx.region) as DynamoDbModel;
  const table = own && name ? model.tables.get(name) : undefined;
  return {
    action,
    resource,
    resourceAccount: account ?? ctx.accountId,
    context: conditionKeys(input, table),
  };
}

/** CloudTrail: item contents and expression values stay out of the record; keys and table names go in. */
function audit(_operation: string, input: Record<string, unknown>, _output: unknown, ctx: RequestContext) {
  const { Item: _item, ExpressionAttributeValues: _values, RequestItems: batch, ...rest } = input;
  const arn = tableArn(ctx, input);
  // A batch is recorded by its tables, never its items.
  const tables = Object.keys((batch as object) ?? {});
  const arnOf = (name: string) =>
    TABLE_ARN.test(name) ? name : `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
  return {
    requestParameters: {
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v])),
      ...(batch !== undefined && { requestItems: tables }),
    },
    ...(arn && { resources: [{ type: 'AWS::DynamoDB::Table', arn }] }),
    ...(tables.length > 0 && {
      resources: tables.map((t) => ({ type: 'AWS::DynamoDB::Table', arn: arnOf(t) })),
    }),
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
  dataEvents: new Set([
    'PutItem',
    'GetItem',
    'UpdateItem',
    'DeleteItem',
    'Query',
    'Scan',
    'BatchWriteItem',
    'BatchGetItem',
  ]),
  handlers: { ...tableHandlers, ...itemHandlers, ...batchHandlers },
});
