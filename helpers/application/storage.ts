import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import type { ServerSideEncryptionRule } from '@aws-sdk/client-s3';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';
import type { AppBucketTarget, TableTarget } from '../targets/schema-application.ts';

/**
 * The application's tables and buckets as AWS reports them, and how they
 * differ from targets (S5, S6, S8): differences are report lines, the
 * suite asserts.
 */

/**
 * A table's description; a table that does not exist is a deviation
 * (DescribeTable answers ResourceNotFoundException, DynamoDB API Reference).
 *
 * @example
 *   const table = await getTable(lab.clients(), 'events');
 */
export async function getTable(clients: AwsClients, name: string): Promise<TableDescription> {
  try {
    const out = await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return out.Table!;
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no DynamoDB table ${name}`);
    return reading(`describe table ${name}`, () => Promise.reject(error));
  }
}

/** `EventID (S)`: a key attribute as a report names it. */
const keyText = (k: { name: string; type: string } | undefined) => (k ? `${k.name} (${k.type})` : 'none');

/** The table's status, keys and billing as targets word them. */
export function tableShape(t: TableDescription) {
  const typeOf = (name: string) =>
    t.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
  const key = (role: 'HASH' | 'RANGE') => {
    const name = t.KeySchema?.find((k) => k.KeyType === role)?.AttributeName;
    return name === undefined ? undefined : { name, type: typeOf(name) ?? '?' };
  };
  return {
    status: t.TableStatus,
    partitionKey: key('HASH'),
    sortKey: key('RANGE'),
    // A table created provisioned may carry no BillingModeSummary: "the billing mode … is PROVISIONED
    // unless specified otherwise" (BillingModeSummary / CreateTable BillingMode, DynamoDB API Reference).
    billing: t.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
  };
}

/** How a table differs from S5's intent: ACTIVE, its keys (name and type) and billing. */
export function tableDiffs(intended: TableTarget, t: TableDescription): string[] {
  const shape = tableShape(t);
  const out: string[] = [];
  if (shape.status !== 'ACTIVE') out.push(`status ${shape.status}, not ACTIVE`);
  const same = (a?: { name: string; type: string }, b?: { name: string; type: string }) =>
    a?.name === b?.name && a?.type === b?.type;
  if (!same(shape.partitionKey, intended.partitionKey))
    out.push(`partition key ${keyText(shape.partitionKey)}, not ${keyText(intended.partitionKey)}`);
  if (!same(shape.sortKey, intended.sortKey))
    out.push(`sort key ${keyText(shape.sortKey)}, not ${keyText(intended.sortKey)}`);
  if (shape.billing !== intended.billing) out.push(`billing ${shape.billing}, not ${intended.billing}`);
  return out;
}

/** A table's encryption at rest, in targets' words, with the key ARN when KMS. */
export type TableEncryption = { is: 'aws-owned' } | { is: 'aws-managed' | 'customer'; keyArn: string };

/**
 * SSEDescription absent means DynamoDB's default, an AWS owned key
 * ("SSESpecification: If disabled (false) or not specified, server-side
 * encryption is set to AWS owned key"); with SSEType KMS, the key's
 * KeyManager (DescribeKey) says AWS managed or customer managed.
 */
export async function getTableEncryption(clients: AwsClients, t: TableDescription): Promise<TableEncryption> {
  const sse = t.SSEDescription;
  if (sse?.SSEType !== 'KMS' || !sse.KMSMasterKeyArn) return { is: 'aws-owned' };
  const keyArn = sse.KMSMasterKeyArn;
  const key = await reading(`describe ${t.TableName}'s key ${keyArn}`, () =>
    clients.kms.send(new DescribeKeyCommand({ KeyId: keyArn })),
  );
  return { is: key.KeyMetadata?.KeyManager === 'AWS' ? 'aws-managed' : 'customer', keyArn };
}

/** Whether the encryption is the intended one; `keyArn` turns targets' alias into the key's ARN. */
export function encryptionDiffs(
  intended: TableTarget['encryption'],
  have: TableEncryption,
  keyArn: (alias: string) => string | undefined,
): string[] {
  const said = have.is === 'aws-owned' ? 'an AWS owned key' : `${have.is} key ${have.keyArn}`;
  if (typeof intended === 'string')
    return have.is === intended ? [] : [`encrypted with ${said}, not ${intended.replace('-', ' ')} key`];
  const want = keyArn(intended.key);
  return 'keyArn' in have && have.keyArn === want
    ? []
    : [`encrypted with ${said}, not ${intended.key} (${want})`];
}

/**
 * Point-in-time recovery's status (DescribeContinuousBackups:
 * PointInTimeRecoveryStatus ENABLED or DISABLED); a table that is gone
 * answers TableNotFoundException (DynamoDB API Reference).
 */
export async function getPointInTimeRecovery(clients: AwsClients, name: string): Promise<string> {
  try {
    const out = await clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name }));
    return (
      out.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ??
      'DISABLED'
    );
  } catch (error) {
    if (classify(error) === 'not-found') throw new LabDeviationError(`no DynamoDB table ${name}`);
    return reading(`read ${name}'s continuous backups`, () => Promise.reject(error));
  }
}

/**
 * How a bucket's default encryption differs from the intended one: SSE-S3
 * is `AES256`; SSE-KMS is `aws:kms` (DSSE-KMS, `aws:kms:dsse`, is another
 * algorithm), and where targets name the key, the rule's KMSMasterKeyID —
 * which S3 returns as it was set, a key id, key ARN, alias or alias ARN
 * (ServerSideEncryptionByDefault, S3 API Reference) — must be that key.
 */
export async function bucketEncryptionDiffs(
  clients: AwsClients,
  bucket: string,
  intended: AppBucketTarget['encryption'],
  rule: ServerSideEncryptionRule | undefined,
  keyArn: (alias: string) => string | undefined,
): Promise<string[]> {
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  const want = intended === 'AES256' ? 'AES256' : 'aws:kms';
  if (algorithm !== want) return [`default encryption ${algorithm ?? 'none'}, not ${want}`];
  if (intended === 'AES256' || !intended.key) return [];
  const named = rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
  if (!named) return [`default encryption uses the AWS managed key aws/s3, not ${intended.key}`];
  const key = await reading(`describe ${bucket}'s default key ${named}`, () =>
    clients.kms.send(new DescribeKeyCommand({ KeyId: named })),
  );
  const wantArn = keyArn(intended.key);
  return key.KeyMetadata?.Arn === wantArn
    ? []
    : [`default encryption key ${named} (${key.KeyMetadata?.Arn}), not ${intended.key} (${wantArn})`];
}
