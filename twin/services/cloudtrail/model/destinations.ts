/**
 * Where a trail delivers, and the checks CreateTrail / UpdateTrail make on
 * it:
 * - the S3 bucket must exist and its policy must let
 *   `cloudtrail.amazonaws.com` call s3:GetBucketAcl on the bucket and
 *   s3:PutObject under `[prefix/]AWSLogs/<account>/` with
 *   `s3:x-amz-acl: bucket-owner-full-control`, conditions on aws:SourceArn
 *   (the trail) and aws:SourceAccount honoured (CloudTrail User Guide,
 *   "Amazon S3 bucket policy for CloudTrail");
 * - the CloudWatch Logs role must trust `cloudtrail.amazonaws.com` and allow
 *   logs:CreateLogStream and logs:PutLogEvents on the group's streams
 *   (CloudTrail User Guide, "Sending events to CloudWatch Logs", role
 *   policy document); the group must exist.
 */
import { AwsError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/principal.ts';
import { decide } from '../../../iam/authorize.ts';
import type { Twin } from '../../../twin.ts';
import { findRole } from '../../iam/lookups.ts';
import { logs } from '../../logs/api.ts';
import { authorizeOnBucket, findBucket } from '../../s3/lookups.ts';
import {
  bucketMissing,
  bucketPolicy,
  groupMissing,
  roleMissing,
  rolePermissions,
  roleTrust,
} from '../errors.ts';

export const CLOUDTRAIL = 'cloudtrail.amazonaws.com';

/** CloudTrail itself, acting for a trail of `accountId`. */
export function cloudTrailPrincipal(accountId: string): Principal {
  return { kind: 'service', accountId, arn: CLOUDTRAIL, userId: CLOUDTRAIL, service: CLOUDTRAIL };
}

export interface Destination {
  arn: string;
  accountId: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string | undefined;
  cloudWatchLogsLogGroupArn?: string | undefined;
  cloudWatchLogsRoleArn?: string | undefined;
}

/** `[prefix/]AWSLogs/<account>/CloudTrail/<region>/` — where a trail's log files for a Region go. */
export function logPrefix(trail: Pick<Destination, 'accountId' | 's3KeyPrefix'>, region: string): string {
  const prefix = trail.s3KeyPrefix ? `${trail.s3KeyPrefix.replace(/\/$/, '')}/` : '';
  return `${prefix}AWSLogs/${trail.accountId}/CloudTrail/${region}/`;
}

export function sourceContext(trail: Pick<Destination, 'arn' | 'accountId'>) {
  return { 'aws:SourceArn': trail.arn, 'aws:SourceAccount': trail.accountId };
}

/** Throws CreateTrail's S3BucketDoesNotExistException or InsufficientS3BucketPolicyException. */
export function checkBucket(twin: Twin, trail: Destination): void {
  const bucket = findBucket(twin, trail.s3BucketName);
  if (!bucket) throw bucketMissing(trail.s3BucketName);
  const principal = cloudTrailPrincipal(trail.accountId);
  try {
    authorizeOnBucket(twin, principal, bucket, 's3:GetBucketAcl', { context: sourceContext(trail) });
    authorizeOnBucket(twin, principal, bucket, 's3:PutObject', {
      key: `${logPrefix(trail, trail.homeRegion)}check.json.gz`,
      context: { ...sourceContext(trail), 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
  } catch (error) {
    if (error instanceof AwsError && error.code === 'AccessDenied') throw bucketPolicy(trail.s3BucketName);
    throw error;
  }
}

const GROUP_ARN = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+?)(:\*)?$/;

export interface LogGroupRef {
  region: string;
  accountId: string;
  name: string;
  /** Without the trailing `:*`. */
  arn: string;
}

export function parseGroupArn(arn: string | undefined): LogGroupRef | undefined {
  const m = arn ? GROUP_ARN.exec(arn) : null;
  if (!m) return undefined;
  return {
    region: m[1]!,
    accountId: m[2]!,
    name: m[3]!,
    arn: `arn:aws:logs:${m[1]}:${m[2]}:log-group:${m[3]}`,
  };
}

/** The CloudWatch Logs stream CloudTrail writes to: `<account>_CloudTrail_<region>`. */
export function streamName(accountId: string, region: string): string {
  return `${accountId}_CloudTrail_${region}`;
}

/**
 * The session CloudTrail holds of the trail's CloudWatch Logs role (or
 * another service of its delivery role), or undefined when the role is gone.
 */
export function deliveryRoleSession(
  twin: Twin,
  roleArn: string,
  sessionName = 'CloudTrail',
): Principal | undefined {
  const role = findRole(twin, roleArn);
  if (!role) return undefined;
  return {
    kind: 'assumed-role',
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`,
    userId: `${role.roleId}:${sessionName}`,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName,
  };
}

export function trusts(twin: Twin, trail: Destination, roleArn: string): boolean {
  const role = findRole(twin, roleArn);
  if (!role) return false;
  const decision = decide(
    twin,
    cloudTrailPrincipal(trail.accountId),
    {
      action: 'sts:AssumeRole',
      resource: roleArn,
      resourcePolicy: role.trustPolicy,
      resourceAccount: role.accountId,
      resourcePolicyRequired: true,
      context: sourceContext(trail),
    },
    { region: trail.homeRegion, time: twin.clock.now(), sourceIp: CLOUDTRAIL, secureTransport: true },
  );
  return decision.allowed;
}

function mayWrite(twin: Twin, session: Principal, group: LogGroupRef, trail: Destination): boolean {
  const resource = `${group.arn}:log-stream:${streamName(trail.accountId, trail.homeRegion)}`;
  return ['logs:CreateLogStream', 'logs:PutLogEvents'].every(
    (action) =>
      decide(
        twin,
        session,
        { action, resource },
        { region: group.region, time: twin.clock.now(), sourceIp: CLOUDTRAIL, secureTransport: true },
      ).allowed,
  );
}

/** Throws CreateTrail's InvalidCloudWatchLogs… exceptions unless the group and role would let CloudTrail deliver. */
export function checkCloudWatch(twin: Twin, trail: Destination): void {
  const { cloudWatchLogsLogGroupArn: groupArn, cloudWatchLogsRoleArn: roleArn } = trail;
  if (!groupArn && !roleArn) return;
  if (!roleArn) throw roleMissing();
  const group = parseGroupArn(groupArn);
  if (!group) throw groupMissing();
  if (!trusts(twin, trail, roleArn)) throw roleTrust();
  const exists =
    twin.hasAccount(group.accountId) &&
    twin.model(logs, group.accountId, group.region).groups.has(group.name);
  const session = deliveryRoleSession(twin, roleArn)!;
  if (!exists || !mayWrite(twin, session, group, trail)) throw rolePermissions();
}
