import type {
  AttributeDefinition,
  CreateTableInput,
  KeySchemaElement,
  ProvisionedThroughput,
  SSESpecification,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { invalidParameter, resourceInUse, tableNotFound, validation } from '../errors.ts';
import { type DynamoDbModel, type KeyElement, type ScalarType, statusOf, type TableState } from './index.ts';
import { itemSize } from './values.ts';

/**
 * Tables: CreateTable's validation of key schema, attribute definitions,
 * billing and throughput (DynamoDB API Reference, CreateTable; messages as
 * DynamoDB sends them), and the TableDescription DescribeTable renders.
 */

/** "Table names … 3–255 characters: a-z, A-Z, 0-9, _ (underscore), - (dash), . (dot)" (Developer Guide, Naming rules). */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

export function checkTableName(name: string | undefined, member = 'tableName'): string {
  if (name === undefined)
    throw validation(
      `The parameter '${member === 'tableName' ? 'TableName' : member}' is required but was not present in the request`,
    );
  const problems: string[] = [];
  if (!/^[a-zA-Z0-9_.-]*$/.test(name))
    problems.push(
      `Value '${name}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
    );
  if (name.length < 3 || name.length > 255)
    problems.push(
      `Value '${name}' at '${member}' failed to satisfy constraint: Member must have length ${name.length < 3 ? 'greater than or equal to 3' : 'less than or equal to 255'}`,
    );
  if (problems.length && !TABLE_NAME.test(name))
    throw validation(
      `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected: ${problems.join('; ')}`,
    );
  return name;
}

/**
 * The table a TableName names in the caller's account and Region, if any.
 * An ARN of another account or Region names none here: the twin serves no
 * table resource policies, so no cross-account table is reachable.
 */
export function tableIn(model: DynamoDbModel, ref: string | undefined): TableState | undefined {
  const name = nameFromRef(ref);
  const arn = /^arn:aws[\w-]*:dynamodb:([\w-]+):(\d{12}):table\//.exec(ref ?? '');
  if (arn && (arn[1] !== model.region || arn[2] !== model.accountId)) return undefined;
  return model.tables.get(name);
}

/** A table by name (ARNs are accepted where AWS accepts them, in TableName), or ResourceNotFoundException. */
export function tableNamed(
  model: DynamoDbModel,
  nameOrArn: string | undefined,
  forItems = false,
): TableState {
  const name = nameFromRef(nameOrArn);
  const table = tableIn(model, nameOrArn);
  const now = model.twin.clock.now();
  // "ResourceNotFoundException: … its status might not be ACTIVE": item operations need an ACTIVE (or UPDATING) table.
  if (!table || (forItems && ['CREATING', 'DELETING'].includes(statusOf(table, now))))
    throw forItems ? tableNotFound() : tableNotFound(name);
  return table;
}

/** `T` or `arn:aws:dynamodb:region:account:table/T`: "You can also provide the Amazon Resource Name (ARN) of the table in this parameter." */
export function nameFromRef(ref: string | undefined): string {
  const m = /^arn:aws[\w-]*:dynamodb:[\w-]+:\d{12}:table\/([^/]+)$/.exec(ref ?? '');
  return m ? m[1]! : checkTableName(ref);
}

function keyElementsOf(
  schema: KeySchemaElement[] | undefined,
  definitions: AttributeDefinition[],
): [KeyElement, KeyElement | undefined] {
  const keys = schema ?? [];
  if (keys.length === 0 || keys.length > 2)
    throw validation(
      `1 validation error detected: Value '[${keys.map((k) => `KeySchemaElement(attributeName=${k.AttributeName}, keyType=${k.KeyType})`).join(', ')}]' at 'keySchema' failed to satisfy constraint: Member must have length ${keys.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 2'}`,
    );
  keys.forEach((k, i) => {
    if (k.KeyType !== 'HASH' && k.KeyType !== 'RANGE')
      throw validation(
        `1 validation error detected: Value '${k.KeyType}' at 'keySchema.${i + 1}.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]`,
      );
  });
  if (keys[0]!.KeyType !== 'HASH')
    throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keys[1] && keys[1].KeyType !== 'RANGE')
    throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (keys[1] && keys[1].AttributeName === keys[0]!.AttributeName)
    throw invalidParameter(`Both the Hash Key and the Range Key element in the KeySchema have the same name`);
  const typeOf = (name: string | undefined): KeyElement => {
    const def = definitions.find((d) => d.AttributeName === name);
    if (!def)
      throw invalidParameter(
        `Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.map((k) => k.AttributeName).join(', ')}], AttributeDefinitions: [${definitions.map((d) => d.AttributeName).join(', ')}]`,
      );
    return { name: name!, type: def.AttributeType as ScalarType };
  };
  return [typeOf(keys[0]!.AttributeName), keys[1] ? typeOf(keys[1].AttributeName) : undefined];
}

function checkDefinitions(definitions: AttributeDefinition[] | undefined): AttributeDefinition[] {
  const defs = definitions ?? [];
  defs.forEach((d, i) => {
    if (!['S', 'N', 'B'].includes(d.AttributeType ?? ''))
      throw validation(
        `1 validation error detected: Value '${d.AttributeType}' at 'attributeDefinitions.${i + 1}.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`,
      );
  });
  const names = defs.map((d) => d.AttributeName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw invalidParameter(`Duplicate AttributeName in AttributeDefinitions: ${dup}`);
  return defs;
}

/**
 * Billing and throughput: "If you set BillingMode as PROVISIONED, you must
 * specify this property [ProvisionedThroughput]. If you set BillingMode as
 * PAY_PER_REQUEST, you cannot specify this property." PROVISIONED is the
 * default (API_CreateTable, BillingMode).
 */
function billingOf(
  mode: string | undefined,
  throughput: ProvisionedThroughput | undefined,
): { billingMode: TableState['billingMode']; read: number; write: number } {
  const billingMode = (mode ?? 'PROVISIONED') as TableState['billingMode'];
  if (billingMode !== 'PROVISIONED' && billingMode !== 'PAY_PER_REQUEST')
    throw validation(
      `1 validation error detected: Value '${mode}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`,
    );
  if (billingMode === 'PAY_PER_REQUEST') {
    if (throughput)
      throw invalidParameter(
        'Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    return { billingMode, read: 0, write: 0 };
  }
  if (!throughput) {
    if (mode === undefined) throw validation('No provisioned throughput specified for the table');
    throw invalidParameter(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  }
  const read = throughput.ReadCapacityUnits;
  const write = throughput.WriteCapacityUnits;
  if (read === undefined || write === undefined)
    throw invalidParameter(
      'ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
  for (const [name, value] of [
    ['readCapacityUnits', read],
    ['writeCapacityUnits', write],
  ] as const)
    if (value < 1)
      throw validation(
        `1 validation error detected: Value '${value}' at 'provisionedThroughput.${name}' failed to satisfy constraint: Member must have value greater than or equal to 1`,
      );
  return { billingMode, read, write };
}

/**
 * SSESpecification: absent or Enabled false is the AWS owned key; Enabled
 * true is KMS, with KMSMasterKeyId or else the AWS managed key
 * alias/aws/dynamodb ("If enabled (true), server-side encryption type is set
 * to KMS and an AWS managed key is used", API SSESpecification). The key
 * itself is resolved by the caller (`resolveKey`), which checks KMS.
 */
export function wantsKms(sse: SSESpecification | undefined): { keyId: string } | undefined {
  if (!sse?.Enabled) {
    if (sse?.SSEType || sse?.KMSMasterKeyId)
      throw invalidParameter('SSEType and KMSMasterKeyId can only be specified when SSE is enabled');
    return undefined;
  }
  if (sse.SSEType && sse.SSEType !== 'KMS')
    throw validation(
      `1 validation error detected: Value '${sse.SSEType}' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [KMS, AES256]`,
    );
  return { keyId: sse.KMSMasterKeyId || 'alias/aws/dynamodb' };
}

export function createTable(
  twin: Twin,
  model: DynamoDbModel,
  input: CreateTableInput,
  kmsKeyArn: string | undefined,
): TableState {
  const name = checkTableName(input.TableName);
  const definitions = checkDefinitions(input.AttributeDefinitions);
  const [hash, range] = keyElementsOf(input.KeySchema, definitions);
  if (input.GlobalSecondaryIndexes?.length || input.LocalSecondaryIndexes?.length)
    throw validation(
      'The twin does not serve secondary indexes (see LIMITATIONS in twin/services/dynamodb/api.ts)',
    );
  // "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions".
  if (definitions.length !== (range ? 2 : 1))
    throw invalidParameter(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  const billing = billingOf(input.BillingMode, input.ProvisionedThroughput);
  if (model.tables.has(name)) throw resourceInUse(`Table already exists: ${name}`);
  const now = twin.clock.now();
  const table: TableState = {
    name,
    arn: model.arnOf(name),
    id: twin.ids.uuid(),
    accountId: model.accountId,
    region: model.region,
    hash,
    range,
    attributeDefinitions: definitions.map((d) => ({
      AttributeName: d.AttributeName!,
      AttributeType: d.AttributeType as ScalarType,
    })),
    ...billing,
    payPerRequestSince: billing.billingMode === 'PAY_PER_REQUEST' ? now : undefined,
    kmsKeyArn,
    pointInTimeRecovery: false,
    pitrSince: undefined,
    recoveryPeriodInDays: 35,
    deletionProtection: input.DeletionProtectionEnabled ?? false,
    tags: new Map((input.Tags ?? []).map((t) => [t.Key!, t.Value ?? ''])),
    createdAt: now,
    activeAt: now + delay(twin.profile, 'dynamodbTableCreationMs'),
    updateDoneAt: 0,
    deletingUntil: undefined,
    items: new Map(),
    stale: new Map(),
    stats: { itemCount: 0, sizeBytes: 0, at: now },
  };
  model.tables.set(name, table);
  return table;
}

/**
 * ItemCount and TableSizeBytes: "DynamoDB updates this value approximately
 * every six hours. Recent changes might not be reflected in this value."
 * (API TableDescription). The twin publishes them every six hours of its
 * clock, so a check that reads them for a write it just made sees what it
 * would see on AWS: nothing yet.
 */
export const STATS_PERIOD_MS = 6 * 3_600_000;

function publishedStats(table: TableState, now: number): TableState['stats'] {
  if (now - table.stats.at >= STATS_PERIOD_MS) {
    const items = [...table.items.values()];
    const periods = Math.floor((now - table.stats.at) / STATS_PERIOD_MS);
    table.stats = {
      itemCount: items.length,
      sizeBytes: items.reduce((n, i) => n + itemSize(i), 0),
      at: table.stats.at + periods * STATS_PERIOD_MS,
    };
  }
  return table.stats;
}

/** The TableDescription of CreateTable, DescribeTable, UpdateTable and DeleteTable. */
export function describeTable(table: TableState, now: number): TableDescription {
  const status = statusOf(table, now);
  const stats = publishedStats(table, now);
  return {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: [
      { AttributeName: table.hash.name, KeyType: 'HASH' },
      ...(table.range ? [{ AttributeName: table.range.name, KeyType: 'RANGE' as const }] : []),
    ],
    TableStatus: status,
    CreationDateTime: new Date(table.createdAt),
    ProvisionedThroughput: {
      NumberOfDecreasesToday: 0,
      ReadCapacityUnits: table.read,
      WriteCapacityUnits: table.write,
    },
    TableSizeBytes: stats.sizeBytes,
    ItemCount: stats.itemCount,
    TableArn: table.arn,
    TableId: table.id,
    ...(table.billingMode === 'PAY_PER_REQUEST' && {
      BillingModeSummary: {
        BillingMode: 'PAY_PER_REQUEST',
        LastUpdateToPayPerRequestDateTime: new Date(table.payPerRequestSince ?? table.createdAt),
      },
    }),
    ...(table.kmsKeyArn && {
      SSEDescription: { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: table.kmsKeyArn },
    }),
    DeletionProtectionEnabled: table.deletionProtection,
  };
}

export function deleteTable(twin: Twin, table: TableState): void {
  if (table.deletionProtection)
    throw invalidParameter(
      `Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`,
    );
  const status = statusOf(table, twin.clock.now());
  if (status !== 'ACTIVE')
    throw resourceInUse(
      `Attempt to change a resource which is still in use: Table is being ${status === 'CREATING' ? 'created' : status === 'DELETING' ? 'deleted' : 'updated'}: ${table.name}`,
    );
  table.deletingUntil = twin.clock.now() + delay(twin.profile, 'dynamodbTableCreationMs');
}
