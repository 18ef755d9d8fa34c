import { beforeEach, describe, expect, test } from 'vitest';
import { A, type Fixture, fixture } from './fixtures.ts';

/** Queue rules: names, idempotent creation, attribute ranges, redrive targets, deletion, permissions. */
let f: Fixture;
beforeEach(() => {
  f = fixture();
});

const attributes = (name: string, AttributeNames = ['All']) =>
  f
    .sqs<{ Attributes: Record<string, string> }>('GetQueueAttributes', {
      QueueUrl: f.queueUrl(name),
      AttributeNames,
    })
    .then((o) => o.Attributes);

describe('CreateQueue', () => {
  test.for([
    ['a space', 'bad name'],
    ['81 characters', 'q'.repeat(81)],
    ['.fifo without FifoQueue', 'orders.fifo'],
  ])('refuses a name with %s', async ([, QueueName]) => {
    await expect(f.sqs('CreateQueue', { QueueName })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('a FIFO queue needs the .fifo suffix and reports FifoQueue', async () => {
    await expect(
      f.sqs('CreateQueue', { QueueName: 'orders', Attributes: { FifoQueue: 'true' } }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await f.sqs('CreateQueue', { QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } });
    expect(await attributes('orders.fifo')).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
    });
  });

  test('the same name with a different attribute value is QueueNameExists, naming the attribute', async () => {
    await f.sqs('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: '5' } });
    await expect(f.sqs('CreateQueue', { QueueName: 'q' })).resolves.toMatchObject({
      QueueUrl: f.queueUrl('q'),
    });
    await expect(
      f.sqs('CreateQueue', { QueueName: 'q', Attributes: { DelaySeconds: '6' } }),
    ).rejects.toMatchObject({
      code: 'QueueNameExists',
      message: 'A queue already exists with the same name and a different value for attribute DelaySeconds',
    });
  });

  test.for([
    ['VisibilityTimeout', '43201'],
    ['DelaySeconds', '-1'],
    ['MessageRetentionPeriod', '59'],
    ['ReceiveMessageWaitTimeSeconds', '21'],
    ['KmsDataKeyReusePeriodSeconds', '59'],
    ['Policy', 'not json'],
  ] as [string, string][])('refuses %s = %s', async ([name, value]) => {
    await expect(
      f.sqs('CreateQueue', { QueueName: 'q', Attributes: { [name]: value } }),
    ).rejects.toMatchObject({
      code: 'InvalidAttributeValue',
    });
  });

  test('an unknown attribute is InvalidAttributeName', async () => {
    await expect(
      f.sqs('CreateQueue', { QueueName: 'q', Attributes: { Colour: 'blue' } }),
    ).rejects.toMatchObject({
      code: 'InvalidAttributeName',
    });
  });

  test('a queue cannot be made again within 60 seconds of its deletion', async () => {
    await f.sqs('CreateQueue', { QueueName: 'q' });
    await f.sqs('DeleteQueue', { QueueUrl: f.queueUrl('q') });
    await expect(f.sqs('CreateQueue', { QueueName: 'q' })).rejects.toMatchObject({
      code: 'QueueDeletedRecently',
    });
    f.clock.advance(60_000);
    await expect(f.sqs('CreateQueue', { QueueName: 'q' })).resolves.toBeDefined();
  });
});

describe('attributes', () => {
  test('SSE: SQS-managed by default; a KMS key turns it off and reports the reuse period', async () => {
    await f.sqs('CreateQueue', { QueueName: 'q' });
    expect(await attributes('q')).toMatchObject({ SqsManagedSseEnabled: 'true' });
    expect(await attributes('q')).not.toHaveProperty('KmsMasterKeyId');
    await f.sqs('SetQueueAttributes', {
      QueueUrl: f.queueUrl('q'),
      Attributes: { KmsMasterKeyId: 'alias/orders' },
    });
    expect(await attributes('q')).toMatchObject({
      SqsManagedSseEnabled: 'false',
      KmsMasterKeyId: 'alias/orders',
      KmsDataKeyReusePeriodSeconds: '300',
    });
  });

  test('a bad attribute in SetQueueAttributes changes nothing', async () => {
    await f.sqs('CreateQueue', { QueueName: 'q' });
    await expect(
      f.sqs('SetQueueAttributes', {
        QueueUrl: f.queueUrl('q'),
        Attributes: { VisibilityTimeout: '10', DelaySeconds: '901' },
      }),
    ).rejects.toMatchObject({ code: 'InvalidAttributeValue' });
    expect(await attributes('q', ['VisibilityTimeout'])).toEqual({ VisibilityTimeout: '30' });
  });

  test('RedrivePolicy needs an existing target of the same type and is stored normalized', async () => {
    await f.sqs('CreateQueue', { QueueName: 'dlq' });
    const missing = JSON.stringify({ deadLetterTargetArn: f.queueArn('nope'), maxReceiveCount: '3' });
    await expect(
      f.sqs('CreateQueue', { QueueName: 'src', Attributes: { RedrivePolicy: missing } }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    const good = JSON.stringify({ deadLetterTargetArn: f.queueArn('dlq'), maxReceiveCount: '3' });
    await f.sqs('CreateQueue', { QueueName: 'src', Attributes: { RedrivePolicy: good } });
    expect(await attributes('src', ['RedrivePolicy'])).toEqual({
      RedrivePolicy: `{"deadLetterTargetArn":"${f.queueArn('dlq')}","maxReceiveCount":3}`,
    });
    const sources = await f.sqs('ListDeadLetterSourceQueues', { QueueUrl: f.queueUrl('dlq') });
    expect(sources).toEqual({ queueUrls: [f.queueUrl('src')] });
  });

  test('AddPermission writes an account statement into the queue policy; RemovePermission takes it out', async () => {
    await f.sqs('CreateQueue', { QueueName: 'q' });
    await f.sqs('AddPermission', {
      QueueUrl: f.queueUrl('q'),
      Label: 'partner',
      AWSAccountIds: ['444455556666'],
      Actions: ['SendMessage'],
    });
    const { Policy } = await attributes('q', ['Policy']);
    expect(JSON.parse(Policy!)).toMatchObject({
      Statement: [
        {
          Sid: 'partner',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::444455556666:root' },
          Action: 'SQS:SendMessage',
          Resource: f.queueArn('q'),
        },
      ],
    });
    await f.sqs('RemovePermission', { QueueUrl: f.queueUrl('q'), Label: 'partner' });
    expect(await attributes('q', ['Policy'])).toBeUndefined();
  });
});

describe('ListQueues and URLs', () => {
  test('pages with MaxResults and NextToken, by prefix', async () => {
    for (const name of ['a1', 'a2', 'a3', 'b1']) await f.sqs('CreateQueue', { QueueName: name });
    const first = await f.sqs<{ QueueUrls: string[]; NextToken: string }>('ListQueues', {
      QueueNamePrefix: 'a',
      MaxResults: 2,
    });
    expect(first.QueueUrls).toEqual([f.queueUrl('a1'), f.queueUrl('a2')]);
    const second = await f.sqs('ListQueues', {
      QueueNamePrefix: 'a',
      MaxResults: 2,
      NextToken: first.NextToken,
    });
    expect(second).toEqual({ QueueUrls: [f.queueUrl('a3')] });
  });

  test('a URL in AWS form resolves to the same queue; a URL without account and name is InvalidAddress', async () => {
    await f.sqs('CreateQueue', { QueueName: 'q' });
    const aws = `https://sqs.us-east-1.amazonaws.com/${A}/q`;
    await expect(
      f.sqs('GetQueueAttributes', { QueueUrl: aws, AttributeNames: ['QueueArn'] }),
    ).resolves.toEqual({
      Attributes: { QueueArn: f.queueArn('q') },
    });
    await expect(f.sqs('GetQueueAttributes', { QueueUrl: 'http://127.0.0.1/q' })).rejects.toMatchObject({
      code: 'InvalidAddress',
    });
  });
});
