import { DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pipelineStats } from '../../../twin/pipeline/index.ts';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { bundledZip, executionRole } from '../lambda/support.ts';

/**
 * The whole pipeline through unchanged clients: SNS publishes, the topic
 * delivers into a queue its policy admits, Lambda's poller hands the batch
 * to a real function running as its role, and the function's own SDK call
 * (SendMessage to a results queue) goes through the twin like any caller's —
 * so taking that permission from the role breaks the pipeline exactly there.
 * Time is a ManualClock; the test moves it and runs the scheduler.
 */
const WORKER = `
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export const handler = async (event) => {
  for (const r of event.Records) {
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.RESULTS_URL, MessageBody: 'done:' + r.body }));
  }
  return { handled: event.Records.length };
};`;

let twin: TestTwin;
const clock = new ManualClock(Date.now());
let sqs: SQSClient;
let sns: SNSClient;
let iam: IAMClient;
let account: string;
let work: string;
let results: string;
let topicArn: string;

const hop = () => delay(twin.server.twin.profile, 'pipelineHopMs');
async function drive(ms: number): Promise<void> {
  clock.advance(ms);
  await twin.server.twin.scheduler.runDue();
}
/** Takes what the queue holds (received and deleted). */
async function take(url: string): Promise<string[]> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }),
  );
  for (const m of Messages)
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  return Messages.map((m) => m.Body!);
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  account = twin.server.twin.accounts[0]!;
  sqs = new SQSClient(twin.clientConfig());
  sns = new SNSClient(twin.clientConfig());
  iam = new IAMClient(twin.clientConfig());
  const lambda = new LambdaClient(twin.clientConfig());

  work = (await sqs.send(new CreateQueueCommand({ QueueName: 'work' }))).QueueUrl!;
  results = (await sqs.send(new CreateQueueCommand({ QueueName: 'results' }))).QueueUrl!;
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'jobs' }))).TopicArn!;
  const workArn = `arn:aws:sqs:us-east-1:${account}:work`;
  const Policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: workArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
    ],
  });
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: work, Attributes: { Policy, VisibilityTimeout: '30' } }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: workArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );

  const role = await executionRole(iam, 'worker-role', {
    managed: ['AWSLambdaBasicExecutionRole', 'AWSLambdaSQSQueueExecutionRole'],
  });
  await allowResults();
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'worker',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: role,
      Code: { ZipFile: await bundledZip(WORKER) },
      Environment: { Variables: { RESULTS_URL: results } },
      Timeout: 30,
    }),
  );
  await drive(delay(twin.server.twin.profile, 'lambdaActivationMs'));
  await lambda.send(
    new CreateEventSourceMappingCommand({ FunctionName: 'worker', EventSourceArn: workArn, BatchSize: 10 }),
  );
  await drive(delay(twin.server.twin.profile, 'lambdaActivationMs'));
}, 120_000);
afterAll(() => twin.close());

function allowResults() {
  return iam.send(
    new PutRolePolicyCommand({
      RoleName: 'worker-role',
      PolicyName: 'results',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Resource: `arn:aws:sqs:us-east-1:${account}:results`,
          },
        ],
      }),
    }),
  );
}

describe('SNS → SQS → Lambda → SQS', () => {
  test('a published message comes out of the function into the results queue, and leaves the work queue', async () => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'job-1' }));
    await drive(hop());
    await drive(hop());
    expect(await take(results)).toEqual(['done:job-1']);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: work, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    const mapping = Object.values(pipelineStats(twin.server.twin).mappings)[0];
    expect(mapping).toMatchObject({ invocations: 1, deleted: 1, errors: 0 });
  }, 60_000);

  test('without sqs:SendMessage on the results queue the function fails and the job stays in the work queue', async () => {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker-role', PolicyName: 'results' }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'job-2' }));
    await drive(hop());
    await drive(hop());
    expect(await take(results)).toEqual([]);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: work, AttributeNames: ['All'] }),
    );
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessagesNotVisible: '1' });
    expect(Object.values(pipelineStats(twin.server.twin).mappings)[0]).toMatchObject({ errors: 1 });

    await allowResults();
    await drive(30_000);
    expect(await take(results)).toEqual(['done:job-2']);
  }, 60_000);
});
