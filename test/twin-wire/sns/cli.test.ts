import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * The operator's path through AWS CLI 2.9: make a topic and a queue, let
 * the topic into the queue with a policy file, subscribe, publish, and read
 * the notification back with sqs receive-message.
 */
let twin: TestTwin;
let dir: string;
let account: string;

beforeAll(async () => {
  twin = await startTestTwin();
  dir = mkdtempSync(join(tmpdir(), 'sns-cli-'));
  account = twin.server.twin.accounts[0]!;
});
afterAll(() => twin.close());

type Json = Record<string, unknown>;

async function ok(args: string[]): Promise<Json> {
  const out = await aws(twin, args);
  expect(out.code, out.stderr).toBe(0);
  return (out.json ?? {}) as Json;
}

describe.runIf(hasAwsCli)('aws sns (CLI 2.9)', () => {
  test('create-topic, subscribe a queue, publish, and the queue holds the notification', async () => {
    const { TopicArn } = await ok(['sns', 'create-topic', '--name', 'cli-alerts']);
    expect(TopicArn).toBe(`arn:aws:sns:us-east-1:${account}:cli-alerts`);
    const { QueueUrl } = await ok(['sqs', 'create-queue', '--queue-name', 'cli-alerts-q']);
    const queueArn = `arn:aws:sqs:us-east-1:${account}:cli-alerts-q`;
    const file = join(dir, 'queue-attributes.json');
    writeFileSync(
      file,
      JSON.stringify({
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': TopicArn } },
            },
          ],
        }),
      }),
    );
    await ok([
      'sqs',
      'set-queue-attributes',
      '--queue-url',
      QueueUrl as string,
      '--attributes',
      `file://${file}`,
    ]);
    const { SubscriptionArn } = await ok([
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn as string,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      queueArn,
    ]);
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:\d{12}:cli-alerts:/);
    const { MessageId } = await ok([
      'sns',
      'publish',
      '--topic-arn',
      TopicArn as string,
      '--subject',
      'disk',
      '--message',
      'disk almost full',
      '--message-attributes',
      '{"severity":{"DataType":"String","StringValue":"high"}}',
    ]);
    const received = await ok([
      'sqs',
      'receive-message',
      '--queue-url',
      QueueUrl as string,
      '--wait-time-seconds',
      '5',
    ]);
    const [m] = (received as { Messages: { Body: string }[] }).Messages;
    expect(JSON.parse(m!.Body)).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Subject: 'disk',
      Message: 'disk almost full',
      MessageAttributes: { severity: { Type: 'String', Value: 'high' } },
    });
  });

  test('set-topic-attributes and get-topic-attributes', async () => {
    const { TopicArn } = await ok(['sns', 'create-topic', '--name', 'cli-named']);
    await ok([
      'sns',
      'set-topic-attributes',
      '--topic-arn',
      TopicArn as string,
      '--attribute-name',
      'DisplayName',
      '--attribute-value',
      'Named',
    ]);
    const { Attributes } = await ok(['sns', 'get-topic-attributes', '--topic-arn', TopicArn as string]);
    expect(Attributes).toMatchObject({
      TopicArn,
      Owner: account,
      DisplayName: 'Named',
      SubscriptionsPending: '0',
    });
    expect(JSON.parse((Attributes as Json).Policy as string)).toMatchObject({ Id: '__default_policy_ID' });
  });

  test('an unknown topic prints NotFound; a bad attribute prints InvalidParameter', async () => {
    const missing = await aws(twin, [
      'sns',
      'get-topic-attributes',
      '--topic-arn',
      `arn:aws:sns:us-east-1:${account}:nope`,
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(NotFound)');
    const { TopicArn } = await ok(['sns', 'create-topic', '--name', 'cli-bad']);
    const bad = await aws(twin, [
      'sns',
      'set-topic-attributes',
      '--topic-arn',
      TopicArn as string,
      '--attribute-name',
      'Colour',
      '--attribute-value',
      'x',
    ]);
    expect(bad.stderr).toContain('(InvalidParameter)');
  });
});
