import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * What an operator types: AWS CLI 2.9 speaks awsQuery (2012-11-05) to SQS,
 * so these commands prove the second protocol end to end, including a
 * policy passed as file://.
 */
let twin: TestTwin;
let dir: string;

beforeAll(async () => {
  twin = await startTestTwin();
  dir = mkdtempSync(join(tmpdir(), 'sqs-cli-'));
});
afterAll(() => twin.close());

type Json = Record<string, unknown>;

describe.runIf(hasAwsCli)('aws sqs (CLI 2.9, awsQuery)', () => {
  test('create-queue, send-message, receive-message, delete-message', async () => {
    const created = await aws(twin, ['sqs', 'create-queue', '--queue-name', 'cli-orders']);
    expect(created.code, created.stderr).toBe(0);
    const url = (created.json as Json).QueueUrl as string;
    expect(url).toBe(`${twin.endpoint}/${twin.server.twin.accounts[0]}/cli-orders`);

    const sent = await aws(twin, [
      'sqs',
      'send-message',
      '--queue-url',
      url,
      '--message-body',
      'from the CLI',
      '--message-attributes',
      '{"City":{"DataType":"String","StringValue":"Any City"}}',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.json).toMatchObject({ MD5OfMessageBody: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const received = await aws(twin, [
      'sqs',
      'receive-message',
      '--queue-url',
      url,
      '--attribute-names',
      'All',
      '--message-attribute-names',
      'All',
    ]);
    expect(received.code, received.stderr).toBe(0);
    const [m] = (received.json as { Messages: Json[] }).Messages;
    expect(m).toMatchObject({
      Body: 'from the CLI',
      MessageId: (sent.json as Json).MessageId,
      MD5OfMessageAttributes: (sent.json as Json).MD5OfMessageAttributes,
      Attributes: { ApproximateReceiveCount: '1', SenderId: twin.server.twin.accounts[0] },
      MessageAttributes: { City: { DataType: 'String', StringValue: 'Any City' } },
    });
    const deleted = await aws(twin, [
      'sqs',
      'delete-message',
      '--queue-url',
      url,
      '--receipt-handle',
      m!.ReceiptHandle as string,
    ]);
    expect(deleted.code, deleted.stderr).toBe(0);
  });

  test('set-queue-attributes --attributes file:// then get-queue-attributes', async () => {
    const created = await aws(twin, ['sqs', 'create-queue', '--queue-name', 'cli-policy']);
    const url = (created.json as Json).QueueUrl as string;
    const arn = `arn:aws:sqs:us-east-1:${twin.server.twin.accounts[0]}:cli-policy`;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn,
        },
      ],
    });
    const file = join(dir, 'attributes.json');
    writeFileSync(file, JSON.stringify({ Policy: policy, VisibilityTimeout: '90' }));
    const set = await aws(twin, [
      'sqs',
      'set-queue-attributes',
      '--queue-url',
      url,
      '--attributes',
      `file://${file}`,
    ]);
    expect(set.code, set.stderr).toBe(0);
    const got = await aws(twin, [
      'sqs',
      'get-queue-attributes',
      '--queue-url',
      url,
      '--attribute-names',
      'All',
    ]);
    expect(got.code, got.stderr).toBe(0);
    expect((got.json as { Attributes: Json }).Attributes).toMatchObject({
      QueueArn: arn,
      Policy: policy,
      VisibilityTimeout: '90',
      ApproximateNumberOfMessages: '0',
    });
  });

  test('an unknown queue prints the legacy error code', async () => {
    const out = await aws(twin, ['sqs', 'get-queue-url', '--queue-name', 'cli-missing']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });
});
