import { fileURLToPath } from 'node:url';
import type { CreateRoleResponse } from '@aws-sdk/client-iam';
import type { CreateKeyResponse } from '@aws-sdk/client-kms';
import type { CreateTopicResponse } from '@aws-sdk/client-sns';
import type { CreateQueueResult, GetQueueAttributesResult } from '@aws-sdk/client-sqs';
import { bundleLambda } from '../../probes/bundle.ts';
import type { LabBuilder } from '../builder.ts';
import type { BuiltVpc } from './network.ts';

/**
 * The data-protection pipeline (lab.md, "Data protection"): SNS topic →
 * SQS queue, both under the events key; the receipt processor (as
 * ProcessSQSRole, in Prod's private subnets) writes receipts to a bucket
 * under the receipt key, which only FinanceRole may decrypt. Neither key
 * policy has the root statement, so IAM policies alone grant nothing.
 */
export const TOPIC = 'dap351-events';
export const QUEUE = 'dap351-receipts';
export const PROCESSOR = 'dap351-receipt-processor';
export const receiptBucket = (accountId: string) => `dap351-receipts-${accountId}`;

const trust = (principal: object) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });

const ADMIN_ACTIONS = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];
const USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:DescribeKey',
];

export function eventsKeyPolicy(accountId: string, participant: string, processor: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'KeyAdministrators',
        Effect: 'Allow',
        Principal: { AWS: participant },
        Action: ADMIN_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'KeyUsers',
        Effect: 'Allow',
        Principal: { AWS: participant },
        Action: USE_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'SnsMayEncryptForThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
      {
        Sid: 'ConsumerMayDecrypt',
        Effect: 'Allow',
        Principal: { AWS: processor },
        Action: 'kms:Decrypt',
        Resource: '*',
      },
    ],
  });
}

export function receiptKeyPolicy(participant: string, finance: string, processor: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'KeyAdministrators',
        Effect: 'Allow',
        Principal: { AWS: participant },
        Action: ADMIN_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'FinanceReadsReceipts',
        Effect: 'Allow',
        Principal: { AWS: finance },
        Action: USE_ACTIONS,
        Resource: '*',
      },
      {
        Sid: 'ProcessorWritesReceipts',
        Effect: 'Allow',
        Principal: { AWS: processor },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
      },
    ],
  });
}

async function createKey(
  lab: LabBuilder,
  alias: string,
  policy: string,
  description: string,
): Promise<string> {
  // Made with the default policy so the account can name it, then locked to the lab's own policy: its admins
  // are a role, not the root that builds the lab, hence the lockout check is bypassed as a template would.
  const { KeyMetadata } = await lab.call<CreateKeyResponse>('kms', 'CreateKey', { Description: description });
  await lab.call('kms', 'CreateAlias', { AliasName: alias, TargetKeyId: KeyMetadata!.KeyId });
  await lab.call('kms', 'PutKeyPolicy', {
    KeyId: KeyMetadata!.KeyId,
    PolicyName: 'default',
    Policy: policy,
    BypassPolicyLockoutSafetyCheck: true,
  });
  return KeyMetadata!.Arn!;
}

async function role(
  lab: LabBuilder,
  name: string,
  trustPolicy: string,
  policies: { managed?: string[]; inline?: object } = {},
): Promise<string> {
  const { Role } = await lab.call<CreateRoleResponse>('iam', 'CreateRole', {
    RoleName: name,
    AssumeRolePolicyDocument: trustPolicy,
  });
  for (const arn of policies.managed ?? [])
    await lab.call('iam', 'AttachRolePolicy', { RoleName: name, PolicyArn: arn });
  if (policies.inline)
    await lab.call('iam', 'PutRolePolicy', {
      RoleName: name,
      PolicyName: `${name}-access`,
      PolicyDocument: JSON.stringify(policies.inline),
    });
  return Role!.Arn!;
}

export interface PipelineParts {
  participantArn: string;
  prod: BuiltVpc;
  lambdaSecurityGroupId: string;
}

export async function buildDataProtection(lab: LabBuilder, parts: PipelineParts): Promise<void> {
  const bucket = receiptBucket(lab.accountId);
  const financeArn = await role(lab, 'FinanceRole', trust({ AWS: parts.participantArn }), {
    inline: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        },
      ],
    },
  });
  const processorArn = await role(lab, 'ProcessSQSRole', trust({ Service: 'lambda.amazonaws.com' }), {
    managed: [
      'service-role/AWSLambdaSQSQueueExecutionRole',
      'service-role/AWSLambdaVPCAccessExecutionRole',
    ].map((p) => `arn:aws:iam::aws:policy/${p}`),
    inline: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/receipts/*` }],
    },
  });
  await createKey(
    lab,
    'alias/dap351-events',
    eventsKeyPolicy(lab.accountId, parts.participantArn, processorArn),
    'dap351 events (SNS, SQS)',
  );
  const receiptKey = await createKey(
    lab,
    'alias/dap351-s3',
    receiptKeyPolicy(parts.participantArn, financeArn, processorArn),
    'dap351 receipts (S3)',
  );
  const topicArn = await buildTopic(lab);
  const queueArn = await buildQueue(lab, topicArn);
  await lab.call('sns', 'Subscribe', { TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn });
  await buildReceiptBucket(lab, bucket, receiptKey, processorArn);
  await buildProcessor(lab, parts, { processorArn, queueArn, bucket, receiptKey });
}

const denyInsecure = (action: string, resource: string) => ({
  Sid: 'DenyWithoutTls',
  Effect: 'Deny',
  Principal: '*',
  Action: action,
  Resource: resource,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

async function buildTopic(lab: LabBuilder): Promise<string> {
  const { TopicArn } = await lab.call<CreateTopicResponse>('sns', 'CreateTopic', {
    Name: TOPIC,
    Attributes: { KmsMasterKeyId: 'alias/dap351-events' },
  });
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OwnerPublishes',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${lab.accountId}:root` },
        Action: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes'],
        Resource: TopicArn,
      },
      denyInsecure('sns:Publish', TopicArn!),
    ],
  };
  await lab.call('sns', 'SetTopicAttributes', {
    TopicArn,
    AttributeName: 'Policy',
    AttributeValue: JSON.stringify(policy),
  });
  return TopicArn!;
}

async function buildQueue(lab: LabBuilder, topicArn: string): Promise<string> {
  const { QueueUrl } = await lab.call<CreateQueueResult>('sqs', 'CreateQueue', {
    QueueName: QUEUE,
    Attributes: { KmsMasterKeyId: 'alias/dap351-events', VisibilityTimeout: '30' },
  });
  const { Attributes } = await lab.call<GetQueueAttributesResult>('sqs', 'GetQueueAttributes', {
    QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  const queueArn = Attributes!.QueueArn!;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TopicOnly',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
      },
      denyInsecure('sqs:*', queueArn),
    ],
  };
  await lab.call('sqs', 'SetQueueAttributes', { QueueUrl, Attributes: { Policy: JSON.stringify(policy) } });
  return queueArn;
}

async function buildReceiptBucket(
  lab: LabBuilder,
  bucket: string,
  keyArn: string,
  processorArn: string,
): Promise<void> {
  await lab.call('s3', 'CreateBucket', { Bucket: bucket });
  await lab.call('s3', 'PutBucketEncryption', {
    Bucket: bucket,
    ServerSideEncryptionConfiguration: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn },
          BucketKeyEnabled: true,
        },
      ],
    },
  });
  const objects = `arn:aws:s3:::${bucket}/*`;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ProcessorWrites',
        Effect: 'Allow',
        Principal: { AWS: processorArn },
        Action: 's3:PutObject',
        Resource: objects,
      },
      {
        Sid: 'DenyWithoutSseKms',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
      },
      {
        Sid: 'DenyOtherKeys',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: objects,
        Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': keyArn } },
      },
      { ...denyInsecure('s3:*', objects), Resource: [`arn:aws:s3:::${bucket}`, objects] },
    ],
  };
  await lab.call('s3', 'PutBucketPolicy', { Bucket: bucket, Policy: JSON.stringify(policy) });
}

const processorCode = fileURLToPath(new URL('./apps/receipt-processor/index.ts', import.meta.url));

async function buildProcessor(
  lab: LabBuilder,
  parts: PipelineParts,
  p: { processorArn: string; queueArn: string; bucket: string; receiptKey: string },
): Promise<void> {
  await lab.call('lambda', 'CreateFunction', {
    FunctionName: PROCESSOR,
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: p.processorArn,
    Code: { ZipFile: await bundleLambda(processorCode) },
    Timeout: 30,
    VpcConfig: { SubnetIds: parts.prod.subnetIds, SecurityGroupIds: [parts.lambdaSecurityGroupId] },
    Environment: { Variables: { RECEIPT_BUCKET: p.bucket, RECEIPT_KEY_ARN: p.receiptKey } },
  });
  await lab.call('lambda', 'CreateEventSourceMapping', {
    FunctionName: PROCESSOR,
    EventSourceArn: p.queueArn,
    BatchSize: 10,
    Enabled: true,
  });
}
