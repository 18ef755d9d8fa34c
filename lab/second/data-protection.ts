import { fileURLToPath } from 'node:url';
import { CreateAliasCommand, CreateKeyCommand, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateEventSourceMappingCommand, CreateFunctionCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../../helpers/clients.ts';
import { bundleLambda } from '../../probes/bundle.ts';
import { awsManaged, createRole } from './identity.ts';
import type { BuiltSpoke } from './network.ts';

/**
 * The second lab's order ledger: orders-stream (SNS) → orders-inbox (SQS),
 * both under alias/orders-events; ledger-writer, as LedgerWriterRole in
 * Payments, books each order as a JSON entry in the ledger bucket under
 * alias/ledger-entries, which only AuditorRole may decrypt. The writer may
 * only generate data keys for the ledger, not read it back. The SNS grant
 * is scoped by the topic's ARN, not by account as in the reference lab.
 */
export const ledgerBucket = (accountId: string) => `ledger-entries-${accountId}`;

const ADMIN = [
  'kms:Describe*',
  'kms:Get*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Enable*',
  'kms:Disable*',
];

export async function buildLedger(
  clients: AwsClients,
  accountId: string,
  parts: { runnerArn: string; payments: BuiltSpoke; functionGroupId: string },
): Promise<void> {
  const bucket = ledgerBucket(accountId);
  const topicArn = `arn:aws:sns:eu-west-1:${accountId}:orders-stream`;
  const writer = await createRole(
    clients,
    'LedgerWriterRole',
    { Service: 'lambda.amazonaws.com' },
    {
      managed: [
        awsManaged('service-role/AWSLambdaSQSQueueExecutionRole'),
        awsManaged('service-role/AWSLambdaVPCAccessExecutionRole'),
      ],
      inline: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${bucket}/ledger/*` }],
      },
    },
  );
  const auditor = await createRole(
    clients,
    'AuditorRole',
    { AWS: parts.runnerArn },
    {
      inline: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/ledger/*` }],
      },
    },
  );
  const admin = {
    Sid: 'Administer',
    Effect: 'Allow',
    Principal: { AWS: parts.runnerArn },
    Action: ADMIN,
    Resource: '*',
  };
  await key(clients, 'alias/orders-events', [
    admin,
    {
      Sid: 'OperatorsPublish',
      Effect: 'Allow',
      Principal: { AWS: parts.runnerArn },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
    },
    {
      Sid: 'TopicEncrypts',
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { ArnLike: { 'aws:SourceArn': topicArn } },
    },
    {
      Sid: 'WriterReads',
      Effect: 'Allow',
      Principal: { AWS: writer.arn },
      Action: 'kms:Decrypt',
      Resource: '*',
    },
  ]);
  const ledgerKey = await key(clients, 'alias/ledger-entries', [
    admin,
    {
      Sid: 'AuditorsRead',
      Effect: 'Allow',
      Principal: { AWS: auditor.arn },
      Action: 'kms:Decrypt',
      Resource: '*',
    },
    {
      Sid: 'WriterBooks',
      Effect: 'Allow',
      Principal: { AWS: writer.arn },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
    },
  ]);

  const denyPlainText = (Action: string, Resource: string | string[]) => ({
    Sid: 'TlsOnly',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action,
    Resource,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
  await clients.sns.send(
    new CreateTopicCommand({
      Name: 'orders-stream',
      Attributes: {
        KmsMasterKeyId: 'alias/orders-events',
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountPublishes',
              Effect: 'Allow',
              Principal: { AWS: accountId },
              Action: ['sns:Publish', 'sns:Subscribe', 'sns:GetTopicAttributes'],
              Resource: topicArn,
            },
            denyPlainText('sns:Publish', topicArn),
          ],
        }),
      },
    }),
  );
  const { QueueUrl } = await clients.sqs.send(
    new CreateQueueCommand({
      QueueName: 'orders-inbox',
      Attributes: { KmsMasterKeyId: 'alias/orders-events', KmsDataKeyReusePeriodSeconds: '600' },
    }),
  );
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const queueArn = Attributes!.QueueArn!;
  await clients.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: {
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'FromTheTopic',
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            },
            denyPlainText('sqs:*', queueArn),
          ],
        }),
      },
    }),
  );
  await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));

  await clients.s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    }),
  );
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ledgerKey },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  const entries = `arn:aws:s3:::${bucket}/*`;
  await clients.s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'NameTheLedgerKey',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Resource: entries,
            Condition: { Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'true' } },
          },
          {
            Sid: 'OnlyTheLedgerKey',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:PutObject',
            Resource: entries,
            Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': ledgerKey } },
          },
          denyPlainText('s3:*', [`arn:aws:s3:::${bucket}`, entries]),
        ],
      }),
    }),
  );

  await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'ledger-writer',
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: writer.arn,
      Code: {
        ZipFile: await bundleLambda(fileURLToPath(new URL('./apps/ledger-writer/index.ts', import.meta.url))),
      },
      MemorySize: 256,
      Timeout: 20,
      VpcConfig: { SubnetIds: parts.payments.subnetIds, SecurityGroupIds: [parts.functionGroupId] },
      Environment: { Variables: { LEDGER_BUCKET: bucket, LEDGER_KEY_ARN: ledgerKey } },
    }),
  );
  await clients.lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: 'ledger-writer',
      EventSourceArn: queueArn,
      BatchSize: 5,
    }),
  );
}

/** A key with its alias, then locked to `statements` (no root statement: IAM policies alone grant nothing). */
export async function key(clients: AwsClients, alias: string, statements: object[]): Promise<string> {
  const { KeyMetadata } = await clients.kms.send(new CreateKeyCommand({ Description: alias.slice(6) }));
  await clients.kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId }));
  await clients.kms.send(
    new PutKeyPolicyCommand({
      KeyId: KeyMetadata!.KeyId,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      // The administrator is a role, not the root building the lab, so the lockout check is skipped.
      BypassPolicyLockoutSafetyCheck: true,
    }),
  );
  return KeyMetadata!.Arn!;
}
