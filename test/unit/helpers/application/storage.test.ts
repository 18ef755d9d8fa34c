import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import {
  bucketEncryptionDiffs,
  encryptionDiffs,
  getPointInTimeRecovery,
  getTable,
  getTableEncryption,
  tableDiffs,
} from '../../../../helpers/application/storage.ts';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import { awsError, mockedClients } from '../support.ts';

/** S5, S6 and S8's readings: a table's shape, encryption and recovery; a bucket's default encryption. */

const dynamodb = mockClient(DynamoDBClient);
const kms = mockClient(KMSClient);
afterEach(() => {
  dynamodb.reset();
  kms.reset();
});

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111';
const intended = {
  name: 'Events',
  partitionKey: { name: 'EventID', type: 'S' as const },
  sortKey: { name: 'Timestamp', type: 'S' as const },
  billing: 'PAY_PER_REQUEST' as const,
  encryption: 'aws-owned' as const,
};
const table: TableDescription = {
  TableName: 'Events',
  TableStatus: 'ACTIVE',
  KeySchema: [
    { AttributeName: 'EventID', KeyType: 'HASH' },
    { AttributeName: 'Timestamp', KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: 'EventID', AttributeType: 'S' },
    { AttributeName: 'Timestamp', AttributeType: 'S' },
  ],
  BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
};

describe('tables', () => {
  test('the intended keys, billing and ACTIVE are no difference', () => {
    expect(tableDiffs(intended, table)).toEqual([]);
  });

  test('another sort key, a key of another type, provisioned billing or CREATING are named', () => {
    const other: TableDescription = {
      ...table,
      TableStatus: 'CREATING',
      KeySchema: [
        { AttributeName: 'EventID', KeyType: 'HASH' },
        { AttributeName: 'CreatedAt', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'EventID', AttributeType: 'N' },
        { AttributeName: 'CreatedAt', AttributeType: 'S' },
      ],
      BillingModeSummary: undefined,
    };
    expect(tableDiffs(intended, other)).toEqual([
      'status CREATING, not ACTIVE',
      'partition key EventID (N), not EventID (S)',
      'sort key CreatedAt (S), not Timestamp (S)',
      'billing PROVISIONED, not PAY_PER_REQUEST',
    ]);
    const { sortKey: _, ...noSortKey } = intended;
    expect(tableDiffs(noSortKey, table)).toEqual(['sort key Timestamp (S), not none']);
  });

  test('a table that does not exist is a deviation; one the runner may not read is cannot-tell', async () => {
    dynamodb.on(DescribeTableCommand).rejects(awsError('ResourceNotFoundException'));
    await expect(getTable(mockedClients(), 'Events')).rejects.toThrow(LabDeviationError);
    dynamodb.on(DescribeContinuousBackupsCommand).rejects(awsError('TableNotFoundException'));
    await expect(getPointInTimeRecovery(mockedClients(), 'Events')).rejects.toThrow(LabDeviationError);
    dynamodb.on(DescribeTableCommand).rejects(awsError('AccessDeniedException'));
    await expect(getTable(mockedClients(), 'Events')).rejects.toThrow(CannotTellError);
  });

  test('point-in-time recovery as DynamoDB reports it', async () => {
    dynamodb.on(DescribeContinuousBackupsCommand).resolves({
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'ENABLED' },
      },
    });
    expect(await getPointInTimeRecovery(mockedClients(), 'Events')).toBe('ENABLED');
  });
});

describe('table encryption', () => {
  test('no SSEDescription is an AWS owned key', async () => {
    const have = await getTableEncryption(mockedClients(), table);
    expect(have).toEqual({ is: 'aws-owned' });
    expect(encryptionDiffs('aws-owned', have, () => undefined)).toEqual([]);
    expect(encryptionDiffs('aws-managed', have, () => undefined)).toEqual([
      'encrypted with an AWS owned key, not aws managed key',
    ]);
  });

  test("KMS: the key's manager tells AWS managed from customer managed; a customer key must be the alias's", async () => {
    const kmsTable = {
      ...table,
      SSEDescription: { Status: 'ENABLED' as const, SSEType: 'KMS' as const, KMSMasterKeyArn: KEY },
    };
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: '1111', Arn: KEY, KeyManager: 'AWS' } });
    expect(await getTableEncryption(mockedClients(), kmsTable)).toEqual({ is: 'aws-managed', keyArn: KEY });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: '1111', Arn: KEY, KeyManager: 'CUSTOMER' } });
    const have = await getTableEncryption(mockedClients(), kmsTable);
    expect(encryptionDiffs({ key: 'alias/events' }, have, () => KEY)).toEqual([]);
    expect(encryptionDiffs({ key: 'alias/other' }, have, () => `${KEY}-other`)).toEqual([
      `encrypted with customer key ${KEY}, not alias/other (${KEY}-other)`,
    ]);
    expect(encryptionDiffs('aws-owned', have, () => undefined)).toHaveLength(1);
  });
});

describe('bucketEncryptionDiffs', () => {
  const rule = (SSEAlgorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse', KMSMasterKeyID?: string) => ({
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm, KMSMasterKeyID },
  });

  test('SSE-S3 as intended; SSE-KMS or none where SSE-S3 is intended is named', async () => {
    const c = mockedClients();
    expect(await bucketEncryptionDiffs(c, 'b', 'AES256', rule('AES256'), () => undefined)).toEqual([]);
    expect(await bucketEncryptionDiffs(c, 'b', 'AES256', rule('aws:kms'), () => undefined)).toEqual([
      'default encryption aws:kms, not AES256',
    ]);
    expect(await bucketEncryptionDiffs(c, 'b', 'AES256', undefined, () => undefined)).toEqual([
      'default encryption none, not AES256',
    ]);
    expect(
      await bucketEncryptionDiffs(c, 'b', { algorithm: 'aws:kms' }, rule('aws:kms:dsse'), () => undefined),
    ).toEqual(['default encryption aws:kms:dsse, not aws:kms']);
  });

  test('a named key is compared by ARN, however the rule names it', async () => {
    kms.on(DescribeKeyCommand, { KeyId: 'alias/app' }).resolves({ KeyMetadata: { KeyId: '1111', Arn: KEY } });
    const c = mockedClients();
    const want = { algorithm: 'aws:kms' as const, key: 'alias/app' };
    expect(await bucketEncryptionDiffs(c, 'b', want, rule('aws:kms', 'alias/app'), () => KEY)).toEqual([]);
    expect(await bucketEncryptionDiffs(c, 'b', want, rule('aws:kms'), () => KEY)).toEqual([
      'default encryption uses the AWS managed key aws/s3, not alias/app',
    ]);
    kms
      .on(DescribeKeyCommand, { KeyId: 'alias/other' })
      .resolves({ KeyMetadata: { KeyId: '2', Arn: `${KEY}2` } });
    expect(await bucketEncryptionDiffs(c, 'b', want, rule('aws:kms', 'alias/other'), () => KEY)).toEqual([
      `default encryption key alias/other (${KEY}2), not alias/app (${KEY})`,
    ]);
  });
});
