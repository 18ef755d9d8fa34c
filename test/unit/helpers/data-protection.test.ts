import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import {
  findDefaultEncryption,
  getBucketPolicy,
  getQueueProtection,
  getTopicProtection,
} from '../../../helpers/data-protection.ts';
import { CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import { getKey, getKeyPolicy } from '../../../helpers/kms.ts';
import { awsError, mockedClients } from './support.ts';

const kms = mockClient(KMSClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
afterEach(() => {
  for (const m of [kms, s3, sns, sqs]) m.reset();
});

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1111-2222';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders';
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders-inbox';
const clients = mockedClients();

describe('getKey / getKeyPolicy', () => {
  test('a key named by alias resolves to its metadata', async () => {
    kms
      .on(DescribeKeyCommand, { KeyId: 'alias/orders' })
      .resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } });
    await expect(getKey(clients, 'alias/orders')).resolves.toMatchObject({ Arn: KEY_ARN });
  });

  test('a missing key is a deviation of the lab, naming the key', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
    await expect(getKey(clients, 'alias/gone')).rejects.toThrow(
      new LabDeviationError('no KMS key alias/gone'),
    );
  });

  test('a key the runner may not describe is cannot-tell, never absent', async () => {
    kms.on(DescribeKeyCommand).rejects(awsError('AccessDeniedException'));
    const error = await getKey(clients, 'alias/orders').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('describe key alias/orders');
  });

  test("the key policy is read by the key's ARN under the name `default`", async () => {
    kms.on(GetKeyPolicyCommand, { KeyId: KEY_ARN, PolicyName: 'default' }).resolves({ Policy: '{"a":1}' });
    await expect(getKeyPolicy(clients, KEY_ARN)).resolves.toBe('{"a":1}');
  });

  test('a key policy answer without a policy reads as no policy (which grants nobody)', async () => {
    kms.on(GetKeyPolicyCommand).resolves({});
    await expect(getKeyPolicy(clients, KEY_ARN)).resolves.toBe('');
  });

  test('an unreadable key policy is cannot-tell', async () => {
    kms.on(GetKeyPolicyCommand).rejects(awsError('AccessDeniedException'));
    const error = await getKeyPolicy(clients, KEY_ARN).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(
      /^could not read the key policy of arn:aws:kms:\S+: AccessDeniedException/,
    );
  });
});

describe('topic and queue protection: the key as named and as KMS resolves it, and the policy', () => {
  test('a topic encrypted by alias resolves to the key ARN', async () => {
    sns.on(GetTopicAttributesCommand, { TopicArn: TOPIC }).resolves({
      Attributes: { KmsMasterKeyId: 'alias/orders', Policy: '{"Statement":[]}' },
    });
    kms
      .on(DescribeKeyCommand, { KeyId: 'alias/orders' })
      .resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } });
    await expect(getTopicProtection(clients, TOPIC)).resolves.toEqual({
      keyAsNamed: 'alias/orders',
      keyArn: KEY_ARN,
      policy: '{"Statement":[]}',
    });
  });

  test('an unencrypted queue has no key, and asks for exactly the attributes it reads', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { Policy: '{}' } });
    await expect(getQueueProtection(clients, QUEUE)).resolves.toEqual({ policy: '{}' });
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      AttributeNames: ['KmsMasterKeyId', 'Policy', 'QueueArn'],
    });
    expect(kms.calls()).toHaveLength(0);
  });

  test('a topic without attributes or policy is unencrypted with an empty policy', async () => {
    sns.on(GetTopicAttributesCommand).resolves({});
    await expect(getTopicProtection(clients, TOPIC)).resolves.toEqual({ policy: '' });
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { KmsMasterKeyId: 'alias/orders' } });
    kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN } });
    await expect(getTopicProtection(clients, TOPIC)).resolves.toEqual({
      keyAsNamed: 'alias/orders',
      keyArn: KEY_ARN,
      policy: '',
    });
  });

  test('a queue encrypted by a key that is gone is a deviation naming the key', async () => {
    sqs
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { KmsMasterKeyId: 'alias/gone', Policy: '{}' } });
    kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException'));
    await expect(getQueueProtection(clients, QUEUE)).rejects.toThrow(
      new LabDeviationError('no KMS key alias/gone'),
    );
  });

  test('a queue without a policy reads as an empty policy, not as undefined', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({});
    await expect(getQueueProtection(clients, QUEUE)).resolves.toEqual({ policy: '' });
  });

  test('attributes the runner may not read are cannot-tell', async () => {
    sns.on(GetTopicAttributesCommand).rejects(awsError('AuthorizationError', 403));
    sqs.on(GetQueueAttributesCommand).rejects(awsError('AccessDenied', 403));
    await expect(getTopicProtection(clients, TOPIC)).rejects.toThrow(/read the attributes of arn:aws:sns/);
    await expect(getQueueProtection(clients, QUEUE)).rejects.toThrow(
      new RegExp(`^could not read the attributes of ${QUEUE}: AccessDenied`),
    );
  });
});

describe('bucket encryption and policy', () => {
  test('the first default-encryption rule', async () => {
    const rule = {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const },
      BucketKeyEnabled: true,
    };
    s3.on(GetBucketEncryptionCommand, { Bucket: 'receipts' }).resolves({
      ServerSideEncryptionConfiguration: { Rules: [rule] },
    });
    await expect(findDefaultEncryption(clients, 'receipts')).resolves.toEqual(rule);
  });

  test('a configuration without rules is no default encryption', async () => {
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: { Rules: [] } });
    await expect(findDefaultEncryption(clients, 'receipts')).resolves.toBeUndefined();
    s3.on(GetBucketEncryptionCommand).resolves({});
    await expect(findDefaultEncryption(clients, 'receipts')).resolves.toBeUndefined();
    s3.on(GetBucketEncryptionCommand).resolves({ ServerSideEncryptionConfiguration: {} as never });
    await expect(findDefaultEncryption(clients, 'receipts')).resolves.toBeUndefined();
  });

  test('a bucket without a default-encryption configuration has none', async () => {
    s3.on(GetBucketEncryptionCommand).rejects(
      awsError('ServerSideEncryptionConfigurationNotFoundError', 404),
    );
    await expect(findDefaultEncryption(clients, 'receipts')).resolves.toBeUndefined();
  });

  test('a bucket without a policy reads as an empty policy document', async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucketPolicy', 404));
    await expect(getBucketPolicy(clients, 'receipts')).resolves.toBe('{}');
    s3.on(GetBucketPolicyCommand).resolves({});
    await expect(getBucketPolicy(clients, 'receipts')).resolves.toBe('{}');
    s3.on(GetBucketPolicyCommand).resolves({ Policy: '{"Version":"2012-10-17"}' });
    await expect(getBucketPolicy(clients, 'receipts')).resolves.toBe('{"Version":"2012-10-17"}');
  });

  test('a bucket that is not there is a deviation, not "no policy" or "no encryption"', async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError('NoSuchBucket', 404));
    s3.on(GetBucketEncryptionCommand).rejects(awsError('NoSuchBucket', 404));
    await expect(getBucketPolicy(clients, 'gone')).rejects.toThrow(new LabDeviationError('no bucket gone'));
    await expect(findDefaultEncryption(clients, 'gone')).rejects.toThrow(
      new LabDeviationError('no bucket gone'),
    );
    expect(s3.commandCalls(GetBucketPolicyCommand)[0]!.args[0].input).toEqual({ Bucket: 'gone' });
    expect(s3.commandCalls(GetBucketEncryptionCommand)[0]!.args[0].input).toEqual({ Bucket: 'gone' });
  });

  test('a policy or encryption the runner may not read is cannot-tell', async () => {
    s3.on(GetBucketPolicyCommand).rejects(awsError('AccessDenied', 403));
    s3.on(GetBucketEncryptionCommand).rejects(awsError('AccessDenied', 403));
    await expect(getBucketPolicy(clients, 'receipts')).rejects.toThrow(
      /could not read the policy of receipts/,
    );
    await expect(findDefaultEncryption(clients, 'receipts')).rejects.toThrow(
      /could not read the default encryption of receipts/,
    );
  });
});
