import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Tables through @aws-sdk/client-dynamodb, as the suite and the labs use
 * them: what DescribeTable shows of key schema, billing, encryption and
 * status, point-in-time recovery, tags, and DynamoDB's errors by name.
 */
let twin: TestTwin;
let ddb: DynamoDBClient;
const clock = new ManualClock(Date.now());

const created = () => clock.advance(delay(twin.server.twin.profile, 'dynamodbTableCreationMs'));

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  ddb = new DynamoDBClient(twin.clientConfig());
});
afterAll(() => twin.close());

const events = (name: string, extra: Record<string, unknown> = {}) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'EventID', AttributeType: 'S' },
      { AttributeName: 'Timestamp', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'EventID', KeyType: 'HASH' },
      { AttributeName: 'Timestamp', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });

describe('CreateTable and DescribeTable', () => {
  test('a new table is CREATING, then ACTIVE after the profile’s delay, with its key schema and billing', async () => {
    const out = await ddb.send(events('AppEvents', { Tags: [{ Key: 'app', Value: 'events' }] }));
    expect(out.TableDescription).toMatchObject({
      TableName: 'AppEvents',
      TableStatus: 'CREATING',
      KeySchema: [
        { AttributeName: 'EventID', KeyType: 'HASH' },
        { AttributeName: 'Timestamp', KeyType: 'RANGE' },
      ],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
      TableArn: `arn:aws:dynamodb:us-east-1:${twin.server.twin.accounts[0]}:table/AppEvents`,
    });
    // The AWS owned key: DescribeTable shows no SSEDescription at all.
    expect(out.TableDescription?.SSEDescription).toBeUndefined();
    created();
    const described = await ddb.send(new DescribeTableCommand({ TableName: 'AppEvents' }));
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.CreationDateTime).toBeInstanceOf(Date);
  });

  test('the SDK’s waiter sees the table become ACTIVE', async () => {
    await ddb.send(events('Waited'));
    const wait = waitUntilTableExists({ client: ddb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'Waited' });
    created();
    expect((await wait).state).toBe('SUCCESS');
  });

  test('a table of the same name is ResourceInUseException', async () => {
    await expect(ddb.send(events('AppEvents'))).rejects.toMatchObject({
      name: 'ResourceInUseException',
      message: 'Table already exists: AppEvents',
    });
  });

  test('point-in-time recovery cannot be enabled while the table is CREATING', async () => {
    await ddb.send(events('Young'));
    await expect(
      ddb.send(
        new UpdateContinuousBackupsCommand({
          TableName: 'Young',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ContinuousBackupsUnavailableException',
      message: 'Backups are being enabled for the table: Young. Please retry later',
    });
    created();
    await ddb.send(new DeleteTableCommand({ TableName: 'Young' }));
    created();
  });

  test('SSE enabled without a key is KMS with the AWS managed key alias/aws/dynamodb', async () => {
    const out = await ddb.send(events('Managed', { SSESpecification: { Enabled: true } }));
    expect(out.TableDescription?.SSEDescription).toMatchObject({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: expect.stringMatching(/^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/),
    });
  });

  test('key schema and billing are validated in DynamoDB’s words', async () => {
    await expect(
      ddb.send(
        new CreateTableCommand({
          TableName: 'Bad',
          AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]',
    });
    await expect(
      ddb.send(
        new CreateTableCommand({
          TableName: 'Bad',
          AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'No provisioned throughput specified for the table',
    });
    await expect(
      ddb.send(
        new CreateTableCommand({
          TableName: 'Bad',
          AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    });
  });

  test('a table that does not exist is ResourceNotFoundException', async () => {
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'Nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: Nope not found',
    });
  });
});

describe('ListTables, UpdateTable, DeleteTable', () => {
  test('ListTables pages by name with Limit and ExclusiveStartTableName', async () => {
    const first = await ddb.send(new ListTablesCommand({ Limit: 2 }));
    expect(first.TableNames).toEqual(['AppEvents', 'Managed']);
    expect(first.LastEvaluatedTableName).toBe('Managed');
    const rest = await ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'Managed' }));
    expect(rest.TableNames).toEqual(['Waited']);
    expect(rest.LastEvaluatedTableName).toBeUndefined();
  });

  test('UpdateTable switches billing; the table is UPDATING until done', async () => {
    const out = await ddb.send(
      new UpdateTableCommand({
        TableName: 'Waited',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      }),
    );
    expect(out.TableDescription).toMatchObject({
      TableStatus: 'UPDATING',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
    expect(out.TableDescription?.BillingModeSummary).toBeUndefined();
    created();
  });

  test('DeleteTable: DELETING, then gone', async () => {
    const out = await ddb.send(new DeleteTableCommand({ TableName: 'Waited' }));
    expect(out.TableDescription?.TableStatus).toBe('DELETING');
    created();
    await expect(ddb.send(new DescribeTableCommand({ TableName: 'Waited' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('point-in-time recovery and tags', () => {
  test('PITR is DISABLED until UpdateContinuousBackups enables it', async () => {
    const before = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'AppEvents' }));
    expect(before.ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    });
    const after = await ddb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'AppEvents',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    expect(after.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({
      PointInTimeRecoveryStatus: 'ENABLED',
      RecoveryPeriodInDays: 35,
    });
    await expect(ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'Nope' }))).rejects.toMatchObject(
      {
        name: 'TableNotFoundException',
      },
    );
  });

  test('tags given at creation, added and removed by ARN', async () => {
    const arn = `arn:aws:dynamodb:us-east-1:${twin.server.twin.accounts[0]}:table/AppEvents`;
    await ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'lab' }] }));
    await ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['app'] }));
    const tags = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'lab' }]);
  });
});

describe('CloudTrail', () => {
  test('CreateTable is a management event naming the table', async () => {
    clock.advance(delay(twin.server.twin.profile, 'cloudTrailVisibleMs'));
    const { Events } = await new CloudTrailClient(twin.clientConfig()).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTable' }],
      }),
    );
    const record = Events?.map((e) => JSON.parse(e.CloudTrailEvent!)).find(
      (r) => r.requestParameters?.tableName === 'AppEvents' && !r.errorCode,
    );
    expect(record).toMatchObject({
      eventSource: 'dynamodb.amazonaws.com',
      eventName: 'CreateTable',
      managementEvent: true,
      resources: [
        {
          type: 'AWS::DynamoDB::Table',
          ARN: `arn:aws:dynamodb:us-east-1:${twin.server.twin.accounts[0]}:table/AppEvents`,
        },
      ],
    });
  });
});
