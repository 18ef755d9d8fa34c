import type { CreateRoleResponse } from '@aws-sdk/client-iam';
import type { LabBuilder } from '../builder.ts';
import { APP_BUCKET } from './storage.ts';

/**
 * The trail of lab.md ("Audit and flow logs"; seed 000, phase 5): its bucket,
 * its CloudWatch Logs group and the role CloudTrail assumes to write there,
 * then the trail itself — in the order an operator must create them, since
 * CreateTrail checks the bucket policy and the role before it answers.
 */
export const TRAIL_NAME = 'Cloud-OrgTrail';
export const TRAIL_BUCKET = 'cloudtrail-logs';
export const TRAIL_LOG_GROUP = '/aws/cloudtrail/aws-logs';
export const TRAIL_LOGS_ROLE = 'CloudTrail_CloudWatchLogs_Role';

const BLOCK_ALL_PUBLIC = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

export interface AuditOptions {
  name?: string;
  bucket?: string;
  /** The group the trail also delivers to; no group, role or CloudWatch Logs delivery when null. */
  logGroup?: string | null;
  multiRegion?: boolean;
  /** Buckets whose S3 object-level events (read and write) the trail logs. */
  dataEventBuckets?: string[];
  insights?: ('ApiCallRateInsight' | 'ApiErrorRateInsight')[];
}

export interface Audit {
  trailArn: string;
}

export async function buildAudit(lab: LabBuilder, options: AuditOptions = {}): Promise<Audit> {
  const name = options.name ?? TRAIL_NAME;
  const bucket = options.bucket ?? TRAIL_BUCKET;
  const logGroup = options.logGroup === undefined ? TRAIL_LOG_GROUP : options.logGroup;
  const { accountId, region } = lab;
  const trailArn = `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;

  await buildTrailBucket(lab, bucket, trailArn);
  const cloudWatch = logGroup ? await buildTrailLogGroup(lab, logGroup, trailArn) : undefined;

  await lab.call('cloudtrail', 'CreateTrail', {
    Name: name,
    S3BucketName: bucket,
    IsMultiRegionTrail: options.multiRegion ?? true,
    IncludeGlobalServiceEvents: true,
    EnableLogFileValidation: true,
    ...(cloudWatch && {
      CloudWatchLogsLogGroupArn: cloudWatch.groupArn,
      CloudWatchLogsRoleArn: cloudWatch.roleArn,
    }),
  });
  // Basic event selectors: all management events, and S3 object-level events
  // on each bucket, the value being the bucket ARN with a trailing slash
  // ("arn:aws:s3:::amzn-s3-demo-bucket/" logs every object of it; CloudTrail
  // User Guide, "Logging data events", and API_DataResource).
  await lab.call('cloudtrail', 'PutEventSelectors', {
    TrailName: name,
    EventSelectors: [
      {
        ReadWriteType: 'All',
        IncludeManagementEvents: true,
        DataResources: [
          {
            Type: 'AWS::S3::Object',
            Values: (options.dataEventBuckets ?? [APP_BUCKET]).map((b) => `arn:aws:s3:::${b}/`),
          },
        ],
      },
    ],
  });
  const insights = options.insights ?? ['ApiCallRateInsight'];
  if (insights.length)
    await lab.call('cloudtrail', 'PutInsightSelectors', {
      TrailName: name,
      InsightSelectors: insights.map((InsightType) => ({ InsightType })),
    });
  // CreateTrail leaves logging off; the console starts it, the API does not
  // (API_CreateTrail: "call StartLogging to start logging").
  await lab.call('cloudtrail', 'StartLogging', { Name: name });
  return { trailArn };
}

/**
 * The trail's bucket: block public access, versioning, a TLS-only deny and
 * the bucket policy of the CloudTrail User Guide ("Amazon S3 bucket policy for CloudTrail"):
 * cloudtrail.amazonaws.com may GetBucketAcl on the bucket and PutObject under
 * `AWSLogs/<account>/` with `s3:x-amz-acl: bucket-owner-full-control`, each
 * only for this trail (aws:SourceArn) of this account (aws:SourceAccount),
 * which is how the guide guards against the confused deputy.
 */
async function buildTrailBucket(lab: LabBuilder, bucket: string, trailArn: string): Promise<void> {
  const { accountId } = lab;
  await lab.call('s3', 'CreateBucket', { Bucket: bucket });
  await lab.call('s3', 'PutPublicAccessBlock', {
    Bucket: bucket,
    PublicAccessBlockConfiguration: BLOCK_ALL_PUBLIC,
  });
  await lab.call('s3', 'PutBucketVersioning', {
    Bucket: bucket,
    VersioningConfiguration: { Status: 'Enabled' },
  });
  const source = { 'aws:SourceArn': trailArn, 'aws:SourceAccount': accountId };
  await lab.call('s3', 'PutBucketPolicy', {
    Bucket: bucket,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: `arn:aws:s3:::${bucket}`,
          Condition: { StringEquals: source },
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucket}/AWSLogs/${accountId}/*`,
          Condition: { StringEquals: { ...source, 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
        // Refuses every request without TLS, CloudTrail's included (it delivers over HTTPS): S3 User Guide,
        // "Security best practices for Amazon S3" — enforce encryption of data in transit with aws:SecureTransport.
        {
          Sid: 'DenyWithoutTls',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    }),
  });
}

/**
 * The log group and the role CloudTrail assumes to write to it. The role
 * policy is the CloudTrail User Guide's ("Role policy document for
 * CloudTrail to use CloudWatch Logs for monitoring"): CreateLogStream and
 * PutLogEvents on the group's `<account>_CloudTrail_<region>` streams — every
 * Region's, since a multi-Region trail writes one stream per Region.
 */
async function buildTrailLogGroup(
  lab: LabBuilder,
  logGroup: string,
  trailArn: string,
): Promise<{ groupArn: string; roleArn: string }> {
  const { accountId, region } = lab;
  await lab.call('logs', 'CreateLogGroup', { logGroupName: logGroup });
  const groupArn = `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}`;
  const { Role } = await lab.call<CreateRoleResponse>('iam', 'CreateRole', {
    RoleName: TRAIL_LOGS_ROLE,
    // Trust cloudtrail.amazonaws.com for this trail only (IAM User Guide,
    // "The confused deputy problem": aws:SourceArn / aws:SourceAccount).
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceArn': trailArn, 'aws:SourceAccount': accountId } },
        },
      ],
    }),
  });
  const streams = `${groupArn}:log-stream:${accountId}_CloudTrail_*`;
  await lab.call('iam', 'PutRolePolicy', {
    RoleName: TRAIL_LOGS_ROLE,
    PolicyName: 'cloudtrail-to-cloudwatch-logs',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailCreateLogStream',
          Effect: 'Allow',
          Action: 'logs:CreateLogStream',
          Resource: streams,
        },
        { Sid: 'AWSCloudTrailPutLogEvents', Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: streams },
      ],
    }),
  });
  return { groupArn: `${groupArn}:*`, roleArn: Role!.Arn! };
}
