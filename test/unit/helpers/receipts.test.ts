import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import {
  readReceipt,
  receiptDiscrepancies,
  receiptKeyFrom,
  receiptMatch,
  receiptNamingOf,
  waitForReceipt,
  waitForReceiptBySearch,
} from '../../../helpers/receipts.ts';

const apple = { name: 'apple', quantity: 3, price: 1.2 };
const RUN = 'mc-20260301-a1b2c3';
const OTHER = 'mc-20260301-ffffff';
const MSG = '6d59beea-7766-4efe-abc1-a720c5383849';

const textReceipt = (
  o: { quantity: number | string; price: number; total: number; item?: string },
  extra = '',
) =>
  [
    `Receipt ${MSG}`,
    `Item: ${o.item ?? 'apple'}`,
    `Quantity: ${o.quantity}`,
    `Price: ${o.price}`,
    `Total: ${o.total}`,
    extra,
  ].join('\n');

describe('readReceipt: values by their labels, not digits anywhere', () => {
  test('reads the text receipt the reference processor writes', ({ expect }) => {
    expect(readReceipt(textReceipt({ quantity: 3, price: 1.2, total: 3.5999999999999996 }))).toEqual({
      item: 'apple',
      quantity: 3,
      price: 1.2,
      total: 3.5999999999999996,
    });
  });

  test('reads a JSON receipt with its own field names (unitPrice, fruit)', ({ expect }) => {
    const body = JSON.stringify({ entry: MSG, fruit: 'kiwi', quantity: 6, unitPrice: 1.5, total: 9 });
    expect(readReceipt(body)).toEqual({ item: 'kiwi', quantity: 6, price: 1.5, total: 9 });
  });

  test('a label stated twice with different values is unknown; currency signs are not digits', ({
    expect,
  }) => {
    expect(readReceipt('Quantity: 3\nQuantity: 4\nPrice: $1.20\nTotal = 3.6')).toEqual({
      price: 1.2,
      total: 3.6,
    });
    expect(readReceipt('3')).toEqual({});
  });
});

describe('receiptDiscrepancies: D9 matches quantity, price and total as values', () => {
  test('a right receipt has none', ({ expect }) => {
    expect(receiptDiscrepancies(textReceipt({ quantity: 3, price: 1.2, total: 3.6 }), apple)).toEqual([]);
  });

  test('a wrong quantity whose digits appear elsewhere is caught', ({ expect }) => {
    // "3" is in the id line, "1.2" and "3.6" are right: a substring check passes this receipt.
    const body = `Receipt 3-${MSG}\nItem: apple\nQuantity: 4\nPrice: 1.2\nTotal: 3.6\nNote: 3 boxes`;
    expect(receiptDiscrepancies(body, apple)).toEqual(['its quantity is 4, not 3']);
  });

  test('missing values and another fruit are named', ({ expect }) => {
    expect(receiptDiscrepancies('Item: pear\nQuantity: 3', apple)).toEqual([
      'it names "pear", not apple',
      'it states no price (want 1.2)',
      'it states no total (want 3.5999999999999996)',
    ]);
  });
});

describe('receiptMatch: a receipt is this order’s only by what ties it to this run', () => {
  const mine = { order: apple, messageId: MSG, runId: RUN };
  test('by the message id, by the run id and fruit, or by values when it names no run', ({ expect }) => {
    expect(receiptMatch(`order ${MSG}`, mine)).toBe('message-id');
    expect(receiptMatch(`Item: apple\nReference: ${RUN}`, mine)).toBe('reference');
    expect(receiptMatch(textReceipt({ quantity: 3, price: 1.2, total: 3.6 }).replace(MSG, 'x'), mine)).toBe(
      'content',
    );
  });

  test('never another run’s receipt, nor another fruit of this run', ({ expect }) => {
    expect(receiptMatch(`Item: apple\nQuantity: 3\nPrice: 1.2\nTotal: 3.6\nReference: ${OTHER}`, mine)).toBe(
      undefined,
    );
    expect(receiptMatch(`Item: pear\nReference: ${RUN}`, mine)).toBe(undefined);
    expect(receiptMatch('Item: apple\nQuantity: 4\nPrice: 1.2\nTotal: 4.8', mine)).toBe(undefined);
  });
});

describe('receipt naming', () => {
  test('a template fills in what the suite knows when it publishes', ({ expect }) => {
    expect(receiptKeyFrom('r/{fruit}/{reference}/{messageId}.txt', apple, MSG, RUN)).toBe(
      `r/apple/${RUN}/${MSG}.txt`,
    );
    expect(receiptNamingOf({})).toEqual({ template: 'receipts/{messageId}.txt' });
    expect(receiptNamingOf({ receiptSearchPrefix: 'receipts/' })).toEqual({ searchPrefix: 'receipts/' });
  });
});

const creds = { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const runnerS3 = new S3Client(creds);
const readerS3 = new S3Client(creds);
const runner = mockClient(runnerS3);
const reader = mockClient(readerS3);
// Only what tryReading uses of a GetObject body (the SDK's stream mixin is not a dependency of the project).
const body = (text: string) => ({ transformToString: async () => text }) as never;
beforeEach(() => {
  runner.reset();
  reader.reset();
});

describe('waitForReceipt (by key)', () => {
  test('waits while the object is not there, then reports its encryption and version', async ({ expect }) => {
    runner
      .on(HeadObjectCommand)
      .rejectsOnce(new NoSuchKey({ message: 'no', $metadata: {} }))
      .resolves({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'arn:k', VersionId: 'v1' });
    const published = { order: apple, messageId: MSG, publishedAt: Date.now() };
    const receipt = await waitForReceipt({ s3: runnerS3 } as AwsClients, 'b', 'k', published, 5_000);
    expect(receipt).toMatchObject({ key: 'k', matchedBy: 'key', versionId: 'v1', kmsKeyId: 'arn:k' });
  });

  test('a receipt that never comes is a deviation saying what it waited for', async ({ expect }) => {
    runner.on(HeadObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: {} }));
    const published = { order: apple, messageId: MSG, publishedAt: Date.now() };
    const error = await waitForReceipt({ s3: runnerS3 } as AwsClients, 'b', 'k', published, 300).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(LabDeviationError);
    expect(error.message).toContain('the receipt for apple (s3://b/k)');
  });
});

describe('waitForReceiptBySearch: receipts named after what the suite cannot know', () => {
  const scope = (claimed = new Set<string>()) => ({
    lister: { s3: runnerS3 } as AwsClients,
    reader: { s3: readerS3 } as AwsClients,
    readerName: 'FinanceRole',
    bucket: 'b',
    prefix: 'receipts/',
    runId: RUN,
    claimed,
  });

  test('reads new objects as the reader and takes the one that is this order’s', async ({ expect }) => {
    const now = Date.now();
    runner.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'receipts/apple-old.txt', LastModified: new Date(now - 3_600_000) },
        { Key: 'receipts/apple-q1.txt', LastModified: new Date(now) },
        { Key: 'receipts/apple-q2.txt', LastModified: new Date(now) },
        { Key: 'meshcheck/x/unencrypted-0.txt', LastModified: new Date(now) },
      ],
    });
    reader
      .on(GetObjectCommand, { Key: 'receipts/apple-q1.txt' })
      .resolves({ Body: body(`Item: apple\nReference: ${OTHER}`) })
      .on(GetObjectCommand, { Key: 'receipts/apple-q2.txt' })
      .resolves({ Body: body(`Item: apple\nQuantity: 3\nReference: ${RUN}`) });
    runner.on(HeadObjectCommand).resolves({ ServerSideEncryption: 'aws:kms', VersionId: 'v9' });
    const claimed = new Set<string>();
    const receipt = await waitForReceiptBySearch(
      scope(claimed),
      { order: apple, messageId: MSG, publishedAt: now },
      5_000,
    );
    expect(receipt).toMatchObject({ key: 'receipts/apple-q2.txt', matchedBy: 'reference', versionId: 'v9' });
    expect([...claimed]).toEqual(['receipts/apple-q2.txt']);
    const read = reader.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key);
    expect(read).toEqual(['receipts/apple-q1.txt', 'receipts/apple-q2.txt']);
  });

  test('a candidate the reader may not read is "cannot tell", not "no receipt"', async ({ expect }) => {
    runner.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'receipts/x', LastModified: new Date() }] });
    reader
      .on(GetObjectCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: {} }));
    const error = await waitForReceiptBySearch(
      scope(),
      { order: apple, messageId: MSG, publishedAt: Date.now() },
      2_000,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toContain('FinanceRole may not read s3://b/receipts/x');
  });
});
