import { beforeEach, describe, expect, test } from 'vitest';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, B, type Fixture, fixture, policy, REGION } from '../sqs/fixtures.ts';

/** Topic and subscription rules, and who may act on a topic under its policy. */
let f: Fixture;
const arn = (name: string, account = A) => `arn:aws:sns:${REGION}:${account}:${name}`;
type Attrs = { Attributes: Record<string, string> };

beforeEach(async () => {
  f = fixture();
  await f.sns('CreateTopic', { Name: 't' });
});

describe('CreateTopic', () => {
  test('is idempotent for the same attributes and refuses different ones', async () => {
    await f.sns('CreateTopic', { Name: 'named', Attributes: { DisplayName: 'N' } });
    await expect(f.sns('CreateTopic', { Name: 'named', Attributes: { DisplayName: 'N' } })).resolves.toEqual({
      TopicArn: arn('named'),
    });
    await expect(
      f.sns('CreateTopic', { Name: 'named', Attributes: { DisplayName: 'M' } }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    });
  });

  test.for([['bad name'], ['x'.repeat(257)]])('refuses the name %#', async ([Name]) => {
    await expect(f.sns('CreateTopic', { Name })).rejects.toMatchObject({ code: 'InvalidParameterException' });
  });

  test('a FIFO topic needs the .fifo suffix', async () => {
    await expect(
      f.sns('CreateTopic', { Name: 'f', Attributes: { FifoTopic: 'true' } }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException' });
    await f.sns('CreateTopic', { Name: 'f.fifo', Attributes: { FifoTopic: 'true' } });
    expect((await f.sns<Attrs>('GetTopicAttributes', { TopicArn: arn('f.fifo') })).Attributes).toMatchObject({
      FifoTopic: 'true',
    });
  });

  test('an unknown attribute is InvalidParameter', async () => {
    await expect(
      f.sns('SetTopicAttributes', { TopicArn: arn('t'), AttributeName: 'Colour', AttributeValue: 'x' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid parameter: AttributeName',
    });
  });

  test('a malformed ARN is InvalidParameter, an unknown topic NotFound', async () => {
    await expect(f.sns('GetTopicAttributes', { TopicArn: 'nope' })).rejects.toMatchObject({
      code: 'InvalidParameterException',
      message: 'Invalid parameter: TopicArn',
    });
    await expect(f.sns('GetTopicAttributes', { TopicArn: arn('nope') })).rejects.toMatchObject({
      code: 'NotFoundException',
      message: 'Topic does not exist',
    });
  });
});

describe('the topic policy', () => {
  test('the default policy does not let an IAM user of the owner account publish without an identity policy', async () => {
    const user = await f.user(A, 'plain');
    await expect(f.sns('Publish', { TopicArn: arn('t'), Message: 'm' }, user)).rejects.toMatchObject({
      code: 'AuthorizationErrorException',
      message: expect.stringContaining('because no identity-based policy allows the SNS:Publish action'),
    });
    const publisher = await f.user(A, 'publisher', {
      Effect: 'Allow',
      Action: 'sns:Publish',
      Resource: arn('t'),
    });
    await expect(f.sns('Publish', { TopicArn: arn('t'), Message: 'm' }, publisher)).resolves.toHaveProperty(
      'MessageId',
    );
  });

  test('another account publishes only when the topic policy names it', async () => {
    const publish = () => f.sns('Publish', { TopicArn: arn('t'), Message: 'm' }, rootCredential(B));
    await expect(publish()).rejects.toMatchObject({ code: 'AuthorizationErrorException' });
    await f.sns('SetTopicAttributes', {
      TopicArn: arn('t'),
      AttributeName: 'Policy',
      AttributeValue: policy({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${B}:root` },
        Action: 'SNS:Publish',
        Resource: arn('t'),
      }),
    });
    await expect(publish()).resolves.toHaveProperty('MessageId');
  });

  test('tagging at creation also needs sns:TagResource', async () => {
    const user = await f.user(A, 'creator', { Effect: 'Allow', Action: 'sns:CreateTopic', Resource: '*' });
    await expect(f.sns('CreateTopic', { Name: 'plain' }, user)).resolves.toBeDefined();
    await expect(
      f.sns('CreateTopic', { Name: 'tagged', Tags: [{ Key: 'a', Value: 'b' }] }, user),
    ).rejects.toMatchObject({
      code: 'AuthorizationErrorException',
      message: expect.stringContaining('SNS:TagResource'),
    });
  });
});

describe('subscriptions', () => {
  const subscribe = (Protocol: string, Endpoint: string, extra: object = {}) =>
    f.sns<{ SubscriptionArn: string }>('Subscribe', { TopicArn: arn('t'), Protocol, Endpoint, ...extra });

  test('an sqs endpoint must be a queue ARN; a lambda endpoint a function ARN', async () => {
    await expect(subscribe('sqs', 'https://example.com/q')).rejects.toMatchObject({
      message: 'Invalid parameter: SQS endpoint ARN',
    });
    await expect(subscribe('lambda', 'fn')).rejects.toMatchObject({
      message: 'Invalid parameter: Lambda endpoint ARN',
    });
    await expect(subscribe('carrier-pigeon', 'x')).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
  });

  test('subscribing the same endpoint again returns the same subscription', async () => {
    const one = await subscribe('sqs', f.queueArn('q'));
    expect(await subscribe('sqs', f.queueArn('q'))).toEqual(one);
    const listed = await f.sns<{ Subscriptions: unknown[] }>('ListSubscriptions', {});
    expect(listed.Subscriptions).toHaveLength(1);
  });

  test('an email subscription stays pending; ReturnSubscriptionArn shows its ARN', async () => {
    expect(await subscribe('email', 'ops@example.com')).toEqual({ SubscriptionArn: 'pending confirmation' });
    const withArn = await subscribe('email', 'dev@example.com', { ReturnSubscriptionArn: true });
    expect(withArn.SubscriptionArn).toMatch(/^arn:aws:sns:/);
    const attrs = await f.sns<Attrs>('GetSubscriptionAttributes', {
      SubscriptionArn: withArn.SubscriptionArn,
    });
    expect(attrs.Attributes).toMatchObject({ PendingConfirmation: 'true', Protocol: 'email' });
    const topic = await f.sns<Attrs>('GetTopicAttributes', { TopicArn: arn('t') });
    expect(topic.Attributes).toMatchObject({ SubscriptionsPending: '2', SubscriptionsConfirmed: '0' });
  });

  test('raw delivery is for sqs (and http/firehose) only; filter policies must be JSON objects', async () => {
    const lambda = await subscribe('lambda', `arn:aws:lambda:${REGION}:${A}:function:fn`);
    await expect(
      f.sns('SetSubscriptionAttributes', {
        SubscriptionArn: lambda.SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException' });
    await expect(
      f.sns('SetSubscriptionAttributes', {
        SubscriptionArn: lambda.SubscriptionArn,
        AttributeName: 'FilterPolicy',
        AttributeValue: '[1]',
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterException' });
  });

  test('Unsubscribe of an unknown subscription is NotFound', async () => {
    await expect(
      f.sns('Unsubscribe', { SubscriptionArn: `${arn('t')}:00000000-0000-4000-a000-000000000000` }),
    ).rejects.toMatchObject({
      code: 'NotFoundException',
    });
  });
});
