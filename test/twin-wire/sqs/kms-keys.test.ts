import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateTopicCommand,
  KMSAccessDeniedException,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  KmsAccessDenied,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pipelineStats } from '../../../twin/pipeline/index.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * SSE-KMS queues and topics with the twin's own KMS: the key policy and
 * the caller's IAM policies decide, as on AWS. A key whose policy does not
 * name sns.amazonaws.com keeps SNS out of the queue; a producer without
 * kms:GenerateDataKey gets KmsAccessDenied; a publisher to an encrypted
 * topic without it gets KMSAccessDeniedException.
 */
let twin: TestTwin;
let account: string;
let sqs: SQSClient;
let sns: SNSClient;
let kms: KMSClient;
let keyArn: string;

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const rootStatement = () => ({
  Sid: 'root',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

async function user(name: string, ...statements: object[]) {
  const iam = new IAMClient(twin.clientConfig());
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(
    new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc(...statements) }),
  );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return {
    ...twin.clientConfig(),
    credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
  };
}

beforeAll(async () => {
  twin = await startTestTwin();
  account = twin.server.twin.accounts[0]!;
  sqs = new SQSClient(twin.clientConfig());
  sns = new SNSClient(twin.clientConfig());
  kms = new KMSClient(twin.clientConfig());
  keyArn = (await kms.send(new CreateKeyCommand({ Policy: doc(rootStatement()) }))).KeyMetadata!.Arn!;
});
afterAll(() => twin.close());

describe('an SSE-KMS queue', () => {
  test('a producer needs kms:GenerateDataKey and kms:Decrypt on the key besides sqs:SendMessage', async () => {
    const url = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: 'sealed-orders', Attributes: { KmsMasterKeyId: keyArn } }),
      )
    ).QueueUrl!;
    const send = { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' };
    const bare = new SQSClient(await user('bare-producer', send));
    const error = await bare
      .send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsAccessDenied);
    expect(error).toMatchObject({ Code: 'KMS.AccessDeniedException' });
    expect((error as Error).message).toContain('kms:GenerateDataKey');
    const keyed = new SQSClient(
      await user('keyed-producer', send, {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: keyArn,
      }),
    );
    await expect(
      keyed.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' })),
    ).resolves.toHaveProperty('MessageId');
  });

  test('SNS is kept out of a queue whose key policy does not let sns.amazonaws.com use the key', async () => {
    const url = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: 'sealed-events', Attributes: { KmsMasterKeyId: keyArn } }),
      )
    ).QueueUrl!;
    const queueArn = `arn:aws:sqs:us-east-1:${account}:sealed-events`;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sealed-events' }));
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          Policy: doc({
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: queueArn,
          }),
        },
      }),
    );
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queueArn }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'first' }));
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }))).Messages,
    ).toBeUndefined();
    expect(pipelineStats(twin.server.twin).subscriptions[SubscriptionArn!]?.lastFailure).toMatch(
      /^KmsAccessDenied: User: sns.amazonaws.com/,
    );

    const trusting = await kms.send(
      new CreateKeyCommand({
        Policy: doc(rootStatement(), {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: '*',
        }),
      }),
    );
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: { KmsMasterKeyId: trusting.KeyMetadata!.Arn! },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'second' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    expect(JSON.parse(Messages![0]!.Body!).Message).toBe('second');
  });
});

describe('an SSE-KMS topic', () => {
  test('a publisher without kms:GenerateDataKey gets KMSAccessDeniedException; with it, a MessageId', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sealed-topic' }));
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'KmsMasterKeyId', AttributeValue: keyArn }),
    );
    const publish = { Effect: 'Allow', Action: 'sns:Publish', Resource: TopicArn };
    const bare = new SNSClient(await user('bare-publisher', publish));
    const error = await bare.send(new PublishCommand({ TopicArn, Message: 'm' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KMSAccessDeniedException);
    expect(error).toMatchObject({ Code: 'KMSAccessDenied', $metadata: { httpStatusCode: 400 } });
    const keyed = new SNSClient(
      await user('keyed-publisher', publish, {
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: keyArn,
      }),
    );
    await expect(keyed.send(new PublishCommand({ TopicArn, Message: 'm' }))).resolves.toHaveProperty(
      'MessageId',
    );
  });
});
