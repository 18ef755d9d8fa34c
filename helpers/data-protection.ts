import {
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { AwsClients } from './clients.ts';
import { classify, LabDeviationError, reading } from './errors.ts';
import { getKey } from './kms.ts';

/** What a topic, queue or bucket says about its encryption and its policy. */
export interface Protected {
  /** The key as the resource names it (id, ARN or alias) and as KMS resolves it. */
  keyAsNamed?: string;
  keyArn?: string;
  policy: string;
}

export async function getTopicProtection(clients: AwsClients, topicArn: string): Promise<Protected> {
  const { Attributes = {} } = await reading(`read the attributes of ${topicArn}`, () =>
    clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn })),
  );
  return withKey(clients, Attributes.KmsMasterKeyId, Attributes.Policy);
}

export async function getQueueProtection(clients: AwsClients, queueUrl: string): Promise<Protected> {
  const { Attributes = {} } = await reading(`read the attributes of ${queueUrl}`, () =>
    clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['KmsMasterKeyId', 'Policy', 'QueueArn'],
      }),
    ),
  );
  return withKey(clients, Attributes.KmsMasterKeyId, Attributes.Policy);
}

async function withKey(
  clients: AwsClients,
  keyAsNamed: string | undefined,
  policy: string | undefined,
): Promise<Protected> {
  if (!keyAsNamed) return { policy: policy ?? '' };
  const key = await getKey(clients, keyAsNamed);
  return { keyAsNamed, keyArn: key.Arn, policy: policy ?? '' };
}

/** A bucket's default encryption rule, or undefined when it has none. */
export async function findDefaultEncryption(
  clients: AwsClients,
  bucket: string,
): Promise<ServerSideEncryptionRule | undefined> {
  try {
    const out = await clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
    return out.ServerSideEncryptionConfiguration?.Rules?.[0];
  } catch (error) {
    if (isMissingBucket(error)) throw new LabDeviationError(`no bucket ${bucket}`);
    if (classify(error) === 'not-found') return undefined;
    return reading(`read the default encryption of ${bucket}`, () => Promise.reject(error));
  }
}

/** A bucket's policy, or `{}` when it has none (NoSuchBucketPolicy). */
export async function getBucketPolicy(clients: AwsClients, bucket: string): Promise<string> {
  try {
    return (await clients.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}';
  } catch (error) {
    if (isMissingBucket(error)) throw new LabDeviationError(`no bucket ${bucket}`);
    if (classify(error) === 'not-found') return '{}';
    return reading(`read the policy of ${bucket}`, () => Promise.reject(error));
  }
}

/** The bucket itself is gone: every not-found of a bucket sub-resource would otherwise read as "none set". */
function isMissingBucket(error: unknown): boolean {
  return (error as { name?: string })?.name === 'NoSuchBucket';
}
