import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Items through @aws-sdk/client-dynamodb: what a writer puts, what a
 * reader gets back, expressions, paging and DynamoDB's errors by name
 * and message.
 */
let twin: TestTwin;
let ddb: DynamoDBClient;
const clock = new ManualClock(Date.now());
const TABLE = 'AppEvents';

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  ddb = new DynamoDBClient(twin.clientConfig());
  await ddb.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [
        { AttributeName: 'EventID', AttributeType: 'S' },
        { AttributeName: 'Timestamp', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'EventID', KeyType: 'HASH' },
        { AttributeName: 'Timestamp', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});
afterAll(() => twin.close());

const key = (id: string, ts: string) => ({ EventID: { S: id }, Timestamp: { S: ts } });
/** Lets every copy catch up with the writes so far (eventually consistent reads see them after this). */
const settle = () => clock.advance(delay(twin.server.twin.profile, 'dynamodbConsistencyLagMs'));

describe('a table still CREATING', () => {
  test('refuses items with ResourceNotFoundException, as AWS does until it is ACTIVE', async () => {
    await expect(
      ddb.send(new PutItemCommand({ TableName: TABLE, Item: key('e0', '2026-01-01T00:00:00Z') })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
    clock.advance(delay(twin.server.twin.profile, 'dynamodbTableCreationMs'));
  });
});

describe('PutItem and GetItem', () => {
  test('an item put is got back, numbers in canonical form', async () => {
    await ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { ...key('e1', '2026-01-01T00:00:00Z'), Count: { N: '01.50' }, Tags: { SS: ['a', 'b'] } },
      }),
    );
    const got = await ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: key('e1', '2026-01-01T00:00:00Z'), ConsistentRead: true }),
    );
    expect(got.Item).toEqual({
      ...key('e1', '2026-01-01T00:00:00Z'),
      Count: { N: '1.5' },
      Tags: { SS: ['a', 'b'] },
    });
  });

  test('every attribute type travels and comes back as it went', async () => {
    const item = {
      ...key('types', 't'),
      s: { S: '' },
      b: { B: new Uint8Array([0, 255, 7]) },
      bool: { BOOL: false },
      nul: { NULL: true },
      ss: { SS: ['x', 'y'] },
      ns: { NS: ['1', '-2.5'] },
      bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
      m: { M: { deep: { L: [{ N: '3' }, { M: {} }, { L: [] }] } } },
    };
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: item }));
    const got = await ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: key('types', 't'), ConsistentRead: true }),
    );
    expect(got.Item).toEqual(item);
  });

  test('a missing item is an answer without Item', async () => {
    const got = await ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('none', 'x') }));
    expect(got.Item).toBeUndefined();
  });

  test('an eventually consistent read just after a write may miss it; a strongly consistent one does not', async () => {
    await ddb.send(new PutItemCommand({ TableName: TABLE, Item: key('fresh', 't') }));
    const eventual = () => ddb.send(new GetItemCommand({ TableName: TABLE, Key: key('fresh', 't') }));
    expect((await eventual()).Item).toBeUndefined();
    const strong = await ddb.send(
      new GetItemCommand({ TableName: TABLE, Key: key('fresh', 't'), ConsistentRead: true }),
    );
    expect(strong.Item).toEqual(key('fresh', 't'));
    settle();
    expect((await eventual()).Item).toEqual(key('fresh', 't'));
  });

  test('ProjectionExpression returns only the named attributes; a reserved word needs #name', async () => {
    settle();
    const got = await ddb.send(
      new GetItemCommand({
        TableName: TABLE,
        Key: key('e1', '2026-01-01T00:00:00Z'),
        ProjectionExpression: '#c',
        ExpressionAttributeNames: { '#c': 'Count' },
      }),
    );
    expect(got.Item).toEqual({ Count: { N: '1.5' } });
    await expect(
      ddb.send(
        new GetItemCommand({
          TableName: TABLE,
          Key: key('e1', '2026-01-01T00:00:00Z'),
          ProjectionExpression: 'Count',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Count',
    });
  });

  test('a missing or mistyped key attribute is a ValidationException in DynamoDB’s words', async () => {
    await expect(
      ddb.send(new PutItemCommand({ TableName: TABLE, Item: { Timestamp: { S: 't' } } })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'One or more parameter values were invalid: Missing the key EventID in the item',
    });
    await expect(
      ddb.send(
        new PutItemCommand({ TableName: TABLE, Item: { EventID: { N: '1' }, Timestamp: { S: 't' } } }),
      ),
    ).rejects.toMatchObject({
      message:
        'One or more parameter values were invalid: Type mismatch for key EventID expected: S actual: N',
    });
    await expect(
      ddb.send(new GetItemCommand({ TableName: TABLE, Key: { EventID: { S: 'e1' } } })),
    ).rejects.toMatchObject({ message: 'The provided key element does not match the schema' });
  });

  test('attribute_not_exists refuses a second put of the same key', async () => {
    const put = () =>
      ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: key('once', 't'),
          ConditionExpression: 'attribute_not_exists(EventID)',
        }),
      );
    await put();
    await expect(put()).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
  });

  test('ReturnValuesOnConditionCheckFailure ALL_OLD hands back the item that failed the condition', async () => {
    await ddb.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { ...key('held', 't'), Blob: { B: new Uint8Array([1, 2]) } },
      }),
    );
    const e = await ddb
      .send(
        new PutItemCommand({
          TableName: TABLE,
          Item: key('held', 't'),
          ConditionExpression: 'attribute_not_exists(EventID)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .catch((err: unknown) => err);
    expect(e).toMatchObject({
      name: 'ConditionalCheckFailedException',
      Item: { ...key('held', 't'), Blob: { B: new Uint8Array([1, 2]) } },
    });
  });

  test('an item over 400 KB is refused', async () => {
    await expect(
      ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...key('big', 't'), Body: { S: 'x'.repeat(410_000) } },
        }),
      ),
    ).rejects.toMatchObject({ message: 'Item size has exceeded the maximum allowed size' });
  });
});

describe('UpdateItem and DeleteItem', () => {
  test('SET, ADD and REMOVE with ReturnValues ALL_NEW, and UPDATED_OLD', async () => {
    const out = await ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key('e1', '2026-01-01T00:00:00Z'),
        UpdateExpression: 'SET Note = :n, #c = #c + :one ADD Tags :t REMOVE Gone',
        ExpressionAttributeNames: { '#c': 'Count' },
        ExpressionAttributeValues: { ':n': { S: 'hi' }, ':one': { N: '1' }, ':t': { SS: ['c'] } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({
      ...key('e1', '2026-01-01T00:00:00Z'),
      Count: { N: '2.5' },
      Note: { S: 'hi' },
      Tags: { SS: ['a', 'b', 'c'] },
    });
    const old = await ddb.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key('e1', '2026-01-01T00:00:00Z'),
        UpdateExpression: 'SET Note = :n',
        ExpressionAttributeValues: { ':n': { S: 'bye' } },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    expect(old.Attributes).toEqual({ Note: { S: 'hi' } });
  });

  test('a key attribute cannot be updated', async () => {
    await expect(
      ddb.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: key('e1', '2026-01-01T00:00:00Z'),
          UpdateExpression: 'SET EventID = :v',
          ExpressionAttributeValues: { ':v': { S: 'x' } },
        }),
      ),
    ).rejects.toMatchObject({
      message:
        'One or more parameter values were invalid: Cannot update attribute EventID. This attribute is part of the key',
    });
  });

  test('an unused expression value is refused', async () => {
    await expect(
      ddb.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: key('e1', '2026-01-01T00:00:00Z'),
          UpdateExpression: 'SET Note = :n',
          ExpressionAttributeValues: { ':n': { S: 'x' }, ':extra': { S: 'y' } },
        }),
      ),
    ).rejects.toMatchObject({
      message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}',
    });
  });

  test('DeleteItem with ReturnValues ALL_OLD returns what it deleted', async () => {
    const out = await ddb.send(
      new DeleteItemCommand({ TableName: TABLE, Key: key('once', 't'), ReturnValues: 'ALL_OLD' }),
    );
    expect(out.Attributes).toEqual(key('once', 't'));
    const again = await ddb.send(
      new DeleteItemCommand({ TableName: TABLE, Key: key('once', 't'), ReturnValues: 'ALL_OLD' }),
    );
    expect(again.Attributes).toBeUndefined();
  });
});

describe('Query and Scan', () => {
  beforeAll(async () => {
    settle();
    for (let i = 1; i <= 5; i++)
      await ddb.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { ...key('q', `2026-01-0${i}`), N: { N: String(i) } },
        }),
      );
    settle();
  });

  test('KeyConditionExpression with begins_with, newest first, in pages of Limit', async () => {
    const first = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'EventID = :id AND begins_with(#ts, :day)',
        ExpressionAttributeNames: { '#ts': 'Timestamp' },
        ExpressionAttributeValues: { ':id': { S: 'q' }, ':day': { S: '2026-01' } },
        ScanIndexForward: false,
        Limit: 3,
      }),
    );
    expect(first.Items?.map((i) => i.N?.N)).toEqual(['5', '4', '3']);
    expect(first.LastEvaluatedKey).toEqual(key('q', '2026-01-03'));
    const second = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'EventID = :id',
        ExpressionAttributeValues: { ':id': { S: 'q' } },
        ScanIndexForward: false,
        ExclusiveStartKey: first.LastEvaluatedKey,
      }),
    );
    expect(second.Items?.map((i) => i.N?.N)).toEqual(['2', '1']);
    expect(second.LastEvaluatedKey).toBeUndefined();
  });

  test('FilterExpression applies after Limit: Count and ScannedCount differ', async () => {
    const out = await ddb.send(
      new QueryCommand({
        TableName: TABLE,
        KeyConditionExpression: 'EventID = :id AND #ts BETWEEN :a AND :b',
        FilterExpression: 'N > :two',
        ExpressionAttributeNames: { '#ts': 'Timestamp' },
        ExpressionAttributeValues: {
          ':id': { S: 'q' },
          ':a': { S: '2026-01-01' },
          ':b': { S: '2026-01-04' },
          ':two': { N: '2' },
        },
      }),
    );
    expect(out.Count).toBe(2);
    expect(out.ScannedCount).toBe(4);
  });

  test('a key condition without the partition key is refused', async () => {
    await expect(
      ddb.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: '#ts = :t',
          ExpressionAttributeNames: { '#ts': 'Timestamp' },
          ExpressionAttributeValues: { ':t': { S: 'x' } },
        }),
      ),
    ).rejects.toMatchObject({ message: 'Query condition missed key schema element: EventID' });
  });

  test('a start key outside the query is refused', async () => {
    const query = (start: Record<string, { S: string }>) =>
      ddb.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'EventID = :id AND #ts > :t',
          ExpressionAttributeNames: { '#ts': 'Timestamp' },
          ExpressionAttributeValues: { ':id': { S: 'q' }, ':t': { S: '2026-01-03' } },
          ExclusiveStartKey: start,
        }),
      );
    await expect(query(key('other', '2026-01-04'))).rejects.toMatchObject({
      message: 'The provided starting key is outside query boundaries based on provided conditions',
    });
    await expect(query(key('q', '2026-01-01'))).rejects.toMatchObject({
      message: 'The provided starting key does not match the range key predicate',
    });
    await expect(query({ EventID: { S: 'q' } })).rejects.toMatchObject({
      message: 'The provided starting key is invalid',
    });
  });

  test('Scan with a FilterExpression pages through the table', async () => {
    const seen: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(
        new ScanCommand({
          TableName: TABLE,
          FilterExpression: 'attribute_exists(N)',
          Limit: 2,
          ...(start && { ExclusiveStartKey: start as never }),
        }),
      );
      seen.push(...(out.Items ?? []).map((i) => i.N!.N!));
      start = out.LastEvaluatedKey;
    } while (start);
    expect(seen.sort()).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('DescribeTable’s counts', () => {
  test('ItemCount and TableSizeBytes lag writes by up to six hours, as AWS publishes them', async () => {
    const before = await ddb.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(before.Table?.ItemCount).toBe(0);
    clock.advance(6 * 3_600_000);
    const after = await ddb.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(after.Table?.ItemCount).toBeGreaterThan(5);
    expect(after.Table?.TableSizeBytes).toBeGreaterThan(0);
  });
});
