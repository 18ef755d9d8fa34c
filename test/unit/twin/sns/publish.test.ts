import { beforeEach, describe, expect, test, vi } from 'vitest';
import { AwsError } from '../../../../twin/core/errors.ts';
import { pipelineStats } from '../../../../twin/pipeline/index.ts';
import type { KeyUse } from '../../../../twin/services/kms/lookups.ts';
import { A, type Fixture, fixture, REGION } from '../sqs/fixtures.ts';

/**
 * Publish: what SNS refuses before anything is delivered, and the
 * publisher's own key permissions on an encrypted topic (KMS stood in
 * for, refusing what a test lists).
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
const TOPIC = `arn:aws:sns:${REGION}:${A}:t`;
const publish = (input: object) => f.sns('Publish', { TopicArn: TOPIC, ...input });

beforeEach(async () => {
  kms.refuse.clear();
  kms.calls.length = 0;
  f = fixture();
  await f.sns('CreateTopic', { Name: 't' });
});

describe('what Publish refuses', () => {
  test.for([
    ['an empty message', { Message: '' }, 'InvalidParameterException', 'Invalid parameter: Empty message'],
    [
      'a message over 256 KiB',
      { Message: 'x'.repeat(262_145) },
      'InvalidParameterException',
      'Invalid parameter: Message too long',
    ],
    [
      'a subject with a newline',
      { Message: 'm', Subject: 'a\nb' },
      'InvalidParameterException',
      'Invalid parameter: Subject',
    ],
    [
      'a JSON structure without default',
      { Message: '{"sqs":"x"}', MessageStructure: 'json' },
      'InvalidParameterException',
      'Invalid parameter: Message Structure - No default entry in JSON message body',
    ],
    [
      'an attribute of an unknown type',
      { Message: 'm', MessageAttributes: { a: { DataType: 'Date', StringValue: 'today' } } },
      'InvalidParameterValueException',
      "Invalid parameter: The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    ],
    [
      'a MessageGroupId on a standard topic',
      { Message: 'm', MessageGroupId: 'g' },
      'InvalidParameterException',
      'Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type',
    ],
  ] as const)('%s', async ([, input, code, message]) => {
    await expect(publish(input)).rejects.toMatchObject({ code, message });
    expect(pipelineStats(f.twin).topics[TOPIC]).toBeUndefined();
  });

  test('a FIFO topic needs MessageGroupId and answers with a sequence number', async () => {
    await f.sns('CreateTopic', { Name: 'f.fifo', Attributes: { FifoTopic: 'true' } });
    const fifo = `arn:aws:sns:${REGION}:${A}:f.fifo`;
    await expect(f.sns('Publish', { TopicArn: fifo, Message: 'm' })).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
    const out = await f.sns<{ SequenceNumber: string }>('Publish', {
      TopicArn: fifo,
      Message: 'm',
      MessageGroupId: 'g',
    });
    expect(out.SequenceNumber).toMatch(/^\d{20}$/);
  });

  test('PublishBatch reports each entry', async () => {
    const out = await f.sns('PublishBatch', {
      TopicArn: TOPIC,
      PublishBatchRequestEntries: [
        { Id: 'ok', Message: 'fine' },
        { Id: 'bad', Message: '' },
      ],
    });
    expect(out).toMatchObject({
      Successful: [{ Id: 'ok', MessageId: expect.any(String) }],
      Failed: [{ Id: 'bad', Code: 'InvalidParameterException', SenderFault: true }],
    });
  });
});

describe('an encrypted topic', () => {
  beforeEach(() =>
    f.sns('SetTopicAttributes', {
      TopicArn: TOPIC,
      AttributeName: 'KmsMasterKeyId',
      AttributeValue: 'alias/topic-key',
    }),
  );

  test('asks KMS for GenerateDataKey and Decrypt for the publisher, via SNS', async () => {
    await publish({ Message: 'm' });
    expect(kms.calls.map((c) => [c.operation, c.principal.arn, c.viaService])).toEqual([
      ['GenerateDataKey', `arn:aws:iam::${A}:root`, `sns.${REGION}.amazonaws.com`],
      ['Decrypt', `arn:aws:iam::${A}:root`, `sns.${REGION}.amazonaws.com`],
    ]);
  });

  test.for(['GenerateDataKey', 'Decrypt'])(
    'a publisher refused kms:%s gets KMSAccessDeniedException and nothing is sent',
    async (operation) => {
      kms.refuse.add(`arn:aws:iam::${A}:root ${operation}`);
      const error = await publish({ Message: 'm' }).catch((e: AwsError) => e);
      expect(error).toMatchObject({
        code: 'KMSAccessDeniedException',
        message: expect.stringMatching(
          new RegExp(
            `kms:${operation} .* \\(Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException; Request ID: [0-9a-f-]{36}; Proxy: null\\)$`,
          ),
        ),
      });
      expect(pipelineStats(f.twin).topics[TOPIC]).toBeUndefined();
    },
  );
});
