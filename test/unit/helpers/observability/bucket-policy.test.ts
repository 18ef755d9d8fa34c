import { describe, expect, test } from 'vitest';
import {
  flowLogBucketRequests,
  trailBucketRequests,
  trailBucketStrangers,
  wrongVerdicts,
} from '../../../../helpers/observability/bucket-policy.ts';

/**
 * Log bucket policies, evaluated for the requests the delivering service
 * makes and the ones it must not be able to make, and for everyone else
 * they let in. The documented policies pass; each weakening is caught.
 */
const LAB = '123456789012';
const REGION = 'eu-west-1';
const TRAIL = `arn:aws:cloudtrail:${REGION}:${LAB}:trail/audit`;
const BUCKET = 'audit-logs';
const where = { bucket: BUCKET, account: LAB, region: REGION };

/** "Amazon S3 bucket policy for CloudTrail" (CloudTrail User Guide), with aws:SourceArn. */
function documented(
  write: Record<string, unknown> = {},
  resource = `arn:aws:s3:::${BUCKET}/AWSLogs/${LAB}/*`,
) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: `arn:aws:s3:::${BUCKET}`,
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL } },
      },
      {
        Sid: 'AWSCloudTrailWrite',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: resource,
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': LAB, ...write },
        },
      },
    ],
  };
}
const trailWrong = (policy: object, prefix?: string) =>
  wrongVerdicts(trailBucketRequests(JSON.stringify(policy), { ...where, prefix, trailArn: TRAIL }));

describe('trailBucketRequests', () => {
  test('the documented policy lets the trail write as AWS documents, and nothing more', () => {
    expect(trailWrong(documented())).toEqual([]);
    expect(trailWrong(documented({}, `arn:aws:s3:::${BUCKET}/audit/AWSLogs/${LAB}/*`), 'audit')).toEqual([]);
  });

  test('a write without the ACL condition, open to any source account, or outside AWSLogs/<account>/ is caught', () => {
    const noAcl = documented();
    delete (noAcl.Statement[1]!.Condition.StringEquals as Record<string, unknown>)['s3:x-amz-acl'];
    expect(trailWrong(noAcl)).toEqual([
      'the trail: PutObject of a log file without the ACL: allowed, should be refused',
    ]);
    const anySource = documented();
    delete (anySource.Statement[1]!.Condition.StringEquals as Record<string, unknown>)['aws:SourceAccount'];
    expect(trailWrong(anySource)).toEqual([
      "another account's trail: PutObject under this account's AWSLogs/: allowed, should be refused",
    ]);
    expect(trailWrong(documented({}, `arn:aws:s3:::${BUCKET}/*`))).toEqual([
      `the trail: PutObject outside the prefix (meshcheck-outside/${LAB}.json.gz): allowed, should be refused`,
    ]);
  });

  test('a policy that no longer lets CloudTrail write fails, saying why', () => {
    const readOnly = documented();
    readOnly.Statement.pop();
    expect(trailWrong(readOnly)).toEqual([
      'the trail: PutObject of a log file, bucket-owner-full-control: refused because no resource-based policy allows the s3:PutObject action, should be allowed',
    ]);
  });
});

describe('trailBucketStrangers', () => {
  test('CloudTrail and the bucket account are expected; anyone, other accounts and other services are named', () => {
    const policy = documented();
    expect(trailBucketStrangers(JSON.stringify(policy), where)).toEqual([]);
    const own = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${LAB}:root` },
      Action: 's3:*',
      Resource: '*',
    };
    expect(
      trailBucketStrangers(JSON.stringify({ ...policy, Statement: [...policy.Statement, own] }), where),
    ).toEqual([]);
    const open = [
      {
        Sid: 'Anyone',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
      {
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: '999999999999' },
        Action: 's3:ListBucket',
        Resource: `arn:aws:s3:::${BUCKET}`,
      },
      {
        Sid: 'Config',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${BUCKET}/*`,
      },
    ];
    const strangers = trailBucketStrangers(
      JSON.stringify({ ...policy, Statement: [...policy.Statement, ...open] }),
      where,
    );
    expect(strangers).toHaveLength(3);
    expect(strangers.join('\n')).toMatch(/s3:GetObject: anyone \(\*\), by Anyone/);
    expect(strangers.join('\n')).toMatch(/s3:ListBucket: any IAM principal of account 999999999999/);
    expect(strangers.join('\n')).toMatch(/s3:PutObject: config\.amazonaws\.com, by Config/);
  });
});

describe('flowLogBucketRequests', () => {
  const SOURCE = '210987654321';
  const central = (condition: Record<string, string>) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSLogDeliveryWrite',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::central/AWSLogs/${SOURCE}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...condition } },
        },
        {
          Sid: 'AWSLogDeliveryAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: 'arn:aws:s3:::central',
        },
      ],
    });
  const wrong = (policy: string) =>
    wrongVerdicts(
      flowLogBucketRequests(policy, {
        bucket: 'central',
        bucketAccount: LAB,
        account: SOURCE,
        region: REGION,
      }),
    );
  test("the documented cross-account policy lets delivery write for the flow log's account", () => {
    expect(wrong(central({ 'aws:SourceAccount': SOURCE }))).toEqual([]);
  });
  test("a policy for another source account does not let this flow log's account deliver", () => {
    expect(wrong(central({ 'aws:SourceAccount': LAB }))).toEqual([
      'log delivery: PutObject of a log file, bucket-owner-full-control: refused because no resource-based policy allows the s3:PutObject action, should be allowed',
    ]);
  });
});
