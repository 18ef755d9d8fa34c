import { beforeEach, describe, expect, test } from 'vitest';
import type { Principal } from '../../../../twin/core/principal.ts';
import { listKeys, objectBytes, putObjectAs } from '../../../../twin/services/s3/lookups.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, B, doc, type Fixture, fixture } from './fixtures.ts';

/**
 * AWS services writing into a bucket (VPC flow logs into a central bucket
 * of another account): judged by the bucket policy for the service
 * principal with aws:SourceAccount, as the log-delivery bucket policies in
 * the VPC Flow Logs guide are written.
 */
let f: Fixture;
const Bucket = 'central-flow-logs';
const delivery: Principal = {
  kind: 'service',
  accountId: A,
  arn: 'delivery.logs.amazonaws.com',
  userId: 'delivery.logs.amazonaws.com',
  service: 'delivery.logs.amazonaws.com',
};
const write = (key: string, sourceAccount = A) =>
  putObjectAs(f.twin, {
    bucket: Bucket,
    key,
    body: Buffer.from('2 123 eni-1 …'),
    principal: delivery,
    sourceAccount,
    sourceArn: `arn:aws:logs:us-east-1:${sourceAccount}:*`,
    acl: 'bucket-owner-full-control',
  });

beforeEach(async () => {
  f = fixture();
  await f.s3('CreateBucket', { Bucket }, rootCredential(B));
  await f.s3(
    'PutBucketPolicy',
    {
      Bucket,
      Policy: doc({
        Sid: 'AWSLogDeliveryWrite',
        Effect: 'Allow',
        Principal: { Service: 'delivery.logs.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${Bucket}/AWSLogs/${A}/*`,
        Condition: {
          StringEquals: { 'aws:SourceAccount': A, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    },
    rootCredential(B),
  );
});

describe('putObjectAs', () => {
  test('the bucket policy lets log delivery write for the named account, into its prefix only', () => {
    const ok = write(`AWSLogs/${A}/vpcflowlogs/us-east-1/2026/03/01/file.log.gz`);
    expect(ok).toMatchObject({
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      encryption: { algorithm: 'AES256' },
    });
    expect(listKeys(f.twin, Bucket, 'AWSLogs/')).toEqual([
      `AWSLogs/${A}/vpcflowlogs/us-east-1/2026/03/01/file.log.gz`,
    ]);
    expect(
      objectBytes(f.twin, Bucket, `AWSLogs/${A}/vpcflowlogs/us-east-1/2026/03/01/file.log.gz`)?.toString(),
    ).toBe('2 123 eni-1 …');
    expect(() => write(`AWSLogs/${B}/x.log.gz`, B)).toThrow(/not authorized to perform: s3:PutObject/);
    expect(() => write('elsewhere/x.log.gz')).toThrow(/because no resource-based policy allows/);
  });

  test('a bucket that does not exist is NoSuchBucket', () => {
    expect(() =>
      putObjectAs(f.twin, { bucket: 'missing-bucket', key: 'k', body: Buffer.alloc(0), principal: delivery }),
    ).toThrow('The specified bucket does not exist');
  });
});
