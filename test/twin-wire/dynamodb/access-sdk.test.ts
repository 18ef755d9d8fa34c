import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Who may do what to a table: each call is dynamodb:<Operation> on the
 * table's ARN, refused in AWS's words, with DynamoDB's condition keys
 * (dynamodb:LeadingKeys for fine-grained access), and a customer managed
 * key whose policy does not let the caller use it through DynamoDB.
 */
let twin: TestTwin;
let account: string;
let root: DynamoDBClient;
const clock = new ManualClock(Date.now());
const TABLE = 'Events';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

async function user(name: string, ...statements: object[]): Promise<DynamoDBClient> {
  const iam = new IAMClient(twin.clientConfig());
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc(...statements) }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return new DynamoDBClient({
    ...twin.clientConfig(),
    credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
  });
}

const table = (name: string, extra: object = {}) =>
  new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  });

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  account = twin.server.twin.accounts[0]!;
  root = new DynamoDBClient(twin.clientConfig());
  await root.send(table(TABLE));
  clock.advance(delay(twin.server.twin.profile, 'dynamodbTableCreationMs'));
});
afterAll(() => twin.close());

describe('identity policies', () => {
  test('a write the policy does not allow is AccessDeniedException in AWS’s words', async () => {
    const reader = await user('reader', {
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:DescribeTable'],
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/${TABLE}`,
    });
    const got = await reader.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'a' } } }));
    expect(got.Item).toBeUndefined();
    await expect(
      reader.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'a' } } })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${account}:user/reader is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:${account}:table/${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('ListTables is authorized on *, so a table-scoped grant does not cover it', async () => {
    const scoped = await user('scoped', {
      Effect: 'Allow',
      Action: 'dynamodb:ListTables',
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/${TABLE}`,
    });
    await expect(scoped.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:ListTables on resource: *'),
    });
  });

  test('a permission on another table does not reach this one', async () => {
    const other = await user('other', {
      Effect: 'Allow',
      Action: 'dynamodb:DescribeTable',
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/Other`,
    });
    await expect(other.send(new DescribeTableCommand({ TableName: TABLE }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  test('a table ARN of another account is refused, never read as the caller’s own table of that name', async () => {
    const other = twin.server.twin.accounts.find((a) => a !== account) ?? '999999999999';
    const foreign = `arn:aws:dynamodb:us-east-1:${other}:table/${TABLE}`;
    await expect(root.send(new DescribeTableCommand({ TableName: foreign }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`dynamodb:DescribeTable on resource: ${foreign}`),
    });
    const own = await root.send(
      new DescribeTableCommand({ TableName: `arn:aws:dynamodb:us-east-1:${account}:table/${TABLE}` }),
    );
    expect(own.Table?.TableName).toBe(TABLE);
  });

  test('dynamodb:LeadingKeys limits a writer to its own partition', async () => {
    const tenant = await user('tenant', {
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/${TABLE}`,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['tenant-a'] } },
    });
    await tenant.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'tenant-a' } } }));
    await expect(
      tenant.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: 'tenant-b' } } })),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('fine-grained access: what a request names reaches the condition keys', () => {
  test('dynamodb:LeadingKeys holds a Query’s partition from its key condition', async () => {
    const tenant = await user('querier', {
      Effect: 'Allow',
      Action: 'dynamodb:Query',
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/${TABLE}`,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['tenant-a'] } },
    });
    const query = (pk: string) =>
      tenant.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: '#p = :pk',
          ConsistentRead: true,
          ExpressionAttributeNames: { '#p': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: pk } },
        }),
      );
    expect((await query('tenant-a')).Count).toBe(1);
    await expect(query('tenant-b')).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  test('dynamodb:Attributes holds the names an expression uses, aliased or not', async () => {
    const narrow = await user('narrow', {
      Effect: 'Allow',
      Action: 'dynamodb:GetItem',
      Resource: `arn:aws:dynamodb:us-east-1:${account}:table/${TABLE}`,
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'visible'] } },
    });
    const get = (projection: string, names?: Record<string, string>) =>
      narrow.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: { pk: { S: 'tenant-a' } },
          ProjectionExpression: projection,
          ...(names && { ExpressionAttributeNames: names }),
        }),
      );
    await get('visible');
    await expect(get('secret')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(get('visible, #s', { '#s': 'secret' })).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});

describe('a customer managed key', () => {
  test('SSE with a key the caller may use shows that key’s ARN; a key it may not use is refused', async () => {
    const kms = new KMSClient(twin.clientConfig());
    const usable = await kms.send(new CreateKeyCommand({}));
    const out = await root.send(
      table('Encrypted', {
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: usable.KeyMetadata!.Arn },
      }),
    );
    expect(out.TableDescription?.SSEDescription).toEqual({
      Status: 'ENABLED',
      SSEType: 'KMS',
      KMSMasterKeyArn: usable.KeyMetadata!.Arn,
    });
    const locked = await kms.send(
      new CreateKeyCommand({
        Policy: doc({
          Sid: 'root only, not through DynamoDB',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:root` },
          Action: ['kms:PutKeyPolicy', 'kms:DescribeKey'],
          Resource: '*',
        }),
        BypassPolicyLockoutSafetyCheck: true,
      }),
    );
    await expect(
      root.send(
        table('Locked', {
          SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: locked.KeyMetadata!.Arn },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        /^KMS key access denied error: com\.amazonaws\.services\.kms\.model\.AWSKMSException: User: arn:aws:iam::\d{12}:root is not authorized to perform: kms:GenerateDataKey .*Error Code: AccessDeniedException/,
      ),
    });
    const missing = `arn:aws:kms:us-east-1:${account}:key/00000000-0000-0000-0000-000000000000`;
    await expect(
      root.send(
        table('Missing', { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: missing } }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining(
        `KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Key '${missing}' does not exist`,
      ),
    });
  });
});
