import { gunzipSync } from 'fflate';
import { beforeEach, describe, expect, test } from 'vitest';
import { iam } from '../../../../twin/services/iam/api.ts';
import { listKeys, objectBytes } from '../../../../twin/services/s3/lookups.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { A, doc, fixture, REGION, type TrailFixture } from './fixtures.ts';

/**
 * Deliveries of a logging trail, on the twin's scheduler: gzip JSON log
 * files in the bucket, records in CloudWatch Logs, S3 data events when the
 * selectors ask for them, and nothing once logging stops.
 */
let f: TrailFixture;
let every: number;
type Record = { eventName: string; eventSource: string; eventCategory: string; recipientAccountId: string };

function records(): Record[] {
  return listKeys(f.twin, 'audit-bucket', 'AWSLogs/').flatMap((key) => {
    const text = new TextDecoder().decode(
      gunzipSync(new Uint8Array(objectBytes(f.twin, 'audit-bucket', key)!)),
    );
    return (JSON.parse(text) as { Records: Record[] }).Records;
  });
}
const names = () => records().map((r) => r.eventName);

beforeEach(async () => {
  f = fixture();
  every = delay(f.twin.profile, 'cloudTrailVisibleMs');
  await f.trailBucket('audit-bucket', 'audit');
  await f.ct('CreateTrail', { Name: 'audit', S3BucketName: 'audit-bucket' });
});

describe('S3 delivery', () => {
  test('nothing is delivered before StartLogging', async () => {
    await f.kms('CreateKey', {});
    await f.advance(every * 3);
    expect(records()).toEqual([]);
  });

  test('gzip JSON files under AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/, named as CloudTrail names them', async () => {
    await f.ct('StartLogging', { Name: 'audit' });
    await f.kms('CreateKey', {});
    await f.advance(every);
    const keys = listKeys(f.twin, 'audit-bucket', 'AWSLogs/');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(
      new RegExp(
        `^AWSLogs/${A}/CloudTrail/${REGION}/2026/03/01/${A}_CloudTrail_${REGION}_20260301T\\d{4}Z_[0-9a-f]{16}\\.json\\.gz$`,
      ),
    );
    // The StartLogging call itself is the first record of the trail.
    expect(records()).toMatchObject([
      { eventName: 'StartLogging', eventSource: 'cloudtrail.amazonaws.com' },
      { eventName: 'CreateKey', eventSource: 'kms.amazonaws.com', recipientAccountId: A },
    ]);
    const status = await f.ct<{ IsLogging: boolean; LatestDeliveryTime: Date; StartLoggingTime: Date }>(
      'GetTrailStatus',
      { Name: 'audit' },
    );
    expect(status).toMatchObject({ IsLogging: true, LatestDeliveryTime: new Date(f.clock.now()) });
  });

  test('StopLogging: calls before the stop are still delivered, later ones are not', async () => {
    await f.ct('StartLogging', { Name: 'audit' });
    await f.kms('CreateKey', { Description: 'before' });
    await f.ct('StopLogging', { Name: 'audit' });
    await f.kms('ListKeys', {});
    await f.advance(every * 3);
    expect(names()).toEqual(['StartLogging', 'CreateKey']);
    const status = await f.ct<{ IsLogging: boolean; StopLoggingTime: Date }>('GetTrailStatus', {
      Name: 'audit',
    });
    expect(status.IsLogging).toBe(false);
    expect(status.StopLoggingTime).toBeInstanceOf(Date);
  });

  test('a bucket policy removed later shows as LatestDeliveryError', async () => {
    await f.ct('StartLogging', { Name: 'audit' });
    await f.s3('DeleteBucketPolicy', { Bucket: 'audit-bucket' });
    await f.advance(every);
    expect(await f.ct('GetTrailStatus', { Name: 'audit' })).toMatchObject({
      LatestDeliveryError: 'AccessDenied',
    });
  });
});

describe('event selectors', () => {
  beforeEach(async () => {
    await f.s3('CreateBucket', { Bucket: 'data-bucket' });
    await f.ct('StartLogging', { Name: 'audit' });
  });

  test('S3 object reads and writes are not delivered by default', async () => {
    await f.s3('PutObject', { Bucket: 'data-bucket', Key: 'a.txt', Body: Buffer.from('x') });
    await f.advance(every);
    expect(names()).not.toContain('PutObject');
  });

  test('a data resource for the bucket delivers its object events as Data events', async () => {
    await f.ct('PutEventSelectors', {
      TrailName: 'audit',
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: false,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-bucket/'] }],
        },
      ],
    });
    await f.s3('PutObject', { Bucket: 'data-bucket', Key: 'a.txt', Body: Buffer.from('x') });
    await f.s3('GetObject', { Bucket: 'data-bucket', Key: 'a.txt' });
    await f.kms('CreateKey', {});
    await f.advance(every);
    expect(records().map((r) => [r.eventName, r.eventCategory])).toEqual([
      ['PutObject', 'Data'],
      ['GetObject', 'Data'],
    ]);
  });

  test('advanced selectors: write-only S3 data events', async () => {
    await f.ct('PutEventSelectors', {
      TrailName: 'audit',
      AdvancedEventSelectors: [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'readOnly', Equals: ['false'] },
          ],
        },
      ],
    });
    await f.s3('PutObject', { Bucket: 'data-bucket', Key: 'b.txt', Body: Buffer.from('x') });
    await f.s3('GetObject', { Bucket: 'data-bucket', Key: 'b.txt' });
    await f.advance(every);
    expect(names()).toEqual(['PutObject']);
  });
});

describe('CloudWatch Logs delivery', () => {
  test('records go to <account>_CloudTrail_<region> as the trail’s role', async () => {
    await f.logs('CreateLogGroup', { logGroupName: 'trail-events' });
    const trust = doc({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    const role = await f.call<{ Role: { Arn: string } }>(iam, 'CreateRole', {
      RoleName: 'ct-logs',
      AssumeRolePolicyDocument: trust,
    });
    await f.call(iam, 'PutRolePolicy', {
      RoleName: 'ct-logs',
      PolicyName: 'p',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      }),
    });
    await f.ct('UpdateTrail', {
      Name: 'audit',
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${A}:log-group:trail-events:*`,
      CloudWatchLogsRoleArn: role.Role.Arn,
    });
    await f.ct('StartLogging', { Name: 'audit' });
    await f.kms('CreateKey', {});
    await f.advance(every);
    const out = await f.logs<{ events: { message: string }[] }>('GetLogEvents', {
      logGroupName: 'trail-events',
      logStreamName: `${A}_CloudTrail_${REGION}`,
    });
    expect(out.events.map((e) => JSON.parse(e.message).eventName)).toContain('CreateKey');
    const status = await f.ct<{ LatestCloudWatchLogsDeliveryTime: Date }>('GetTrailStatus', {
      Name: 'audit',
    });
    expect(status.LatestCloudWatchLogsDeliveryTime).toEqual(new Date(f.clock.now()));
    await f.call(iam, 'DeleteRolePolicy', { RoleName: 'ct-logs', PolicyName: 'p' });
    await f.kms('CreateKey', {});
    await f.advance(every);
    expect(await f.ct('GetTrailStatus', { Name: 'audit' })).toHaveProperty(
      'LatestCloudWatchLogsDeliveryError',
    );
  });

  test('a role that no longer trusts CloudTrail stops delivery, as STS refuses CloudTrail the role', async () => {
    await f.logs('CreateLogGroup', { logGroupName: 'trail-events' });
    const trust = (service: string) =>
      doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
    const role = await f.call<{ Role: { Arn: string } }>(iam, 'CreateRole', {
      RoleName: 'ct-logs',
      AssumeRolePolicyDocument: trust('cloudtrail.amazonaws.com'),
    });
    await f.call(iam, 'PutRolePolicy', {
      RoleName: 'ct-logs',
      PolicyName: 'p',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: '*',
      }),
    });
    await f.ct('UpdateTrail', {
      Name: 'audit',
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${A}:log-group:trail-events:*`,
      CloudWatchLogsRoleArn: role.Role.Arn,
    });
    await f.ct('StartLogging', { Name: 'audit' });
    await f.call(iam, 'UpdateAssumeRolePolicy', {
      RoleName: 'ct-logs',
      PolicyDocument: trust('ec2.amazonaws.com'),
    });
    await f.kms('CreateKey', {});
    await f.advance(every);
    const out = await f.logs<{ events: { message: string }[] }>('FilterLogEvents', {
      logGroupName: 'trail-events',
    });
    expect(out.events.map((e) => JSON.parse(e.message).eventName)).not.toContain('CreateKey');
    expect(await f.ct('GetTrailStatus', { Name: 'audit' })).toMatchObject({
      LatestCloudWatchLogsDeliveryError: 'AccessDenied',
    });
  });
});
