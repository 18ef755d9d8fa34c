import { beforeEach, describe, expect, test } from 'vitest';
import { type Fixture, fixture, settle } from './fixtures.ts';

/** Messages on the twin's clock: visibility, delay, retention, long polling, redrive, FIFO, receipt handles. */
let f: Fixture;
let url: string;

type Received = {
  Messages?: {
    MessageId: string;
    Body: string;
    ReceiptHandle: string;
    Attributes?: Record<string, string>;
  }[];
};

beforeEach(async () => {
  f = fixture();
  url = (
    await f.sqs<{ QueueUrl: string }>('CreateQueue', {
      QueueName: 'q',
      Attributes: { VisibilityTimeout: '30' },
    })
  ).QueueUrl;
});

const send = (MessageBody: string, extra: object = {}, QueueUrl = url) =>
  f.sqs<{ MessageId: string }>('SendMessage', { QueueUrl, MessageBody, ...extra });
const receive = (extra: object = {}, QueueUrl = url) =>
  f.sqs<Received>('ReceiveMessage', { QueueUrl, MaxNumberOfMessages: 10, ...extra });
const counts = async () =>
  (
    await f.sqs<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: url,
      AttributeNames: ['All'],
    })
  ).Attributes;

describe('visibility', () => {
  test('a received message comes back after its visibility timeout, with a higher receive count', async () => {
    await send('m');
    await receive();
    expect(await receive()).toEqual({});
    expect(await counts()).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    f.clock.advance(29_999);
    expect(await receive()).toEqual({});
    f.clock.advance(1);
    const again = await receive({ MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(again.Messages?.[0]?.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  });

  test('ReceiveMessage VisibilityTimeout overrides the queue default', async () => {
    await send('m');
    await receive({ VisibilityTimeout: 5 });
    f.clock.advance(5_000);
    expect((await receive()).Messages).toHaveLength(1);
  });

  test('only the latest receipt handle deletes; a stale one succeeds without deleting', async () => {
    await send('m');
    const first = (await receive({ VisibilityTimeout: 0 })).Messages![0]!;
    const second = (await receive()).Messages![0]!;
    await f.sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: first.ReceiptHandle });
    expect(await counts()).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '1' });
    await f.sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: second.ReceiptHandle });
    expect(await counts()).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    await expect(f.sqs('DeleteMessage', { QueueUrl: url, ReceiptHandle: 'garbage' })).rejects.toMatchObject({
      code: 'ReceiptHandleIsInvalid',
    });
  });

  test('ChangeMessageVisibility on a message no longer in flight is MessageNotInflight', async () => {
    await send('m');
    const m = (await receive({ VisibilityTimeout: 1 })).Messages![0]!;
    f.clock.advance(1_000);
    await expect(
      f.sqs('ChangeMessageVisibility', {
        QueueUrl: url,
        ReceiptHandle: m.ReceiptHandle,
        VisibilityTimeout: 10,
      }),
    ).rejects.toMatchObject({ code: 'MessageNotInflight' });
  });
});

describe('delay and retention', () => {
  test('DelaySeconds keeps a message back and counts it as delayed', async () => {
    await send('later', { DelaySeconds: 10 });
    expect(await counts()).toMatchObject({
      ApproximateNumberOfMessagesDelayed: '1',
      ApproximateNumberOfMessages: '0',
    });
    expect(await receive()).toEqual({});
    f.clock.advance(10_000);
    expect((await receive()).Messages?.[0]?.Body).toBe('later');
  });

  test('messages older than the retention period are gone', async () => {
    await f.sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { MessageRetentionPeriod: '60' } });
    await send('old');
    f.clock.advance(60_000);
    expect(await receive()).toEqual({});
  });
});

describe('long polling on the twin clock', () => {
  test('a waiting receive returns when a message is sent', async () => {
    const polling = receive({ WaitTimeSeconds: 20 });
    await settle();
    await send('now');
    expect((await polling).Messages?.[0]?.Body).toBe('now');
  });

  test('with nothing to receive it returns empty once WaitTimeSeconds pass, not before', async () => {
    let done = false;
    const polling = receive({ WaitTimeSeconds: 20 }).then((r) => {
      done = true;
      return r;
    });
    await settle();
    await f.advance(19_999);
    await settle();
    expect(done).toBe(false);
    await f.advance(1);
    expect(await polling).toEqual({});
  });

  test('a waiting receive wakes when an in-flight message becomes visible again', async () => {
    await send('retry');
    await receive({ VisibilityTimeout: 5 });
    const polling = receive({ WaitTimeSeconds: 20 });
    await settle();
    await f.advance(5_000);
    expect((await polling).Messages?.[0]?.Body).toBe('retry');
  });

  test('ReceiveMessageWaitTimeSeconds makes long polling the default', async () => {
    await f.sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { ReceiveMessageWaitTimeSeconds: '5' } });
    let done = false;
    const polling = receive().then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);
    await f.advance(5_000);
    await polling;
    expect(done).toBe(true);
  });
});

describe('dead-letter redrive', () => {
  test('after maxReceiveCount receives the message moves to the dead-letter queue', async () => {
    const dlq = (await f.sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: 'dlq' })).QueueUrl;
    const RedrivePolicy = JSON.stringify({ deadLetterTargetArn: f.queueArn('dlq'), maxReceiveCount: 2 });
    await f.sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { RedrivePolicy } });
    const { MessageId } = await send('poison');
    await receive();
    f.clock.advance(30_000);
    await receive();
    f.clock.advance(30_000);
    expect(await receive()).toEqual({});
    const moved = await receive({ MessageSystemAttributeNames: ['All'] }, dlq);
    expect(moved.Messages?.[0]).toMatchObject({
      MessageId,
      Body: 'poison',
      Attributes: { DeadLetterQueueSourceArn: f.queueArn('q') },
    });
  });
});

describe('FIFO', () => {
  test('a group with a message in flight holds back its next message; a duplicate is dropped', async () => {
    const fifo = (
      await f.sqs<{ QueueUrl: string }>('CreateQueue', {
        QueueName: 'q.fifo',
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true' },
      })
    ).QueueUrl;
    await expect(send('x', {}, fifo)).rejects.toMatchObject({ code: 'MissingParameter' });
    const one = await send('one', { MessageGroupId: 'g' }, fifo);
    expect(await send('one', { MessageGroupId: 'g' }, fifo)).toMatchObject({ MessageId: one.MessageId });
    await send('two', { MessageGroupId: 'g' }, fifo);
    await send('other', { MessageGroupId: 'h' }, fifo);
    const first = await receive({ MaxNumberOfMessages: 1 }, fifo);
    expect(first.Messages?.map((m) => m.Body)).toEqual(['one']);
    expect((await receive({}, fifo)).Messages?.map((m) => m.Body)).toEqual(['other']);
  });
});

describe('send validation', () => {
  test.for([
    ['an empty body', { MessageBody: '' }, 'MissingParameter'],
    ['a NUL character', { MessageBody: 'a\u0000b' }, 'InvalidMessageContents'],
    ['DelaySeconds 901', { MessageBody: 'x', DelaySeconds: 901 }, 'InvalidParameterValue'],
    [
      'an attribute without a value',
      { MessageBody: 'x', MessageAttributes: { a: { DataType: 'String' } } },
      'InvalidParameterValue',
    ],
  ] as const)('refuses %s', async ([, input, code]) => {
    await expect(f.sqs('SendMessage', { QueueUrl: url, ...input })).rejects.toMatchObject({ code });
  });

  test('a body over MaximumMessageSize is refused', async () => {
    await f.sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { MaximumMessageSize: '1024' } });
    await expect(send('x'.repeat(1025))).rejects.toMatchObject({ code: 'InvalidParameterValue' });
  });
});
