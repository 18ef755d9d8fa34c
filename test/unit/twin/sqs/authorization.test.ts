import { beforeEach, describe, expect, test, vi } from 'vitest';
import { AwsError } from '../../../../twin/core/errors.ts';
import type { KeyUse } from '../../../../twin/services/kms/lookups.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, B, type Fixture, fixture, policy } from './fixtures.ts';

/**
 * Who may use a queue: the queue policy and identity policies through the
 * evaluator, across accounts; and for an SSE-KMS queue, the key — KMS is
 * stood in for here (its answers are KMS's own errors), to prove SQS asks
 * for the right actions on the right principal's behalf and turns a KMS
 * refusal into SQS's Kms* error.
 */
const kms = vi.hoisted(() => ({ refuse: new Set<string>(), calls: [] as KeyUse[] }));
vi.mock('../../../../twin/services/kms/lookups.ts', () => ({
  useKeyOnBehalf(use: KeyUse) {
    kms.calls.push(use);
    if (kms.refuse.has(`${use.principal.arn} ${use.operation}`))
      throw new AwsError(
        'AccessDeniedException',
        `User: ${use.principal.arn} is not authorized to perform: kms:${use.operation} on resource: ${use.keyId} because no resource-based policy allows the kms:${use.operation} action`,
      );
    return { keyArn: use.keyId, keyId: use.keyId };
  },
}));

let f: Fixture;
let url: string;
beforeEach(async () => {
  kms.refuse.clear();
  kms.calls.length = 0;
  f = fixture();
  url = (await f.sqs<{ QueueUrl: string }>('CreateQueue', { QueueName: 'q' })).QueueUrl;
});

const sendAs = (as = rootCredential(A)) => f.sqs('SendMessage', { QueueUrl: url, MessageBody: 'm' }, as);

describe('queue policy and identity policies', () => {
  test('another account needs the queue policy; SQS words the denial with its lower-case action', async () => {
    const denied = await sendAs(rootCredential(B)).catch((e: AwsError) => e);
    expect(denied).toMatchObject({
      code: 'AccessDenied',
      status: 403,
      headers: { 'x-amzn-query-error': 'AccessDenied;Sender' },
      message: `User: arn:aws:iam::${B}:root is not authorized to perform: sqs:sendmessage on resource: ${f.queueArn('q')} because no resource-based policy allows the sqs:sendmessage action`,
    });
    await f.sqs('SetQueueAttributes', {
      QueueUrl: url,
      Attributes: {
        Policy: policy({
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:root` },
          Action: 'sqs:SendMessage',
          Resource: f.queueArn('q'),
        }),
      },
    });
    await expect(sendAs(rootCredential(B))).resolves.toHaveProperty('MessageId');
    await expect(f.sqs('ReceiveMessage', { QueueUrl: url }, rootCredential(B))).rejects.toMatchObject({
      code: 'AccessDenied',
    });
  });

  test('a user of the owner account needs an identity policy or a queue policy naming it', async () => {
    const user = await f.user(A, 'producer');
    await expect(sendAs(user)).rejects.toMatchObject({ code: 'AccessDenied' });
    await f.sqs('SetQueueAttributes', {
      QueueUrl: url,
      Attributes: {
        Policy: policy({
          Effect: 'Allow',
          Principal: { AWS: user.principal.arn },
          Action: 'sqs:SendMessage',
          Resource: '*',
        }),
      },
    });
    await expect(sendAs(user)).resolves.toHaveProperty('MessageId');
  });

  test('batch actions are authorized as their single action', async () => {
    const user = await f.user(A, 'batcher', {
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: f.queueArn('q'),
    });
    const out = await f.sqs(
      'SendMessageBatch',
      { QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'x' }] },
      user,
    );
    expect(out).toMatchObject({ Successful: [{ Id: 'a' }] });
  });

  test('tagging at creation also needs sqs:TagQueue', async () => {
    const user = await f.user(A, 'creator', { Effect: 'Allow', Action: 'sqs:CreateQueue', Resource: '*' });
    await expect(f.sqs('CreateQueue', { QueueName: 'plain' }, user)).resolves.toBeDefined();
    await expect(f.sqs('CreateQueue', { QueueName: 'tagged', tags: { a: 'b' } }, user)).rejects.toMatchObject(
      {
        code: 'AccessDenied',
        message: expect.stringContaining('sqs:tagqueue'),
      },
    );
  });
});

describe('SSE-KMS queues', () => {
  beforeEach(async () => {
    await f.sqs('SetQueueAttributes', { QueueUrl: url, Attributes: { KmsMasterKeyId: 'alias/orders' } });
  });

  test('a send asks KMS for GenerateDataKey and Decrypt for the caller, via SQS, with the queue as context', async () => {
    await sendAs();
    expect(kms.calls.map((c) => c.operation)).toEqual(['GenerateDataKey', 'Decrypt']);
    expect(kms.calls[0]).toMatchObject({
      keyId: 'alias/orders',
      principal: { arn: `arn:aws:iam::${A}:root` },
      viaService: 'sqs.us-east-1.amazonaws.com',
      encryptionContext: { 'aws:sqs:arn': f.queueArn('q') },
    });
  });

  test('a KMS refusal of GenerateDataKey is SQS KmsAccessDenied (wire KMS.AccessDeniedException) with KMS message', async () => {
    kms.refuse.add(`arn:aws:iam::${A}:root GenerateDataKey`);
    const error = await sendAs().catch((e: AwsError) => e);
    expect(error).toMatchObject({
      code: 'KmsAccessDenied',
      message: expect.stringContaining('kms:GenerateDataKey on resource: alias/orders'),
    });
    expect(
      await f.sqs('GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    ).toEqual({
      Attributes: { ApproximateNumberOfMessages: '0' },
    });
  });

  test('a consumer without kms:Decrypt gets KmsAccessDenied and the message stays receivable', async () => {
    await sendAs();
    kms.refuse.add(`arn:aws:iam::${A}:root Decrypt`);
    await expect(f.sqs('ReceiveMessage', { QueueUrl: url })).rejects.toMatchObject({
      code: 'KmsAccessDenied',
    });
    kms.refuse.clear();
    expect(await f.sqs('ReceiveMessage', { QueueUrl: url })).toMatchObject({ Messages: [{ Body: 'm' }] });
  });

  test('an empty encrypted queue answers a receive without asking KMS', async () => {
    kms.refuse.add(`arn:aws:iam::${A}:root Decrypt`);
    await expect(f.sqs('ReceiveMessage', { QueueUrl: url })).resolves.toEqual({});
  });
});
