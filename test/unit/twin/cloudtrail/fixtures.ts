import type { AwsError } from '../../../../twin/core/errors.ts';
import type { Credential } from '../../../../twin/core/principal.ts';
import { cloudtrail } from '../../../../twin/services/cloudtrail/api.ts';
import { logs } from '../../../../twin/services/logs/api.ts';
import { s3 } from '../../../../twin/services/s3/api.ts';
import { A, doc, type Fixture, fixture as kmsFixture, REGION } from '../kms/fixtures.ts';

export { A, B, doc, REGION } from '../kms/fixtures.ts';

/** The bucket policy CloudTrail's documentation gives, for a trail's ARN. */
export function trailBucketPolicy(bucket: string, trailArn: string, account = A): string {
  return doc(
    {
      Sid: 'AWSCloudTrailAclCheck20150319',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${bucket}`,
      Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
    },
    {
      Sid: 'AWSCloudTrailWrite20150319',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${bucket}/AWSLogs/${account}/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    },
  );
}

export interface TrailFixture extends Fixture {
  ct<O = Record<string, unknown>>(op: string, input: object, as?: Credential, region?: string): Promise<O>;
  ctError(op: string, input: object, as?: Credential, region?: string): Promise<AwsError>;
  s3<O = Record<string, unknown>>(op: string, input: object, as?: Credential): Promise<O>;
  logs<O = Record<string, unknown>>(op: string, input: object, as?: Credential): Promise<O>;
  /** A bucket whose policy lets the named trail deliver. */
  trailBucket(bucket: string, trailName: string): Promise<void>;
}

export function fixture(): TrailFixture {
  const f = kmsFixture();
  const t: TrailFixture = {
    ...f,
    ct: (op, input, as, region) => f.call(cloudtrail, op, input, as, region),
    async ctError(op, input, as, region) {
      try {
        await t.ct(op, input, as, region);
      } catch (error) {
        return error as AwsError;
      }
      throw new Error(`${op} succeeded`);
    },
    s3: (op, input, as) => f.call(s3, op, input, as),
    logs: (op, input, as) => f.call(logs, op, input, as),
    async trailBucket(bucket, trailName) {
      await t.s3('CreateBucket', { Bucket: bucket });
      const arn = `arn:aws:cloudtrail:${REGION}:${A}:trail/${trailName}`;
      await t.s3('PutBucketPolicy', { Bucket: bucket, Policy: trailBucketPolicy(bucket, arn) });
    },
  };
  return t;
}
