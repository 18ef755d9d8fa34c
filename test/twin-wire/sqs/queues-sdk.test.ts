import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * SQS through the unchanged SDK client (awsJson 1.0, query-compatible
 * errors): queue lifecycle, attributes, messages, MD5s checked by the
 * client itself, batches, tags, and long polling woken by a send.
 */
let twin: TestTwin;
let sqs: SQSClient;

beforeAll(async () => {
  twin = await startTestTwin();
  sqs = new SQSClient(twin.clientConfig());
});
afterAll(() => twin.close());

async function queue(name: string, Attributes?: Record<string, string>): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return QueueUrl!;
}

describe('SQS queues', () => {
  test('CreateQueue mints the URL on the twin origin; GetQueueUrl and ListQueues agree', async () => {
    const url = await queue('orders');
    const account = twin.server.twin.accounts[0];
    expect(url).toBe(`${twin.endpoint}/${account}/orders`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
    await queue('orders-dlq');
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'orders' }));
    expect(QueueUrls).toEqual([url, `${twin.endpoint}/${account}/orders-dlq`]);
  });

  test('CreateQueue again with the same attributes returns the queue; a different value is QueueAlreadyExists', async () => {
    const url = await queue('same', { VisibilityTimeout: '45' });
    expect(await queue('same', { VisibilityTimeout: '45' })).toBe(url);
    const error = await sqs
      .send(new CreateQueueCommand({ QueueName: 'same', Attributes: { VisibilityTimeout: '60' } }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueNameExists);
    expect(error).toMatchObject({ Code: 'QueueAlreadyExists', $metadata: { httpStatusCode: 400 } });
  });

  test('an unknown queue is QueueDoesNotExist with the legacy code in e.Code', async () => {
    const error = await sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', Type: 'Sender' });
  });

  test('GetQueueAttributes All reports defaults, counts and the ARN; SetQueueAttributes changes them', async () => {
    const url = await queue('attrs');
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '120' } }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:${twin.server.twin.accounts[0]}:attrs`,
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: '120',
      MessageRetentionPeriod: '345600',
      MaximumMessageSize: '1048576',
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'true',
    });
    expect(Number(Attributes!.CreatedTimestamp)).toBeGreaterThan(1_600_000_000);
    const bad = await sqs
      .send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '99999' } }))
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({
      name: 'InvalidAttributeValue',
      Code: 'InvalidAttributeValue',
      Type: 'Sender',
    });
  });

  test('TagQueue / ListQueueTags, PurgeQueue, DeleteQueue', async () => {
    const url = await queue('tagged');
    await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'blue' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'blue' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'tagged' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });
});

describe('SQS messages', () => {
  test('SendMessage → ReceiveMessage round trip; the client checks the MD5s', async () => {
    const url = await queue('round-trip');
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'hello ü',
        MessageAttributes: {
          City: { DataType: 'String', StringValue: 'Any City' },
          Blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('hello ü').digest('hex'));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SenderId', 'ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    expect(Messages).toHaveLength(1);
    const [m] = Messages!;
    expect(m).toMatchObject({
      MessageId: sent.MessageId,
      Body: 'hello ü',
      MD5OfMessageAttributes: sent.MD5OfMessageAttributes,
      Attributes: { SenderId: twin.server.twin.accounts[0], ApproximateReceiveCount: '1' },
      MessageAttributes: { City: { DataType: 'String', StringValue: 'Any City' } },
    });
    expect(m!.MessageAttributes!.Blob!.BinaryValue).toEqual(new Uint8Array([1, 2, 3]));
  });

  test('a received message is invisible until its visibility timeout; ChangeMessageVisibility 0 releases it', async () => {
    const url = await queue('visibility');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'once' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url,
        ReceiptHandle: first.Messages![0]!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const again = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(again.Messages![0]!.Attributes).toEqual({ ApproximateReceiveCount: '2' });
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages![0]!.ReceiptHandle }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  test('SendMessageBatch and DeleteMessageBatch report each entry', async () => {
    const url = await queue('batch');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two' },
          { Id: 'c', MessageBody: 'bad \u0000 char' },
        ],
      }),
    );
    expect(sent.Successful?.map((e) => e.Id)).toEqual(['a', 'b']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'c', SenderFault: true, Code: 'InvalidMessageContents' }),
    ]);
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
    );
    expect(Messages?.map((m) => m.Body)).toEqual(['one', 'two']);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
  });

  test('a long poll returns as soon as a message arrives', async () => {
    const url = await queue('long-poll');
    const started = Date.now();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((r) => setTimeout(r, 50));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const { Messages } = await polling;
    expect(Messages?.[0]?.Body).toBe('wake up');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
