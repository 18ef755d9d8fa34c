import { describe, expect, test } from 'vitest';
import { judgeBucketPolicy, sampleKeys } from '../../../../helpers/application/storage-policy.ts';
import { namedPrincipal } from '../../../../helpers/policies.ts';

/**
 * S9: a bucket policy, evaluated: plain HTTP refused where intended, the
 * admitted principals let in, nobody else — whatever the text looks like.
 */

const ACCOUNT = '123456789012';
const BUCKET = 'app-data';
const lab = {
  accountId: ACCOUNT,
  runner: {
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Runner/s`,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/Runner`,
  },
  roleArns: {},
};
const who = (ref: string) => namedPrincipal(ref, lab);
const insiders = [who('runner'), who('role:meshcheck-unnamed')];
const WRITER = `arn:aws:iam::${ACCOUNT}:role/Writer`;

const tlsDeny = {
  Sid: 'DenyPlainHttp',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};
const writerGrant = {
  Sid: 'Writer',
  Effect: 'Allow',
  Principal: { AWS: WRITER },
  Action: ['s3:GetObject', 's3:PutObject'],
  Resource: `arn:aws:s3:::${BUCKET}/logs/*`,
};
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const judge = (p: string, admits = ['role:Writer'], tlsOnly = true) =>
  judgeBucketPolicy(p, { bucket: BUCKET, account: ACCOUNT, tlsOnly, admits: admits.map(who), insiders });

describe('judgeBucketPolicy', () => {
  test('a TLS deny and a grant to the admitted role: as intended', () => {
    expect(judge(policy(tlsDeny, writerGrant))).toEqual({ plainHttp: [], notAdmitted: [], strangers: [] });
  });

  test('a TLS deny worded otherwise (per action family) passes alike', () => {
    const perAction = { ...tlsDeny, Action: ['s3:Get*', 's3:Put*', 's3:List*', 's3:Delete*'] };
    expect(judge(policy(perAction, writerGrant)).plainHttp).toEqual([]);
  });

  test('without the TLS deny, plain HTTP gets through for the admitted role and the account', () => {
    const j = judge(policy(writerGrant));
    expect(j.plainHttp).toContain(
      'role:Writer: s3:ListBucket, s3:GetBucketAcl, s3:PutBucketPolicy, s3:GetObject, s3:PutObject, s3:DeleteObject',
    );
    expect(j.plainHttp.some((l) => l.startsWith('runner:'))).toBe(true);
    expect(judge(policy(writerGrant), ['role:Writer'], false).plainHttp).toEqual([]);
  });

  test('with no policy at all, plain HTTP gets through', () => {
    expect(judge('{}').plainHttp).not.toEqual([]);
  });

  test('anyone, another account, or another role of the account granted by the policy is a stranger', () => {
    const strangers = judge(
      policy(
        tlsDeny,
        writerGrant,
        {
          Sid: 'Public',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${BUCKET}/public/*`,
        },
        {
          Sid: 'Partner',
          Effect: 'Allow',
          Principal: { AWS: '210987654321' },
          Action: 's3:ListBucket',
          Resource: `arn:aws:s3:::${BUCKET}`,
        },
        {
          Sid: 'Other',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Other` },
          Action: 's3:DeleteObject',
          Resource: `arn:aws:s3:::${BUCKET}/*`,
        },
      ),
    ).strangers;
    expect(strangers.some((l) => l.startsWith('s3:GetObject: anyone (*), by Public'))).toBe(true);
    expect(strangers.some((l) => l.includes('account 210987654321') && l.includes('by Partner'))).toBe(true);
    expect(
      strangers.some((l) => l.startsWith(`s3:DeleteObject: arn:aws:iam::${ACCOUNT}:role/Other, by Other`)),
    ).toBe(true);
  });

  test("the bucket's own account, delegated to its IAM, is no stranger", () => {
    const own = {
      Sid: 'Own',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 's3:*',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
    };
    expect(judge(policy(tlsDeny, own)).strangers).toEqual([]);
  });

  test('an admitted role the policy denies, or a service it grants nothing, is not admitted', () => {
    const denyWriter = {
      Sid: 'NoWriter',
      Effect: 'Deny',
      Principal: { AWS: WRITER },
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
    };
    expect(judge(policy(tlsDeny, denyWriter)).notAdmitted).toEqual([
      'role:Writer: refused for none of the requests asked, should be allowed',
    ]);
    expect(judge(policy(tlsDeny), ['service:cloudtrail.amazonaws.com']).notAdmitted).toHaveLength(1);
  });

  test('a service granted under a prefix and conditions is admitted, and held to TLS', () => {
    const trail = {
      Sid: 'TrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    };
    expect(judge(policy(tlsDeny, trail), ['service:cloudtrail.amazonaws.com'])).toEqual({
      plainHttp: [],
      notAdmitted: [],
      strangers: [],
    });
    const open = judge(policy(trail), ['service:cloudtrail.amazonaws.com']);
    expect(open.plainHttp.some((l) => l.startsWith('cloudtrail.amazonaws.com, by TrailWrite'))).toBe(true);
    // CloudTrail, not named in targets, is a stranger.
    expect(judge(policy(tlsDeny, trail), []).strangers).toHaveLength(1);
  });
});

describe('sampleKeys', () => {
  test("a key nobody names, and one under each of the policy's object resources", () => {
    expect(sampleKeys(policy(writerGrant, tlsDeny), BUCKET)).toEqual([
      'meshcheck-check',
      'logs/meshcheck',
      'meshcheck',
    ]);
    expect(sampleKeys('not json', BUCKET)).toEqual(['meshcheck-check']);
  });
});
