import {
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateFlowLogsCommand, type CreateFlowLogsResult } from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../../helpers/clients.ts';
import { SECOND_LAB_REGION } from './index.ts';

/**
 * The second lab's audit, unlike the reference's on purpose: a trail of its
 * own Region only, delivering to S3 alone under a key prefix (no CloudWatch
 * Logs group, so no role), write-only management events, no Insights, and
 * data events on the ledger bucket; flow logs to a bucket of its own account
 * under a prefix, one for a whole VPC and one for a single subnet.
 */
export const AUDIT_TRAIL = 'platform-audit';
export const auditBucket = (accountId: string) => `platform-audit-${accountId}`;
export const AUDIT_PREFIX = 'trail';
export const flowLogBucket = (accountId: string) => `platform-flows-${accountId}`;
export const FLOW_LOG_PREFIX = 'vpc';

const BLOCK_ALL_PUBLIC = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/** A private, versioned bucket of the lab's Region with `statements` as its policy. */
async function logBucket({ s3 }: AwsClients, bucket: string, statements: object[]): Promise<void> {
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      CreateBucketConfiguration: { LocationConstraint: SECOND_LAB_REGION },
    }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: BLOCK_ALL_PUBLIC }),
  );
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: bucket,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    }),
  );
}

/**
 * The trail and its bucket. The bucket policy is the CloudTrail User Guide's
 * ("Amazon S3 bucket policy for CloudTrail") with a prefix: GetBucketAcl on
 * the bucket, PutObject under `trail/AWSLogs/<account>/` with
 * bucket-owner-full-control, both for this trail only (aws:SourceArn).
 */
export async function buildTrail(
  clients: AwsClients,
  accountId: string,
  dataEventBucket: string,
): Promise<void> {
  const bucket = auditBucket(accountId);
  const trailArn = `arn:aws:cloudtrail:${SECOND_LAB_REGION}:${accountId}:trail/${AUDIT_TRAIL}`;
  const fromTrail = { 'aws:SourceArn': trailArn };
  await logBucket(clients, bucket, [
    {
      Sid: 'CloudTrailChecksTheAcl',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: { StringEquals: fromTrail },
    },
    {
      Sid: 'CloudTrailWritesLogFiles',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/${AUDIT_PREFIX}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { ...fromTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ]);
  await clients.cloudtrail.send(
    new CreateTrailCommand({
      Name: AUDIT_TRAIL,
      S3BucketName: bucket,
      S3KeyPrefix: AUDIT_PREFIX,
      IsMultiRegionTrail: false,
      IncludeGlobalServiceEvents: false,
      EnableLogFileValidation: true,
    }),
  );
  // Write-only management events, and every object event, read and write,
  // of the ledger bucket: two basic selectors, since a selector's
  // ReadWriteType applies to its management and data events alike
  // (API_EventSelector; the value `arn:aws:s3:::bucket/` selects every object).
  await clients.cloudtrail.send(
    new PutEventSelectorsCommand({
      TrailName: AUDIT_TRAIL,
      EventSelectors: [
        { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [] },
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${dataEventBucket}/`] }],
        },
      ],
    }),
  );
  // A trail made through the API does not log until started (API_CreateTrail).
  await clients.cloudtrail.send(new StartLoggingCommand({ Name: AUDIT_TRAIL }));
}

/**
 * The flow-log bucket, with the VPC User Guide's policy ("Amazon S3 bucket
 * permissions for flow logs") for a prefix: delivery.logs.amazonaws.com may
 * write under `vpc/AWSLogs/<account>/` with bucket-owner-full-control and
 * check the bucket's ACL, for this account's log deliveries only.
 */
export async function buildFlowLogs(
  clients: AwsClients,
  accountId: string,
  watched: { vpcId: string; subnetId: string },
): Promise<void> {
  const bucket = flowLogBucket(accountId);
  const fromThisAccount = {
    StringEquals: { 'aws:SourceAccount': accountId },
    ArnLike: { 'aws:SourceArn': `arn:aws:logs:${SECOND_LAB_REGION}:${accountId}:*` },
  };
  await logBucket(clients, bucket, [
    {
      Sid: 'AWSLogDeliveryWrite',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/${FLOW_LOG_PREFIX}/AWSLogs/${accountId}/*`,
      Condition: {
        ...fromThisAccount,
        StringEquals: { ...fromThisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    },
    {
      Sid: 'AWSLogDeliveryAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: fromThisAccount,
    },
  ]);
  const toBucket = {
    TrafficType: 'ALL' as const,
    LogDestinationType: 's3' as const,
    LogDestination: `arn:aws:s3:::${bucket}/${FLOW_LOG_PREFIX}/`,
  };
  // The whole VPC at AWS's default 10-minute aggregation; the subnet at 1 minute.
  for (const input of [
    { ResourceType: 'VPC' as const, ResourceIds: [watched.vpcId], ...toBucket },
    {
      ResourceType: 'Subnet' as const,
      ResourceIds: [watched.subnetId],
      MaxAggregationInterval: 60,
      ...toBucket,
    },
  ]) {
    const { Unsuccessful }: CreateFlowLogsResult = await clients.ec2.send(new CreateFlowLogsCommand(input));
    if (Unsuccessful?.length) throw new Error(`CreateFlowLogs failed: ${JSON.stringify(Unsuccessful)}`);
  }
}
