import { beforeEach, describe, expect, test, vi } from 'vitest';
import { AwsError } from '../../../../twin/core/errors.ts';
import { pipelineStats } from '../../../../twin/pipeline/index.ts';
import type { KeyUse } from '../../../../twin/services/kms/lookups.ts';
import { logs } from '../../../../twin/services/logs/api.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, B, type Fixture, fixture, policy, REGION } from '../sqs/fixtures.ts';

/**
 * SNS → SQS, one pipeline hop after Publish, judged as AWS judges SNS's own
 * call: the queue policy must allow sns.amazonaws.com for this topic, and
 * an SSE-KMS queue's key must let SNS GenerateDataKey and Decrypt (KMS
 * stood in for: it refuses whatever a test lists). A refused delivery is
 * dropped and counted; the publisher sees success either way.
 */
const kms = vi.hoisted(() => ({ refuse: new Set<string>(), calls: [] as KeyUse[] }));
vi.mock('../../../../twin/services/kms/lookups.ts', () => ({
  useKeyOnBehalf(use: KeyUse) {
    kms.calls.push(use);
    if (kms.refuse.has(`${use.principal.arn} ${use.operation}`))
      throw new AwsError(
        'AccessDeniedException',
        `User: ${use.principal.arn} is not authorized to perform: kms:${use.operation}`,
      );
    return { keyArn: use.keyId, keyId: use.keyId };
  },
}));

let f: Fixture;
let hop: number;
beforeEach(() => {
  kms.refuse.clear();
  kms.calls.length = 0;
  f = fixture();
  hop = delay(f.twin.profile, 'pipelineHopMs');
});

const topicArn = (name: string, account = A) => `arn:aws:sns:${REGION}:${account}:${name}`;
const snsAllows = (queue: string, condition?: object, account = A) =>
  policy({
    Effect: 'Allow',
    Principal: { Service: 'sns.amazonaws.com' },
    Action: 'sqs:SendMessage',
    Resource: f.queueArn(queue, account),
    ...(condition && { Condition: condition }),
  });

async function queue(name: string, Attributes: Record<string, string> = {}, account = A): Promise<string> {
  const out = await f.sqs<{ QueueUrl: string }>(
    'CreateQueue',
    { QueueName: name, Attributes },
    rootCredential(account),
  );
  return out.QueueUrl;
}
async function topicTo(
  topic: string,
  queueName: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  await f.sns('CreateTopic', { Name: topic });
  const out = await f.sns<{ SubscriptionArn: string }>('Subscribe', {
    TopicArn: topicArn(topic),
    Protocol: 'sqs',
    Endpoint: f.queueArn(queueName),
    Attributes: attributes,
  });
  return out.SubscriptionArn;
}
const publish = (topic: string, input: object = {}) =>
  f.sns<{ MessageId: string }>('Publish', { TopicArn: topicArn(topic), Message: 'hello', ...input });
const bodies = async (url: string) => {
  const out = await f.sqs<{ Messages?: { Body: string }[] }>('ReceiveMessage', {
    QueueUrl: url,
    MaxNumberOfMessages: 10,
  });
  return (out.Messages ?? []).map((m) => m.Body);
};

describe('the queue policy decides', () => {
  test('a policy allowing only one topic by aws:SourceArn lets that topic in and keeps the other out', async () => {
    const url = await queue('inbox', {
      Policy: snsAllows('inbox', { ArnEquals: { 'aws:SourceArn': topicArn('allowed') } }),
    });
    await topicTo('allowed', 'inbox');
    const other = await topicTo('other', 'inbox');
    await publish('allowed', { Message: 'in' });
    const refused = await publish('other', { Message: 'out' });
    expect(refused.MessageId).toBeDefined();
    await f.advance(hop);
    expect((await bodies(url)).map((b) => JSON.parse(b).Message)).toEqual(['in']);
    expect(pipelineStats(f.twin).subscriptions[other]).toMatchObject({ delivered: 0, failed: 1 });
    expect(pipelineStats(f.twin).topics[topicArn('other')]).toMatchObject({ published: 1, failed: 1 });
  });

  test('aws:SourceAccount conditions see the topic owner', async () => {
    const url = await queue('inbox', {
      Policy: snsAllows('inbox', { StringEquals: { 'aws:SourceAccount': A } }),
    });
    await topicTo('t', 'inbox');
    await publish('t');
    await f.advance(hop);
    expect(await bodies(url)).toHaveLength(1);
  });

  test('with no statement for SNS the message is dropped, counted, and nothing else happens', async () => {
    const url = await queue('inbox');
    const sub = await topicTo('t', 'inbox');
    await publish('t');
    await f.advance(hop);
    expect(await bodies(url)).toEqual([]);
    expect(pipelineStats(f.twin).subscriptions[sub]).toMatchObject({
      failed: 1,
      lastFailure: expect.stringMatching(
        /^AccessDenied: User: sns.amazonaws.com is not authorized to perform: sqs:sendmessage/,
      ),
    });
  });

  test('delivery waits one pipeline hop', async () => {
    const url = await queue('inbox', { Policy: snsAllows('inbox') });
    await topicTo('t', 'inbox');
    await publish('t');
    await f.advance(hop - 1);
    expect(await bodies(url)).toEqual([]);
    await f.advance(1);
    expect(await bodies(url)).toHaveLength(1);
  });
});

describe('an SSE-KMS queue needs its key to trust SNS', () => {
  test('a key that refuses sns.amazonaws.com drops the message; one that allows it delivers', async () => {
    const url = await queue('secret', { Policy: snsAllows('secret'), KmsMasterKeyId: 'alias/queue-key' });
    const sub = await topicTo('t', 'secret');
    kms.refuse.add('sns.amazonaws.com GenerateDataKey');
    await publish('t');
    await f.advance(hop);
    expect(await bodies(url)).toEqual([]);
    expect(pipelineStats(f.twin).subscriptions[sub]?.lastFailure).toMatch(/^KmsAccessDenied: /);
    kms.refuse.clear();
    kms.calls.length = 0;
    await publish('t');
    await f.advance(hop);
    expect(await bodies(url)).toHaveLength(1);
    expect(kms.calls.slice(0, 2)).toEqual([
      expect.objectContaining({
        operation: 'GenerateDataKey',
        principal: expect.objectContaining({ kind: 'service', service: 'sns.amazonaws.com' }),
        sourceArn: topicArn('t'),
        sourceAccount: A,
      }),
      expect.objectContaining({ operation: 'Decrypt' }),
    ]);
    expect(kms.calls[0]).not.toHaveProperty('viaService');
  });
});

describe('what the queue receives', () => {
  test('the SNS envelope, in SNS order and layout, with links on the twin', async () => {
    const url = await queue('inbox', { Policy: snsAllows('inbox') });
    const sub = await topicTo('t', 'inbox');
    const { MessageId } = await publish('t', {
      Subject: 'hi',
      MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    });
    await f.advance(hop);
    const [body] = await bodies(url);
    const lines = body!.split('\n');
    expect(lines[0]).toBe('{');
    expect(lines.slice(1, 7)).toEqual([
      '  "Type" : "Notification",',
      `  "MessageId" : "${MessageId}",`,
      `  "TopicArn" : "${topicArn('t')}",`,
      '  "Subject" : "hi",',
      '  "Message" : "hello",',
      `  "Timestamp" : "${new Date(f.clock.now() - hop).toISOString()}",`,
    ]);
    const parsed = JSON.parse(body!);
    expect(parsed).toMatchObject({
      SignatureVersion: '1',
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      SigningCertURL: `${f.twin.origin}/SimpleNotificationService-twin.pem`,
      UnsubscribeURL: `${f.twin.origin}/?Action=Unsubscribe&SubscriptionArn=${sub}`,
      MessageAttributes: { k: { Type: 'String', Value: 'v' } },
    });
    expect(Object.keys(parsed).at(-1)).toBe('MessageAttributes');
  });

  test('the message is sent by SNS: SenderId is SNS, not the publisher', async () => {
    const url = await queue('inbox', { Policy: snsAllows('inbox') });
    await topicTo('t', 'inbox');
    await publish('t');
    await f.advance(hop);
    const out = await f.sqs<{ Messages: { Attributes: Record<string, string> }[] }>('ReceiveMessage', {
      QueueUrl: url,
      MessageSystemAttributeNames: ['SenderId'],
    });
    expect(out.Messages[0]!.Attributes.SenderId).not.toBe(A);
  });

  test('MessageStructure json gives the sqs entry to SQS, and a filter policy keeps other messages out', async () => {
    const url = await queue('inbox', { Policy: snsAllows('inbox') });
    await topicTo('t', 'inbox', {
      RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify({ kind: ['created', { prefix: 'up' }] }),
    });
    const kind = (v: string) => ({ kind: { DataType: 'String', StringValue: v } });
    await publish('t', {
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'd', sqs: 'for sqs' }),
      MessageAttributes: kind('created'),
    });
    await publish('t', { Message: 'updated', MessageAttributes: kind('updated') });
    await publish('t', { Message: 'deleted', MessageAttributes: kind('deleted') });
    await publish('t', { Message: 'no attributes' });
    await f.advance(hop);
    expect(await bodies(url)).toEqual(['for sqs', 'updated']);
  });
});

describe('cross-account subscriptions', () => {
  test("the topic owner subscribing another account's queue waits for confirmation sent to the queue", async () => {
    const url = await queue('theirs', { Policy: snsAllows('theirs', undefined, B) }, B);
    await f.sns('CreateTopic', { Name: 't' });
    const out = await f.sns('Subscribe', {
      TopicArn: topicArn('t'),
      Protocol: 'sqs',
      Endpoint: f.queueArn('theirs', B),
    });
    expect(out).toEqual({ SubscriptionArn: 'pending confirmation' });
    await publish('t', { Message: 'too early' });
    await f.advance(hop);
    const received = await f.sqs<{ Messages: { Body: string }[] }>(
      'ReceiveMessage',
      { QueueUrl: url, MaxNumberOfMessages: 10 },
      rootCredential(B),
    );
    const confirmation = JSON.parse(received.Messages[0]!.Body);
    expect(received.Messages).toHaveLength(1);
    expect(confirmation).toMatchObject({
      Type: 'SubscriptionConfirmation',
      TopicArn: topicArn('t'),
      Token: expect.any(String),
    });
    await f.sns(
      'ConfirmSubscription',
      { TopicArn: topicArn('t'), Token: confirmation.Token },
      rootCredential(B),
    );
    await publish('t', { Message: 'now' });
    await f.advance(hop);
    const after = await f.sqs<{ Messages: { Body: string }[] }>(
      'ReceiveMessage',
      { QueueUrl: url },
      rootCredential(B),
    );
    expect(JSON.parse(after.Messages[0]!.Body).Message).toBe('now');
  });

  test("the queue owner subscribing to another account's topic is confirmed at once when the topic policy lets it", async () => {
    await queue('mine', { Policy: snsAllows('mine', undefined, B) }, B);
    await f.sns('CreateTopic', { Name: 't' });
    const subscribe = () =>
      f.sns(
        'Subscribe',
        { TopicArn: topicArn('t'), Protocol: 'sqs', Endpoint: f.queueArn('mine', B) },
        rootCredential(B),
      );
    await expect(subscribe()).rejects.toMatchObject({ code: 'AuthorizationErrorException' });
    await f.sns('SetTopicAttributes', {
      TopicArn: topicArn('t'),
      AttributeName: 'Policy',
      AttributeValue: policy({
        Effect: 'Allow',
        Principal: { AWS: B },
        Action: 'sns:Subscribe',
        Resource: topicArn('t'),
      }),
    });
    await expect(subscribe()).resolves.toMatchObject({
      SubscriptionArn: expect.stringMatching(/^arn:aws:sns:/),
    });
  });
});

describe('delivery status logging', () => {
  test('a failure is written to sns/REGION/ACCOUNT/TOPIC/Failure as the feedback role', async () => {
    await f.iam('CreateRole', {
      RoleName: 'sns-feedback',
      AssumeRolePolicyDocument: policy({
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    });
    await f.iam('PutRolePolicy', {
      RoleName: 'sns-feedback',
      PolicyName: 'logs',
      PolicyDocument: policy({
        Effect: 'Allow',
        Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      }),
    });
    await queue('inbox');
    await topicTo('t', 'inbox');
    await f.sns('SetTopicAttributes', {
      TopicArn: topicArn('t'),
      AttributeName: 'SQSFailureFeedbackRoleArn',
      AttributeValue: `arn:aws:iam::${A}:role/sns-feedback`,
    });
    const { MessageId } = await publish('t');
    await f.advance(hop);
    const group = f.twin.model(logs, A, REGION).groups.get(`sns/${REGION}/${A}/t/Failure`);
    expect(group).toBeDefined();
    const events = [...group!.streams.values()].flatMap((s) => s.events.map((e) => JSON.parse(e.message)));
    expect(events).toEqual([
      expect.objectContaining({
        status: 'FAILURE',
        notification: expect.objectContaining({ messageId: MessageId, topicArn: topicArn('t') }),
        delivery: expect.objectContaining({ destination: f.queueArn('inbox'), statusCode: 403 }),
      }),
    ]);
  });
});
