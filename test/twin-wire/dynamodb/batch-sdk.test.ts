import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * BatchWriteItem and BatchGetItem, as boto3's batch_writer and the SDK's
 * batch helpers use them: limits, duplicates, and each table authorized as
 * dynamodb:Batch* on its own ARN.
 */
let twin: TestTwin;
let ddb: DynamoDBClient;
let account: string;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  account = twin.server.twin.accounts[0]!;
  ddb = new DynamoDBClient(twin.clientConfig());
  for (const name of ['Left', 'Right'])
    await ddb.send(
      new CreateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  clock.advance(delay(twin.server.twin.profile, 'dynamodbTableCreationMs'));
});
afterAll(() => twin.close());

const put = (pk: string, extra: object = {}) => ({ PutRequest: { Item: { pk: { S: pk }, ...extra } } });

describe('BatchWriteItem and BatchGetItem', () => {
  test('writes to two tables and reads them back, projected', async () => {
    const out = await ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { Left: [put('a', { n: { N: '1' } }), put('b')], Right: [put('c')] },
      }),
    );
    expect(out.UnprocessedItems).toEqual({});
    const got = await ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          Left: {
            Keys: [{ pk: { S: 'a' } }, { pk: { S: 'zz' } }],
            ConsistentRead: true,
            ProjectionExpression: 'n',
          },
          Right: { Keys: [{ pk: { S: 'c' } }], ConsistentRead: true },
        },
      }),
    );
    expect(got.Responses).toEqual({ Left: [{ n: { N: '1' } }], Right: [{ pk: { S: 'c' } }] });
    expect(got.UnprocessedKeys).toEqual({});
  });

  test('a delete in a batch removes the item', async () => {
    await ddb.send(
      new BatchWriteItemCommand({ RequestItems: { Left: [{ DeleteRequest: { Key: { pk: { S: 'b' } } } }] } }),
    );
    const got = await ddb.send(
      new BatchGetItemCommand({
        RequestItems: { Left: { Keys: [{ pk: { S: 'b' } }], ConsistentRead: true } },
      }),
    );
    expect(got.Responses?.Left).toEqual([]);
  });

  test('more than 25 writes, or the same key twice, is refused whole', async () => {
    const many = Array.from({ length: 26 }, (_, i) => put(`k${i}`));
    await expect(ddb.send(new BatchWriteItemCommand({ RequestItems: { Left: many } }))).rejects.toMatchObject(
      {
        name: 'ValidationException',
        message: 'Too many items requested for the BatchWriteItem call',
      },
    );
    await expect(
      ddb.send(new BatchWriteItemCommand({ RequestItems: { Left: [put('dup'), put('fresh'), put('dup')] } })),
    ).rejects.toMatchObject({ message: 'Provided list of item keys contains duplicates' });
    const got = await ddb.send(
      new BatchGetItemCommand({
        RequestItems: { Left: { Keys: [{ pk: { S: 'fresh' } }], ConsistentRead: true } },
      }),
    );
    expect(got.Responses?.Left).toEqual([]);
  });

  test('each table is authorized as dynamodb:BatchWriteItem on its own ARN', async () => {
    const iam = new IAMClient(twin.clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'left-only' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'left-only',
        PolicyName: 'p',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'dynamodb:BatchWriteItem',
              Resource: `arn:aws:dynamodb:us-east-1:${account}:table/Left`,
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'left-only' }));
    const user = new DynamoDBClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    await user.send(new BatchWriteItemCommand({ RequestItems: { Left: [put('mine')] } }));
    await expect(
      user.send(
        new BatchWriteItemCommand({ RequestItems: { Left: [put('mine2')], Right: [put('theirs')] } }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        `dynamodb:BatchWriteItem on resource: arn:aws:dynamodb:us-east-1:${account}:table/Right because no identity-based policy allows`,
      ),
    });
  });
});
