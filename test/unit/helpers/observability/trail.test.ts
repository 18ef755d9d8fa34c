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
  test('recent within the bound, old beyond it, never delivered by a trail logging for long', () => {
    expect(judgeDelivery('s3://logs/', ago(10), ago(600), 60, now).recent).toBe(true);
    expect(judgeDelivery('s3://logs/', ago(61), ago(600), 60, now)).toEqual({
      recent: false,
      says: 's3://logs/: latest delivery 61.0 min ago (2026-12-07T10:59:00.000Z), must be within 60 min',
    });
    expect(judgeDelivery('s3://logs/', undefined, ago(30), 60, now)).toEqual({
      recent: false,
      says: 's3://logs/: never delivered',
    });
  });
  test('a trail that started logging minutes ago and has not delivered yet cannot be judged', () => {
    expect(() => judgeDelivery('s3://logs/', undefined, ago(2), 60, now)).toThrow(CannotTellError);
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
