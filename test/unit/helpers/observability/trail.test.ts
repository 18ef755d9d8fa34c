import { CloudTrailClient, GetInsightSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { GetBucketVersioningCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import {
  getBucketProtection,
  judgeDelivery,
  listInsightTypes,
  parseLogGroupArn,
} from '../../../../helpers/observability/trail.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * Reading a trail and its bucket: what AWS answers when something is not
 * set is "none", a trail or bucket that is gone is a deviation, and a
 * delivery not yet made by a trail just started is cannot-tell.
 */
const cloudtrail = mockClient(CloudTrailClient);
const s3 = mockClient(S3Client);
afterEach(() => {
  cloudtrail.reset();
  s3.reset();
});
const TRAIL = 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/audit';

describe('listInsightTypes', () => {
  test('InsightNotEnabledException means none; a gone trail is a deviation; denied is cannot-tell', async () => {
    cloudtrail
      .on(GetInsightSelectorsCommand)
      .resolves({ InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] });
    expect(await listInsightTypes(mockedClients(), TRAIL)).toEqual(['ApiCallRateInsight']);
    cloudtrail.on(GetInsightSelectorsCommand).rejects(awsError('InsightNotEnabledException'));
    expect(await listInsightTypes(mockedClients(), TRAIL)).toEqual([]);
    cloudtrail.on(GetInsightSelectorsCommand).rejects(awsError('TrailNotFoundException'));
    await expect(listInsightTypes(mockedClients(), TRAIL)).rejects.toThrow(LabDeviationError);
    cloudtrail.on(GetInsightSelectorsCommand).rejects(awsError('AccessDeniedException', 403));
    await expect(listInsightTypes(mockedClients(), TRAIL)).rejects.toThrow(CannotTellError);
  });
});

describe('getBucketProtection', () => {
  test('no Block Public Access configuration blocks nothing; never-versioned says so', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchPublicAccessBlockConfiguration', 404));
    s3.on(GetBucketVersioningCommand).resolves({});
    expect(await getBucketProtection(mockedClients(), 'logs')).toEqual({
      publicAccessBlock: {
        BlockPublicAcls: false,
        IgnorePublicAcls: false,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
      versioning: 'never enabled',
    });
  });

  test('a bucket that is gone is a deviation; a denied read is cannot-tell', async () => {
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('NoSuchBucket', 404));
    s3.on(GetBucketVersioningCommand).resolves({ Status: 'Enabled' });
    await expect(getBucketProtection(mockedClients(), 'logs')).rejects.toThrow(LabDeviationError);
    s3.on(GetPublicAccessBlockCommand).rejects(awsError('AccessDenied', 403));
    await expect(getBucketProtection(mockedClients(), 'logs')).rejects.toThrow(CannotTellError);
  });
});

describe('judgeDelivery', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  const ago = (min: number) => new Date(now - min * 60_000);
  const judge = (latest?: Date, startedAt?: Date, error?: string) =>
    judgeDelivery('s3://logs/', { latest, startedAt, error }, 60, now);
  test('recent within the bound, old beyond it, never delivered by a trail logging for long', () => {
    expect(judge(ago(10), ago(600)).ok).toBe(true);
    expect(judge(ago(61), ago(600))).toEqual({
      ok: false,
      says: 's3://logs/: latest delivery 61.0 min ago (2026-12-07T10:59:00.000Z), must be within 60 min',
    });
    expect(judge(undefined, ago(30))).toEqual({ ok: false, says: 's3://logs/: never delivered' });
  });
  test("a delivery error fails in CloudTrail's words, even before any delivery succeeded", () => {
    expect(judge(ago(1), ago(600), 'AccessDenied')).toEqual({
      ok: false,
      says: "s3://logs/: CloudTrail's latest delivery failed: AccessDenied",
    });
    expect(judge(undefined, ago(1), 'AccessDenied').ok).toBe(false);
  });
  test('a trail that started logging minutes ago and has not delivered yet is not judged yet', () => {
    expect(judge(undefined, ago(2))).toEqual({
      ok: false,
      notYet: true,
      says: 's3://logs/: the trail started logging 2.0 min ago and its first delivery is not due yet (CloudTrail delivers within about 5 minutes)',
    });
  });
});

test('parseLogGroupArn reads the group CloudTrail names, with or without its trailing :*', () => {
  expect(parseLogGroupArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ct:*')).toEqual({
    region: 'eu-west-1',
    account: '123456789012',
    name: '/aws/ct',
  });
  expect(parseLogGroupArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/ct')?.name).toBe('/aws/ct');
  expect(parseLogGroupArn(undefined)).toBeUndefined();
});
