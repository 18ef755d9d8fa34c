import type { CreateFlowLogsResult } from '@aws-sdk/client-ec2';
import type { CreateRoleResponse } from '@aws-sdk/client-iam';
import { type LabBuilder, named } from '../builder.ts';
import type { BuiltVpc } from './network.ts';

/**
 * The flow logs of lab.md ("Audit and flow logs"): every lab VPC to the
 * CloudWatch Logs group `/aws/vpc/flowlogs` through `VPCFlowLogsRole`, and
 * Prod-VPC also to the log archive's central bucket (seed 001's
 * cross-account bucket; seed 002's role and `create-flow-logs`). All capture
 * ALL traffic and aggregate over 60 s.
 */
export const FLOW_LOG_GROUP = '/aws/vpc/flowlogs';
export const FLOW_LOGS_ROLE = 'VPCFlowLogsRole';
export const centralFlowLogBucket = (archiveAccount: string) => `vpc-flow-logs-central-${archiveAccount}`;

/**
 * The role vpc-flow-logs.amazonaws.com assumes to publish to CloudWatch Logs,
 * as the VPC User Guide gives it ("IAM role for publishing flow logs to
 * CloudWatch Logs"): the documented permissions, and a trust limited to this
 * account's flow logs (aws:SourceAccount, aws:SourceArn), the guide's guard
 * against the confused deputy.
 */
export async function buildFlowLogsRole(lab: LabBuilder): Promise<string> {
  const { accountId, region } = lab;
  const { Role } = await lab.call<CreateRoleResponse>('iam', 'CreateRole', {
    RoleName: FLOW_LOGS_ROLE,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:ec2:${region}:${accountId}:vpc-flow-log/*` },
          },
        },
      ],
    }),
  });
  await lab.call('iam', 'PutRolePolicy', {
    RoleName: FLOW_LOGS_ROLE,
    PolicyName: 'publish-flow-logs',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'logs:DescribeLogGroups',
            'logs:DescribeLogStreams',
          ],
          Resource: '*',
        },
      ],
    }),
  });
  return Role!.Arn!;
}

/**
 * A bucket flow logs of `sourceAccounts` may write to, with the policy of the
 * VPC User Guide ("Amazon S3 bucket permissions for flow logs"):
 * delivery.logs.amazonaws.com may PutObject under `[prefix/]AWSLogs/<account>/`
 * with bucket-owner-full-control, and GetBucketAcl and ListBucket on the
 * bucket, each only for those accounts' log deliveries (aws:SourceAccount
 * and aws:SourceArn `arn:aws:logs:<region>:<account>:*`). Block public
 * access and versioning, as for every log bucket of the lab.
 */
export async function buildFlowLogBucket(
  owner: LabBuilder,
  bucket: string,
  sourceAccounts: string[],
  prefix?: string,
): Promise<void> {
  await owner.call('s3', 'CreateBucket', {
    Bucket: bucket,
    ...(owner.region !== 'us-east-1' && { CreateBucketConfiguration: { LocationConstraint: owner.region } }),
  });
  await owner.call('s3', 'PutPublicAccessBlock', {
    Bucket: bucket,
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  });
  await owner.call('s3', 'PutBucketVersioning', {
    Bucket: bucket,
    VersioningConfiguration: { Status: 'Enabled' },
  });
  const under = prefix ? `${prefix}/` : '';
  const sourceArns = sourceAccounts.map((a) => `arn:aws:logs:${owner.region}:${a}:*`);
  await owner.call('s3', 'PutBucketPolicy', {
    Bucket: bucket,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSLogDeliveryWrite',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: sourceAccounts.map((a) => `arn:aws:s3:::${bucket}/${under}AWSLogs/${a}/*`),
          Condition: {
            StringEquals: {
              'aws:SourceAccount': sourceAccounts,
              's3:x-amz-acl': 'bucket-owner-full-control',
            },
            ArnLike: { 'aws:SourceArn': sourceArns },
          },
        },
        {
          Sid: 'AWSLogDeliveryAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['s3:GetBucketAcl', 's3:ListBucket'],
          Resource: `arn:aws:s3:::${bucket}`,
          Condition: {
            StringEquals: { 'aws:SourceAccount': sourceAccounts },
            ArnLike: { 'aws:SourceArn': sourceArns },
          },
        },
      ],
    }),
  });
}

export async function buildFlowLogs(
  lab: LabBuilder,
  archive: LabBuilder,
  vpcs: BuiltVpc[],
): Promise<{ flowLogIds: string[] }> {
  await lab.call('logs', 'CreateLogGroup', { logGroupName: FLOW_LOG_GROUP });
  const roleArn = await buildFlowLogsRole(lab);
  const flowLogIds: string[] = [];
  for (const vpc of vpcs) {
    const { FlowLogIds, Unsuccessful } = await lab.ec2<CreateFlowLogsResult>('CreateFlowLogs', {
      ResourceType: 'VPC',
      ResourceIds: [vpc.vpcId],
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: FLOW_LOG_GROUP,
      DeliverLogsPermissionArn: roleArn,
      MaxAggregationInterval: 60,
      ...named('vpc-flow-log', `${vpc.spec.name}-to-logs`),
    });
    flowLogIds.push(...created(FlowLogIds, Unsuccessful));
  }

  // The central bucket belongs to the log archive; the flow log is the lab
  // account's, created from it with the bucket's ARN as destination (no
  // role: delivery.logs.amazonaws.com writes under the bucket policy).
  const bucket = centralFlowLogBucket(archive.accountId);
  await buildFlowLogBucket(archive, bucket, [lab.accountId]);
  const prod = vpcs.find((v) => v.spec.key === 'prod')!;
  const { FlowLogIds, Unsuccessful } = await lab.ec2<CreateFlowLogsResult>('CreateFlowLogs', {
    ResourceType: 'VPC',
    ResourceIds: [prod.vpcId],
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::${bucket}`,
    MaxAggregationInterval: 60,
    ...named('vpc-flow-log', `${prod.spec.name}-to-central-bucket`),
  });
  flowLogIds.push(...created(FlowLogIds, Unsuccessful));
  return { flowLogIds };
}

/** CreateFlowLogs answers 200 with per-resource failures in `Unsuccessful`: a lab that silently lacks one is wrong. */
function created(ids: string[] | undefined, unsuccessful: CreateFlowLogsResult['Unsuccessful']): string[] {
  if (unsuccessful?.length) throw new Error(`CreateFlowLogs failed: ${JSON.stringify(unsuccessful)}`);
  return ids ?? [];
}
