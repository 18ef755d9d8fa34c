import {
  CreateTopicCommand,
  KMSAccessDeniedException,
  PublishCommand,
  SetTopicAttributesCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, KmsAccessDenied, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { AwsError } from '../../../twin/core/errors.ts';
import type { KeyUse } from '../../../twin/services/kms/lookups.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * How a KMS refusal reaches clients of SQS and SNS: the SQS JSON client
 * sees KmsAccessDenied with e.Code `KMS.AccessDeniedException` (from
 * x-amzn-query-error), the CLI prints that code, and the SNS client sees
 * KMSAccessDeniedException with wire code `KMSAccessDenied`. KMS itself is
 * stood in for here: it refuses every use of the key.
 */
vi.mock('../../../twin/services/kms/lookups.ts', () => ({
  useKeyOnBehalf(use: KeyUse) {
    throw new AwsError(
      'AccessDeniedException',
      `User: ${use.principal.arn} is not authorized to perform: kms:${use.operation} on resource: ${use.keyId} with an explicit deny`,
    );
  },
}));

let twin: TestTwin;
let url: string;
beforeAll(async () => {
  twin = await startTestTwin();
  const sqs = new SQSClient(twin.clientConfig());
  url = (
    await sqs.send(
      new CreateQueueCommand({ QueueName: 'sealed', Attributes: { KmsMasterKeyId: 'alias/sealed' } }),
    )
  ).QueueUrl!;
});
afterAll(() => twin.close());

describe('KMS refusals on the wire', () => {
  test('SQS SendMessage: KmsAccessDenied, Code KMS.AccessDeniedException, 400', async () => {
    const error = await new SQSClient(twin.clientConfig())
      .send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'm' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsAccessDenied);
    expect(error).toMatchObject({
      Code: 'KMS.AccessDeniedException',
      Type: 'Sender',
      $metadata: { httpStatusCode: 400 },
    });
    expect((error as Error).message).toContain('kms:GenerateDataKey on resource: alias/sealed');
  });

  test.runIf(hasAwsCli)('aws sqs send-message prints (KMS.AccessDeniedException)', async () => {
    const out = await aws(twin, ['sqs', 'send-message', '--queue-url', url, '--message-body', 'm']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain(
      'An error occurred (KMS.AccessDeniedException) when calling the SendMessage operation',
    );
  });

  test('SNS Publish to an encrypted topic: KMSAccessDeniedException, Code KMSAccessDenied', async () => {
    const sns = new SNSClient(twin.clientConfig());
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'sealed' }));
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn,
        AttributeName: 'KmsMasterKeyId',
        AttributeValue: 'alias/sealed',
      }),
    );
    const error = await sns.send(new PublishCommand({ TopicArn, Message: 'm' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KMSAccessDeniedException);
    expect(error).toMatchObject({ Code: 'KMSAccessDenied', $metadata: { httpStatusCode: 400 } });
  });
});
