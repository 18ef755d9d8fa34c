import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import type { WriterInvocation } from '../../../../helpers/application/writer.ts';
import { waitForWrites } from '../../../../helpers/application/writer-writes.ts';
import { CannotTellError } from '../../../../helpers/errors.ts';
import type { WriterTarget } from '../../../../helpers/targets/index.ts';
import { awsError, mockedClients } from '../support.ts';

const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  dynamodb.reset();
  s3.reset();
});

const writer: WriterTarget = {
  function: 'Writer',
  event: {},
  table: 'Events',
  timeAttribute: 'Timestamp',
  bucket: 'app-data',
  prefix: 'logs/',
  timeoutSeconds: 5,
};
const sentAt = Date.parse('2026-12-07T13:10:10Z');
const call: WriterInvocation = {
  functionName: 'Writer',
  requestId: 'req-ours',
  sentAt,
  returnedAt: sentAt + 1_500,
  statusCode: 200,
  payload: '{"statusCode":200}',
  logTail: 'START RequestId: req-ours\nEND RequestId: req-ours\n',
};

/** One write of the seed's writer at `iso` (naive UTC), as the table and the bucket hold it. */
function write(iso: string) {
  const eventId = String(Date.parse(`${iso}Z`) / 1000);
  const item = { EventID: { S: eventId }, Timestamp: { S: iso }, Message: { S: 'Test Event' } };
  const key = `logs/event-${eventId}.json`;
  return {
    eventId,
    item,
    object: { Key: key, LastModified: new Date(`${iso.slice(0, 19)}Z`) },
    body: JSON.stringify({ EventID: eventId, Timestamp: iso, Message: 'Test Event' }),
  };
}

function lab(writes: ReturnType<typeof write>[]) {
  dynamodb.on(DescribeTableCommand).resolves({
    Table: {
      KeySchema: [
        { AttributeName: 'EventID', KeyType: 'HASH' },
        { AttributeName: 'Timestamp', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'EventID', AttributeType: 'S' },
        { AttributeName: 'Timestamp', AttributeType: 'S' },
      ],
    },
  });
  // Two pages, so a reader of the first page only would miss what is on the second.
  const items = writes.map((w) => w.item);
  const half = Math.ceil(items.length / 2);
  dynamodb
    .on(ScanCommand)
    .callsFake(async (input: { ExclusiveStartKey?: unknown }) =>
      input.ExclusiveStartKey
        ? { Items: items.slice(half) }
        : { Items: items.slice(0, half), LastEvaluatedKey: { EventID: { S: 'page' } } },
    );
  s3.on(ListObjectsV2Command).resolves({ Contents: writes.map((w) => w.object), KeyCount: writes.length });
  s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
    const body = writes.find((w) => w.object.Key === input.Key)!.body;
    return { Body: { transformToString: async () => body } };
  });
}

describe('waitForWrites: what this invocation wrote, read from the table and the bucket', () => {
  test('finds this invocation’s item and object, not the newest of the table (another run’s, a minute later)', async () => {
    const ours = write('2026-12-07T13:10:10.800000');
    const newer = write('2026-12-07T13:11:10.000000');
    lab([ours, newer]);
    const seen = await waitForWrites(mockedClients(), writer, call, { timeoutMs: 2_000 });
    expect(seen.item.state === 'found' && seen.item.value.EventID).toBe(ours.eventId);
    expect(seen.object.state === 'found' && seen.object.value.key).toBe(ours.object.Key);
    expect(seen.scanned).toBe(2);
  });

  test('another run’s write in the same window makes it ambiguous: S11 cannot pass on it', async () => {
    const ours = write('2026-12-07T13:10:10.800000');
    const other = write('2026-12-07T13:10:11.200000');
    lab([ours, other]);
    const seen = await waitForWrites(mockedClients(), writer, call, { timeoutMs: 2_000 });
    expect(seen.item.state).toBe('ambiguous');
    expect(seen.object.state).toBe('ambiguous');
  });

  test('only another run’s older item: at the bound the item is missing (S11 fails), never taken', async () => {
    const old = write('2026-12-07T13:09:00.000000');
    lab([old]);
    const seen = await waitForWrites(mockedClients(), writer, call, { timeoutMs: 1_200 });
    expect(seen.item).toEqual({ state: 'none' });
    expect(seen.object).toEqual({ state: 'none' });
  });

  test('a Scan the runner may not make is cannot-tell, not an absent item', async () => {
    lab([]);
    dynamodb.on(ScanCommand).rejects(awsError('AccessDeniedException', 400));
    await expect(waitForWrites(mockedClients(), writer, call, { timeoutMs: 2_000 })).rejects.toBeInstanceOf(
      CannotTellError,
    );
  });
});
