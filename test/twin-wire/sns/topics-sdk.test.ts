import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  AuthorizationErrorException,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pipelineStats } from '../../../twin/pipeline/index.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * SNS through the unchanged SDK client (awsQuery), and the SNS → SQS hop
 * it drives: a queue policy that allows the topic receives the envelope;
 * one that does not silently drops it while the publisher sees success.
 */
let twin: TestTwin;
let sns: SNSClient;
let sqs: SQSClient;
let account: string;

beforeAll(async () => {
  twin = await startTestTwin();
  sns = new SNSClient(twin.clientConfig());
  sqs = new SQSClient(twin.clientConfig());
  account = twin.server.twin.accounts[0]!;
});
afterAll(() => twin.close());

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

async function queueFor(name: string, topicArn?: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const arn = `arn:aws:sqs:us-east-1:${account}:${name}`;
  if (topicArn)
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl,
        Attributes: {
          Policy: doc({
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Resource: arn,
            Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
          }),
        },
      }),
    );
  return { url: QueueUrl!, arn };
}

describe('SNS topics', () => {
  test('CreateTopic, ListTopics, GetTopicAttributes with the default policy, tags, DeleteTopic', async () => {
    const { TopicArn } = await sns.send(
      new CreateTopicCommand({
        Name: 'alerts',
        Attributes: { DisplayName: 'Alerts' },
        Tags: [{ Key: 'team', Value: 'ops' }],
      }),
    );
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${account}:alerts`);
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toContainEqual({ TopicArn });
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      TopicArn,
      Owner: account,
      DisplayName: 'Alerts',
      SubscriptionsConfirmed: '0',
    });
    expect(JSON.parse(Attributes!.Policy!)).toMatchObject({
      Id: '__default_policy_ID',
      Statement: [{ Condition: { StringEquals: { 'AWS:SourceOwner': account } } }],
    });
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([
      { Key: 'team', Value: 'ops' },
    ]);
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'tier', Value: '1' }] }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await expect(sns.send(new GetTopicAttributesCommand({ TopicArn }))).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });

  test('a caller without sns:Publish gets AuthorizationErrorException (wire code AuthorizationError, 403)', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'guarded' }));
    const iam = new IAMClient(twin.clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'sns-reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'sns-reader',
        PolicyName: 'read',
        PolicyDocument: doc({ Effect: 'Allow', Action: 'sns:GetTopicAttributes', Resource: '*' }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'sns-reader' }));
    const reader = new SNSClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    await reader.send(new GetTopicAttributesCommand({ TopicArn }));
    const error = await reader.send(new PublishCommand({ TopicArn, Message: 'hi' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthorizationErrorException);
    expect(error).toMatchObject({ Code: 'AuthorizationError', $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).toBe(
      `User: arn:aws:iam::${account}:user/sns-reader is not authorized to perform: SNS:Publish on resource: ${TopicArn} because no identity-based policy allows the SNS:Publish action`,
    );
  });
});

describe('SNS → SQS', () => {
  test('a queue whose policy allows the topic receives the SNS envelope', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders-events' }));
    const q = await queueFor('orders-events-q', TopicArn);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    expect(Subscriptions).toEqual([
      { SubscriptionArn, Owner: account, Protocol: 'sqs', Endpoint: q.arn, TopicArn },
    ]);

    const published = await sns.send(
      new PublishCommand({
        TopicArn,
        Subject: 'order',
        Message: '{"id":42}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'created' } },
      }),
    );
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 5 }));
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages![0]!.Body!)).toMatchObject({
      Type: 'Notification',
      MessageId: published.MessageId,
      TopicArn,
      Subject: 'order',
      Message: '{"id":42}',
      SignatureVersion: '1',
      MessageAttributes: { kind: { Type: 'String', Value: 'created' } },
    });
    expect(Messages![0]!.Body).toMatch(/^\{\n {2}"Type" : "Notification",\n/);
  });

  test('RawMessageDelivery sends the message itself, with its attributes as SQS attributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'raw-events' }));
    const q = await queueFor('raw-events-q', TopicArn);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    await sns.send(
      new SetSubscriptionAttributesCommand({
        SubscriptionArn,
        AttributeName: 'RawMessageDelivery',
        AttributeValue: 'true',
      }),
    );
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toMatchObject({
      RawMessageDelivery: 'true',
      PendingConfirmation: 'false',
      Protocol: 'sqs',
    });
    await sns.send(
      new PublishCommand({
        TopicArn,
        Message: 'plain',
        MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } },
      }),
    );
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }),
    );
    expect(Messages?.[0]).toMatchObject({
      Body: 'plain',
      MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } },
    });
  });

  test('without a queue policy statement for the topic the message is dropped; Publish still succeeds', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'lost-events' }));
    const q = await queueFor('lost-events-q');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'nobody hears this' }));
    expect(MessageId).toBeDefined();
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }));
    expect(Messages).toBeUndefined();
    const stats = pipelineStats(twin.server.twin);
    expect(stats.subscriptions[SubscriptionArn!]).toMatchObject({ delivered: 0, failed: 1 });
    expect(stats.subscriptions[SubscriptionArn!]!.lastFailure).toMatch(/^AccessDenied: .*sqs:sendmessage/);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(attrs.Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
  });

  test('Unsubscribe stops deliveries; SetTopicAttributes DisplayName shows in GetTopicAttributes', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'quiet' }));
    const q = await queueFor('quiet-q', TopicArn);
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Quiet' }),
    );
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      DisplayName: 'Quiet',
      SubscriptionsConfirmed: '0',
      SubscriptionsDeleted: '1',
    });
    await sns.send(new PublishCommand({ TopicArn, Message: 'x' }));
    expect(
      (await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.url, WaitTimeSeconds: 1 }))).Messages,
    ).toBeUndefined();
  });
});
