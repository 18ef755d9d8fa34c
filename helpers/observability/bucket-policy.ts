import { describeGrantee, type Grantee, resourcePolicyGrantees } from '../grants.ts';
import { type NamedPrincipal, OUTSIDER, type PolicyVerdict, resourcePolicyDecision } from '../policies.ts';

/**
 * What a log bucket's policy lets the delivering service do, evaluated with
 * the project's policy engine for the requests the service makes (and the
 * ones it must not be able to make), never compared as text.
 */

export const CLOUDTRAIL = 'cloudtrail.amazonaws.com';
export const LOG_DELIVERY = 'delivery.logs.amazonaws.com';

function service(name: string, account: string, context: Record<string, string>): NamedPrincipal {
  return {
    ref: `service:${name}`,
    principal: { type: 'service', accountId: account, arn: name, service: name },
    context: { ...context, 'aws:SecureTransport': true },
  };
}

const withSlash = (prefix: string | undefined) => (prefix ? `${prefix.replace(/\/+$/, '')}/` : '');

interface Request {
  who: string;
  principal: NamedPrincipal;
  action: string;
  resource: string;
  acl?: boolean;
  shouldBe: boolean;
}

function decideAll(policy: string, bucketAccount: string, requests: Request[]): PolicyVerdict[] {
  return requests.map((r) => {
    const d = resourcePolicyDecision(policy, {
      who: r.principal,
      action: r.action,
      resource: r.resource,
      resourceAccount: bucketAccount,
      ...(r.acl && { context: { 's3:x-amz-acl': 'bucket-owner-full-control' } }),
    });
    return { who: r.who, allowed: d.allowed, shouldBe: r.shouldBe, because: d.because };
  });
}

/**
 * The trail's bucket policy ("Amazon S3 bucket policy for CloudTrail",
 * CloudTrail User Guide): CloudTrail, for this trail, may check the ACL and
 * write log files under `[prefix/]AWSLogs/<account>/` with
 * bucket-owner-full-control; the same write without the ACL, for another
 * account's trail, or outside the prefix is refused.
 */
export function trailBucketRequests(
  policy: string,
  t: { bucket: string; prefix?: string | undefined; account: string; region: string; trailArn: string },
): PolicyVerdict[] {
  const p = withSlash(t.prefix);
  const object = (key: string) => `arn:aws:s3:::${t.bucket}/${key}`;
  const logFile = (account: string) =>
    `${p}AWSLogs/${account}/CloudTrail/${t.region}/2026/01/01/${account}_CloudTrail_${t.region}_20260101T0000Z_meshcheck.json.gz`;
  const trail = service(CLOUDTRAIL, t.account, {
    'aws:SourceAccount': t.account,
    'aws:SourceArn': t.trailArn,
  });
  const otherTrail = service(CLOUDTRAIL, t.account, {
    'aws:SourceAccount': OUTSIDER,
    'aws:SourceArn': `arn:aws:cloudtrail:${t.region}:${OUTSIDER}:trail/other`,
  });
  const outside = [
    `meshcheck-outside/${t.account}.json.gz`,
    ...(p ? [logFile(t.account).slice(p.length)] : []),
  ];
  return decideAll(policy, t.account, [
    {
      who: 'the trail: GetBucketAcl',
      principal: trail,
      action: 's3:GetBucketAcl',
      resource: `arn:aws:s3:::${t.bucket}`,
      shouldBe: true,
    },
    {
      who: 'the trail: PutObject of a log file, bucket-owner-full-control',
      principal: trail,
      action: 's3:PutObject',
      resource: object(logFile(t.account)),
      acl: true,
      shouldBe: true,
    },
    {
      who: 'the trail: PutObject of a log file without the ACL',
      principal: trail,
      action: 's3:PutObject',
      resource: object(logFile(t.account)),
      shouldBe: false,
    },
    {
      who: "another account's trail: PutObject under its own AWSLogs/",
      principal: otherTrail,
      action: 's3:PutObject',
      resource: object(logFile(OUTSIDER)),
      acl: true,
      shouldBe: false,
    },
    {
      who: "another account's trail: PutObject under this account's AWSLogs/",
      principal: otherTrail,
      action: 's3:PutObject',
      resource: object(logFile(t.account)),
      acl: true,
      shouldBe: false,
    },
    ...outside.map((key) => ({
      who: `the trail: PutObject outside the prefix (${key})`,
      principal: trail,
      action: 's3:PutObject',
      resource: object(key),
      acl: true,
      shouldBe: false,
    })),
  ]);
}

/**
 * Everyone else the policy lets in on the bucket or its log files: anyone,
 * another account, another service, or a principal AWS's policy language
 * has that the evaluator does not model. The bucket's own account (whose
 * IAM decides for its principals) and CloudTrail (held to this account by
 * trailBucketRequests) are expected.
 */
export function trailBucketStrangers(
  policy: string,
  t: { bucket: string; prefix?: string | undefined; account: string; region: string },
): string[] {
  const bucketArn = `arn:aws:s3:::${t.bucket}`;
  const logFile = `${bucketArn}/${withSlash(t.prefix)}AWSLogs/${t.account}/CloudTrail/${t.region}/meshcheck.json.gz`;
  const asks: [string, string][] = [
    ['s3:GetObject', logFile],
    ['s3:PutObject', logFile],
    ['s3:DeleteObject', logFile],
    ['s3:ListBucket', bucketArn],
    ['s3:GetBucketAcl', bucketArn],
    ['s3:PutBucketPolicy', bucketArn],
  ];
  const expected = (g: Grantee) =>
    (g.kind === 'service' && g.label === CLOUDTRAIL) ||
    ((g.kind === 'named' || g.kind === 'account') && g.principal?.accountId === t.account);
  const lines = asks.flatMap(([action, resource]) =>
    resourcePolicyGrantees(policy, { action, resource, resourceAccount: t.account })
      .filter((g) => g.allowed && !expected(g))
      .map((g) => `${action}: ${describeGrantee(g)}`),
  );
  return [...new Set(lines)];
}

/**
 * A flow log's bucket ("Permissions for IAM principals that publish flow
 * logs to Amazon S3" and the bucket policy of "Publish flow logs to Amazon
 * S3", VPC User Guide): delivery.logs.amazonaws.com, for the flow log's
 * account, checks the ACL and writes under
 * `[prefix/]AWSLogs/<flow log account>/` with bucket-owner-full-control.
 */
export function flowLogBucketRequests(
  policy: string,
  f: { bucket: string; prefix?: string | undefined; bucketAccount: string; account: string; region: string },
): PolicyVerdict[] {
  const delivery = service(LOG_DELIVERY, f.bucketAccount, {
    'aws:SourceAccount': f.account,
    'aws:SourceArn': `arn:aws:logs:${f.region}:${f.account}:*`,
  });
  const key = `${withSlash(f.prefix)}AWSLogs/${f.account}/vpcflowlogs/${f.region}/2026/01/01/${f.account}_vpcflowlogs_${f.region}_fl-meshcheck_20260101T0000Z_check.log.gz`;
  return decideAll(policy, f.bucketAccount, [
    {
      who: 'log delivery: GetBucketAcl',
      principal: delivery,
      action: 's3:GetBucketAcl',
      resource: `arn:aws:s3:::${f.bucket}`,
      shouldBe: true,
    },
    {
      who: 'log delivery: PutObject of a log file, bucket-owner-full-control',
      principal: delivery,
      action: 's3:PutObject',
      resource: `arn:aws:s3:::${f.bucket}/${key}`,
      acl: true,
      shouldBe: true,
    },
  ]);
}

/** Report lines for verdicts that are not as they should be. */
export function wrongVerdicts(verdicts: PolicyVerdict[]): string[] {
  return verdicts
    .filter((v) => v.allowed !== v.shouldBe)
    .map(
      (v) =>
        `${v.who}: ${v.allowed ? 'allowed' : `refused ${v.because}`}, should be ${v.shouldBe ? 'allowed' : 'refused'}`,
    );
}
