import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, test, vi } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import {
  publishOrder,
  readReceipt,
  receiptDiscrepancies,
  receiptKeyFrom,
  receiptMatch,
  receiptNamingOf,
  tryReading,
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

describe('readReceipt: the labels processors use', () => {
  test.for([
    ['Item: kiwi', { item: 'kiwi' }],
    ['Fruit: kiwi', { item: 'kiwi' }],
    ['Name = kiwi', { item: 'kiwi' }],
    ['  Product :  kiwi  ', { item: 'kiwi' }],
    ['Qty: 6', { quantity: 6 }],
    ['Count: 6', { quantity: 6 }],
    ['Unit price: 1.50', { price: 1.5 }],
    ['Unitprice: 1.50', { price: 1.5 }],
    ['Unit_Price: €1.50', { price: 1.5 }],
    ['Price each: £ 1.50', { price: 1.5 }],
    ['unit-cost: 1.50', { price: 1.5 }],
    ['Total price: 9', { total: 9 }],
    ['Amount: 9', { total: 9 }],
    ['Total: -9', { total: -9 }],
    ['Total:\t9.25 \r\nQuantity: 2\r\n', { total: 9.25, quantity: 2 }],
    ['Subtotal: 9\nTotal tax: 1\nitem name: kiwi', {}],
    ['Quantity: three\nPrice: 1.5.0\nTotal: 9 USD', {}],
    ['1Total: 9\n: 9\nTotal 9', {}],
    ['Quantity: 3\nQuantity: 3', { quantity: 3 }],
    ['Item: kiwi\nItem: pear\nTotal: 9', { total: 9 }],
    ['Discount: 3\nQuantity shipped: 2\nLine item: fig\nProduct code: 7', {}],
    ['Sale price: 3\nPrice list: 4\nUnit costs: 5\nPrices each: 6', {}],
    ['Price: 1.\nTotal: .5\nQuantity: 1 2', {}],
    ['Total:\n9', {}],
  ] as const)('%j', ([body, values], { expect }) => {
    expect(readReceipt(body)).toEqual(values);
  });

  test('JSON fields by their names, in any case style; values that are not numbers are left out', ({
    expect,
  }) => {
    expect(
      readReceipt(
        JSON.stringify({ ProductName: 'x', product: ' kiwi ', QTY: 2, price_each: '1.5', total_price: 3 }),
      ),
    ).toEqual({ item: 'kiwi', quantity: 2, price: 1.5, total: 3 });
    expect(readReceipt('{"quantity": true, "price": null, "total": 1e999, "count": {"n": 2}}')).toEqual({});
    expect(readReceipt('{"item": 42, "qty": "2"}')).toEqual({ item: '42', quantity: 2 });
    expect(readReceipt('{"totalPrice": 3, "priceEach": " 1.5 ", "Subtotal": 9}')).toEqual({
      total: 3,
      price: 1.5,
    });
  });

  test('JSON that is not an object is read as lines', ({ expect }) => {
    expect(readReceipt('["Total: 9"]')).toEqual({});
    expect(readReceipt('null')).toEqual({});
    expect(readReceipt('Total: 9\n{"quantity": 3}')).toEqual({ total: 9 });
  });
});

describe('receiptDiscrepancies: the fruit by word, numbers to rounding', () => {
  test('a receipt without labels names the fruit as a word, in any case, but not inside another word', ({
    expect,
  }) => {
    const values = 'Quantity: 3\nPrice: 1.2\nTotal: 3.6';
    expect(receiptDiscrepancies(`Thanks for your APPLE order\n${values}`, apple)).toEqual([]);
    expect(receiptDiscrepancies(`Thanks for your pineapple order\n${values}`, apple)).toEqual([
      'it names no fruit, not apple',
    ]);
    expect(receiptDiscrepancies(`Thanks for your applesauce order\n${values}`, apple)).toEqual([
      'it names no fruit, not apple',
    ]);
  });

  test('a fruit whose name has pattern characters is matched as written', ({ expect }) => {
    const odd = { name: 'kiwi (gold)', quantity: 1, price: 2 };
    expect(receiptDiscrepancies('We packed kiwi (gold)\nQuantity: 1\nPrice: 2\nTotal: 2', odd)).toEqual([]);
    expect(receiptDiscrepancies('We packed kiwi gold\nQuantity: 1\nPrice: 2\nTotal: 2', odd)).toEqual([
      'it names no fruit, not kiwi (gold)',
    ]);
    const acai = { name: 'açaí', quantity: 1, price: 2 };
    expect(receiptDiscrepancies('Your AÇAÍ order\nQuantity: 1\nPrice: 2\nTotal: 2', acai)).toEqual([]);
    expect(receiptDiscrepancies('Your açaíberry order\nQuantity: 1\nPrice: 2\nTotal: 2', acai)).toHaveLength(
      1,
    );
    expect(
      receiptDiscrepancies('Your apple_pie order\nQuantity: 3\nPrice: 1.2\nTotal: 3.6', apple),
    ).toHaveLength(1);
    const dotted = { name: 'a.b', quantity: 1, price: 2 };
    expect(receiptDiscrepancies('We packed axb\nQuantity: 1\nPrice: 2\nTotal: 2', dotted)).toHaveLength(1);
  });

  test('the item label decides, whatever else the text says', ({ expect }) => {
    expect(receiptDiscrepancies('Item: Apple\nQuantity: 3\nPrice: 1.2\nTotal: 3.6', apple)).toEqual([]);
    expect(
      receiptDiscrepancies('Item: pear (not apple)\nQuantity: 3\nPrice: 1.2\nTotal: 3.6', apple),
    ).toEqual(['it names "pear (not apple)", not apple']);
  });

  test('floating-point rounding is the same value; a cent off is not', ({ expect }) => {
    const big = { name: 'apple', quantity: 1_000_000, price: 0.1 };
    expect(
      receiptDiscrepancies('Item: apple\nQuantity: 1000000\nPrice: 0.1\nTotal: 100000.00000000001', big),
    ).toEqual([]);
    expect(receiptDiscrepancies('Item: apple\nQuantity: 1000000\nPrice: 0.1\nTotal: 100000.01', big)).toEqual(
      ['its total is 100000.01, not 100000'],
    );
    // Relative to the size of the numbers: a large total printed with float noise is still the total.
    const bulk = { name: 'apple', quantity: 100_000, price: 1 };
    expect(
      receiptDiscrepancies('Item: apple\nQuantity: 100000\nPrice: 1\nTotal: 100000.00001', bulk),
    ).toEqual([]);
    expect(receiptDiscrepancies('Item: apple\nQuantity: 3\nPrice: 1.2\nTotal: 3.61', apple)).toEqual([
      'its total is 3.61, not 3.5999999999999996',
    ]);
    expect(receiptDiscrepancies('Item: apple\nQuantity: 3\nPrice: 1.2\nTotal: 3.6000001', apple)).toEqual([
      'its total is 3.6000001, not 3.5999999999999996',
    ]);
    expect(receiptDiscrepancies('Item: apple\nQuantity: -3\nPrice: 1.2\nTotal: 3.6', apple)).toEqual([
      'its quantity is -3, not 3',
    ]);
  });
});

describe('receiptMatch: run ids as helpers/run.ts makes them', () => {
  const mine = { order: apple, messageId: MSG, runId: RUN };
  const values = 'Item: apple\nQuantity: 3\nPrice: 1.2\nTotal: 3.6';
  test('a string that only looks like a run id is no run; a run id among others is', ({ expect }) => {
    expect(receiptMatch(`${values}\nNote: xmc-20260301-ffffff`, mine)).toBe('content');
    expect(receiptMatch(`${values}\nNote: mc-2026030-ffffff`, mine)).toBe('content');
    expect(receiptMatch(`${values}\nNote: mc-20260301-fffff`, mine)).toBe('content');
    expect(receiptMatch(`${values}\nNote: mc-20260301-FFFFFF`, mine)).toBe('content');
    expect(receiptMatch(`${values}\nNote: mc-20260301-ffffff0`, mine)).toBe('content');
    expect(receiptMatch(`${values}\nRefs: ${OTHER} ${RUN}`, mine)).toBe('reference');
    expect(receiptMatch(`${values}\nRefs: ${RUN} ${OTHER}`, mine)).toBe('reference');
  });

  test('this run’s id does not make another fruit’s receipt this one’s; no fruit, no match', ({ expect }) => {
    expect(receiptMatch(`Item: pear\nQuantity: 3\nPrice: 1.2\nTotal: 3.6\n${RUN}`, mine)).toBe(undefined);
    expect(receiptMatch('Quantity: 3\nPrice: 1.2\nTotal: 3.6', mine)).toBe(undefined);
    expect(receiptMatch(`Fruit: apple ${RUN}`, mine)).toBe(undefined);
    expect(receiptMatch(`apple ${RUN}`, mine)).toBe('reference');
  });
});

describe('receipt naming: what targets choose', () => {
  test('a template named is used as it is, every field everywhere it appears', ({ expect }) => {
    expect(receiptNamingOf({ receiptKeyTemplate: 'r/{fruit}.json' })).toEqual({ template: 'r/{fruit}.json' });
    expect(receiptNamingOf({ receiptKeyTemplate: 'r/{fruit}.json', receiptSearchPrefix: '' })).toEqual({
      searchPrefix: '',
    });
    expect(receiptKeyFrom('{fruit}/{fruit}-{messageId}-{messageId}', apple, 'm', RUN)).toBe(
      'apple/apple-m-m',
    );
  });
});

describe('publishOrder', () => {
  test('publishes the order with the run id as its reference and keeps the message id', async ({
    expect,
  }) => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: MSG });
    const clients = { sns: new SNSClient(creds) } as unknown as AwsClients;
    const before = Date.now();
    const published = await publishOrder(clients, 'arn:aws:sns:us-east-1:111122223333:orders', apple, RUN);
    expect(published).toEqual({ order: apple, messageId: MSG, publishedAt: expect.any(Number) });
    expect(published.publishedAt).toBeGreaterThanOrEqual(before);
    expect(published.publishedAt).toBeLessThanOrEqual(Date.now());
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:us-east-1:111122223333:orders');
    expect(JSON.parse(input.Message!)).toEqual({ name: 'apple', quantity: 3, price: 1.2, reference: RUN });

    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AuthorizationError', $metadata: {} }));
    await expect(publishOrder(clients, 'arn:t', apple, RUN)).rejects.toThrow(
      /^could not publish the apple order/,
    );
    sns.restore();
  });
});

describe('tryReading: a denial is an answer', () => {
  test('the body as read; a denial with its code; anything else cannot-tell naming who read what', async ({
    expect,
  }) => {
    const clients = { s3: readerS3 } as AwsClients;
    reader.on(GetObjectCommand, { Bucket: 'b', Key: 'k' }).resolves({ Body: body('Item: apple') });
    expect(await tryReading(clients, 'b', 'k', 'FinanceRole')).toEqual({
      outcome: 'ok',
      body: 'Item: apple',
    });
    reader
      .on(GetObjectCommand)
      .rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: {} }));
    expect(await tryReading(clients, 'b', 'k', 'FinanceRole')).toEqual({
      outcome: 'denied',
      code: 'AccessDenied',
      message: 'Access Denied',
    });
    reader
      .on(GetObjectCommand)
      .rejects(
        Object.assign(new Error('slow'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }),
      );
    const error = await tryReading(clients, 'b', 'k', 'FinanceRole').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(/^could not read s3:\/\/b\/k as FinanceRole: InternalError/);
  });
});

describe('waitForReceipt: what the receipt says of itself', () => {
  const clients = { s3: runnerS3 } as AwsClients;
  test('heads the key asked for; no version in an unversioned bucket; how long it took', async ({
    expect,
  }) => {
    runner
      .on(HeadObjectCommand, { Bucket: 'b', Key: 'receipts/m.txt' })
      .resolves({ ServerSideEncryption: 'AES256', BucketKeyEnabled: true });
    const published = { order: apple, messageId: MSG, publishedAt: Date.now() - 1_500 };
    const receipt = await waitForReceipt(clients, 'b', 'receipts/m.txt', published, 5_000);
    expect(receipt).toEqual({
      key: 'receipts/m.txt',
      matchedBy: 'key',
      serverSideEncryption: 'AES256',
      kmsKeyId: undefined,
      bucketKeyEnabled: true,
      afterMs: expect.any(Number),
    });
    expect(receipt.afterMs).toBeGreaterThanOrEqual(1_500);
    expect(receipt.afterMs).toBeLessThan(60_000);
  });

  test('a look the runner may not make ends the wait at once as cannot-tell', async ({ expect }) => {
    runner
      .on(HeadObjectCommand)
      .rejects(
        Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } }),
      );
    const published = { order: apple, messageId: MSG, publishedAt: Date.now() };
    const error = await waitForReceipt(clients, 'b', 'k', published, 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(/^could not look for s3:\/\/b\/k: /);
    expect(runner.commandCalls(HeadObjectCommand)).toHaveLength(1);
  });

  test('the wait that runs out says it saw no object and how to look', async ({ expect }) => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    try {
      runner.on(HeadObjectCommand).rejects(new NoSuchKey({ message: 'no', $metadata: {} }));
      const published = { order: apple, messageId: MSG, publishedAt: Date.now() };
      const wait = waitForReceipt(clients, 'b', 'k', published, 60_000).then(
        () => new Error('a receipt came'),
        (e: Error) => e,
      );
      await vi.advanceTimersByTimeAsync(200);
      expect(runner.commandCalls(HeadObjectCommand)).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(300);
      expect(runner.commandCalls(HeadObjectCommand)).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(60_000);
      const error = await wait;
      expect(error.message).toMatch(
        /^waited 6\d\.\ds for the receipt for apple \(s3:\/\/b\/k\); last saw: no object yet/,
      );
      expect(error.message).toContain('look yourself: aws s3api head-object --bucket b --key k');
      // Never more than five seconds between looks.
      expect(runner.commandCalls(HeadObjectCommand).length).toBeGreaterThanOrEqual(12);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('waitForReceiptBySearch: which objects are read, and when', () => {
  const scope = (claimed = new Set<string>()) => ({
    lister: { s3: runnerS3 } as AwsClients,
    reader: { s3: readerS3 } as AwsClients,
    readerName: 'FinanceRole',
    bucket: 'b',
    prefix: 'receipts/',
    runId: RUN,
    claimed,
  });
  const at = (ms: number) => new Date(ms);

  test('every page of the listing, under the prefix', async ({ expect }) => {
    const now = Date.now();
    runner
      .on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'receipts/a', LastModified: at(now) }], NextContinuationToken: 't2' })
      .resolvesOnce({ Contents: [{ Key: 'receipts/b', LastModified: at(now) }] });
    reader
      .on(GetObjectCommand, { Key: 'receipts/a' })
      .resolves({ Body: body('Item: pear') })
      .on(GetObjectCommand, { Key: 'receipts/b' })
      .resolves({ Body: body(`receipt of ${MSG}`) });
    runner.on(HeadObjectCommand, { Bucket: 'b', Key: 'receipts/b' }).resolves({ SSEKMSKeyId: 'arn:k' });
    const receipt = await waitForReceiptBySearch(
      scope(),
      { order: apple, messageId: MSG, publishedAt: now },
      5_000,
    );
    expect(receipt).toEqual({
      key: 'receipts/b',
      matchedBy: 'message-id',
      serverSideEncryption: undefined,
      kmsKeyId: 'arn:k',
      bucketKeyEnabled: undefined,
      afterMs: expect.any(Number),
    });
    expect(runner.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'b', Prefix: 'receipts/' },
      { Bucket: 'b', Prefix: 'receipts/', ContinuationToken: 't2' },
    ]);
    expect(reader.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'b', Key: 'receipts/a' },
      { Bucket: 'b', Key: 'receipts/b' },
    ]);
  });

  test('objects from up to five seconds before publishing are candidates (clocks differ); older ones and undated ones are not', async ({
    expect,
  }) => {
    const now = Date.now();
    runner.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'meshcheck/r1/probe-object.txt', LastModified: at(now) },
        { Key: 'receipts/undated' },
        { Key: 'receipts/older', LastModified: at(now - 5_001) },
        { Key: 'receipts/edge', LastModified: at(now - 5_000) },
      ],
    });
    reader.on(GetObjectCommand).resolves({ Body: body(`Item: apple\nReference: ${RUN}`) });
    runner.on(HeadObjectCommand).resolves({});
    const receipt = await waitForReceiptBySearch(
      scope(),
      { order: apple, messageId: MSG, publishedAt: now },
      5_000,
    );
    expect(receipt.key).toBe('receipts/edge');
    expect(receipt.afterMs).toBeGreaterThanOrEqual(0);
    expect(receipt.afterMs).toBeLessThan(60_000);
    expect(reader.commandCalls(GetObjectCommand)).toHaveLength(1);
  });

  test('each object is read once, however many looks the wait takes; another order’s receipt is never taken', async ({
    expect,
  }) => {
    const now = Date.now();
    runner
      .on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [
          { Key: 'receipts/pear', LastModified: at(now) },
          { Key: 'receipts/taken', LastModified: at(now) },
        ],
      })
      .resolves({
        Contents: [
          { Key: 'receipts/pear', LastModified: at(now) },
          { Key: 'receipts/taken', LastModified: at(now) },
          { Key: 'receipts/apple', LastModified: at(now) },
        ],
      });
    reader
      .on(GetObjectCommand, { Key: 'receipts/pear' })
      .resolves({ Body: body(`Item: pear\nReference: ${RUN}`) })
      .on(GetObjectCommand, { Key: 'receipts/apple' })
      .resolves({ Body: body(`Item: apple\nReference: ${RUN}`) })
      .on(GetObjectCommand, { Key: 'receipts/taken' })
      .resolves({ Body: body(`Item: apple\nReference: ${RUN}`) });
    runner.on(HeadObjectCommand).resolves({ VersionId: 'v2' });
    const claimed = new Set(['receipts/taken']);
    const receipt = await waitForReceiptBySearch(
      scope(claimed),
      { order: apple, messageId: MSG, publishedAt: now },
      5_000,
    );
    expect(receipt).toMatchObject({ key: 'receipts/apple', versionId: 'v2' });
    expect(reader.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'receipts/pear',
      'receipts/apple',
    ]);
    expect([...claimed]).toEqual(['receipts/taken', 'receipts/apple']);
  });

  test('two orders looking at once never take the same receipt', async ({ expect }) => {
    const now = Date.now();
    runner.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'receipts/one', LastModified: at(now) }] });
    // Both searches read the object before either has decided: the second must not take it too.
    let release!: () => void;
    const bothReading = new Promise<void>((r) => (release = r));
    let reads = 0;
    reader.on(GetObjectCommand).callsFake(async () => {
      if (++reads === 2) release();
      await bothReading;
      return { Body: body('Item: apple\nQuantity: 3\nPrice: 1.2\nTotal: 3.6') };
    });
    runner.on(HeadObjectCommand).resolves({});
    const claimed = new Set<string>();
    const published = { order: apple, messageId: MSG, publishedAt: now };
    const first = waitForReceiptBySearch(scope(claimed), published, 400);
    const second = waitForReceiptBySearch(scope(claimed), { ...published, messageId: 'other' }, 400);
    const outcomes = await Promise.allSettled([first, second]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect([...claimed]).toEqual(['receipts/one']);
  });

  test('a wait that runs out says how many new objects it read and how to look', async ({ expect }) => {
    const now = Date.now();
    runner.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'receipts/pear', LastModified: at(now) }] });
    reader.on(GetObjectCommand).resolves({ Body: body('Item: pear') });
    const error = await waitForReceiptBySearch(
      scope(),
      { order: apple, messageId: MSG, publishedAt: now },
      300,
    ).then(
      () => new Error('a receipt came'),
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(LabDeviationError);
    expect(error.message).toMatch(
      /^waited \d+\.\ds for the receipt for apple under s3:\/\/b\/receipts\/; last saw: 1 new objects, none this order's/,
    );
    expect(error.message).toContain(
      "look yourself: aws s3api list-objects-v2 --bucket b --prefix 'receipts/'",
    );
  });

  test('a listing or a head the runner may not make is cannot-tell naming it', async ({ expect }) => {
    const now = Date.now();
    runner
      .on(ListObjectsV2Command)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: {} }));
    const published = { order: apple, messageId: MSG, publishedAt: now };
    await expect(waitForReceiptBySearch(scope(), published, 2_000)).rejects.toThrow(
      /^could not list s3:\/\/b\/receipts\/: AccessDenied/,
    );
    runner.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'receipts/x', LastModified: at(now) }] });
    reader.on(GetObjectCommand).resolves({ Body: body(`receipt of ${MSG}`) });
    runner
      .on(HeadObjectCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: {} }));
    await expect(waitForReceiptBySearch(scope(), published, 2_000)).rejects.toThrow(
      /^could not head s3:\/\/b\/receipts\/x: AccessDenied/,
    );
  });

  test('a candidate the reader may not read names the refusal', async ({ expect }) => {
    runner.on(ListObjectsV2Command).resolves({ Contents: [{ Key: 'receipts/x', LastModified: new Date() }] });
    reader
      .on(GetObjectCommand)
      .rejects(Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: {} }));
    const error = await waitForReceiptBySearch(
      scope(),
      { order: apple, messageId: MSG, publishedAt: Date.now() },
      2_000,
    ).then(
      () => new CannotTellError('a receipt came'),
      (e: CannotTellError) => e,
    );
    expect(error.message).toBe(
      'could not tell which object is the apple receipt: FinanceRole may not read s3://b/receipts/x (AccessDenied)',
    );
    expect(error.kind).toBe('denied');
  });
});
