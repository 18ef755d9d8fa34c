import { beforeEach, describe, expect, test } from 'vitest';
import { A, doc, fixture, REGION, type TrailFixture, trailBucketPolicy } from './fixtures.ts';

/** Trails: CreateTrail's checks on the bucket and the CloudWatch Logs role, shadows of multi-Region trails, selectors, tags. */
let f: TrailFixture;
const arnOf = (name: string, region = REGION) => `arn:aws:cloudtrail:${region}:${A}:trail/${name}`;
const GROUP = `arn:aws:logs:${REGION}:${A}:log-group:trail-events:*`;

beforeEach(() => {
  f = fixture();
});

describe('CreateTrail checks the bucket', () => {
  test('a missing bucket is S3BucketDoesNotExistException', async () => {
    const err = await f.ctError('CreateTrail', { Name: 'audit', S3BucketName: 'nowhere-bucket' });
    expect(err.code).toBe('S3BucketDoesNotExistException');
  });

  test('a bucket whose policy does not let CloudTrail write is InsufficientS3BucketPolicyException', async () => {
    await f.s3('CreateBucket', { Bucket: 'plain-bucket' });
    const err = await f.ctError('CreateTrail', { Name: 'audit', S3BucketName: 'plain-bucket' });
    expect([err.code, err.message]).toEqual([
      'InsufficientS3BucketPolicyException',
      'Incorrect S3 bucket policy is detected for bucket: plain-bucket',
    ]);
  });

  test('the policy’s aws:SourceArn must name this trail', async () => {
    await f.s3('CreateBucket', { Bucket: 'other-trail-bucket' });
    await f.s3('PutBucketPolicy', {
      Bucket: 'other-trail-bucket',
      Policy: trailBucketPolicy('other-trail-bucket', arnOf('other')),
    });
    expect((await f.ctError('CreateTrail', { Name: 'audit', S3BucketName: 'other-trail-bucket' })).code).toBe(
      'InsufficientS3BucketPolicyException',
    );
    await expect(
      f.ct('CreateTrail', { Name: 'other', S3BucketName: 'other-trail-bucket' }),
    ).resolves.toMatchObject({
      TrailARN: arnOf('other'),
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: false,
      LogFileValidationEnabled: false,
    });
  });

  test('a new trail is not logging', async () => {
    await f.trailBucket('audit-bucket', 'audit');
    await f.ct('CreateTrail', { Name: 'audit', S3BucketName: 'audit-bucket' });
    expect(await f.ct('GetTrailStatus', { Name: 'audit' })).toMatchObject({ IsLogging: false });
  });
});

describe('CreateTrail rules', () => {
  beforeEach(() => f.trailBucket('audit-bucket', 'audit'));

  test.for([
    [
      'ab',
      'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters.',
    ],
    ['-audit', 'Trail name must starts with a letter or number.'],
    [
      'au..dit',
      'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).',
    ],
  ])('name %s is refused', async ([name, message]) => {
    const err = await f.ctError('CreateTrail', { Name: name, S3BucketName: 'audit-bucket' });
    expect([err.code, err.message]).toEqual(['InvalidTrailNameException', message]);
  });

  test('a second trail of the same name, a multi-Region trail without global events', async () => {
    await f.ct('CreateTrail', { Name: 'audit', S3BucketName: 'audit-bucket' });
    expect((await f.ctError('CreateTrail', { Name: 'audit', S3BucketName: 'audit-bucket' })).message).toBe(
      `Trail audit already exists for customer: ${A}`,
    );
    const err = await f.ctError('CreateTrail', {
      Name: 'multi',
      S3BucketName: 'audit-bucket',
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: false,
    });
    expect(err.code).toBe('InvalidParameterCombinationException');
  });

  test('GetTrail of an unknown trail names its ARN', async () => {
    const err = await f.ctError('GetTrail', { Name: 'missing' });
    expect([err.code, err.message]).toEqual([
      'TrailNotFoundException',
      `Unknown trail: ${arnOf('missing')} for the user: ${A}`,
    ]);
  });
});

describe('CreateTrail checks the CloudWatch Logs role', () => {
  const trust = (service: string) =>
    doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' });
  const canWrite = {
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `arn:aws:logs:${REGION}:${A}:log-group:trail-events:log-stream:*`,
  };

  async function role(name: string, trustPolicy: string, ...statements: object[]): Promise<string> {
    const { iam } = await import('../../../../twin/services/iam/api.ts');
    const out = await f.call<{ Role: { Arn: string } }>(iam, 'CreateRole', {
      RoleName: name,
      AssumeRolePolicyDocument: trustPolicy,
    });
    if (statements.length)
      await f.call(iam, 'PutRolePolicy', {
        RoleName: name,
        PolicyName: 'p',
        PolicyDocument: doc(...statements),
      });
    return out.Role.Arn;
  }

  beforeEach(async () => {
    await f.trailBucket('audit-bucket', 'audit');
    await f.logs('CreateLogGroup', { logGroupName: 'trail-events' });
  });

  test.for([
    ['a log group without a role', 'none', 'InvalidCloudWatchLogsRoleArnException'],
    ['a role CloudTrail may not assume', 'lambda', 'InvalidCloudWatchLogsRoleArnException'],
    ['a role without logs permissions', 'bare', 'InvalidCloudWatchLogsLogGroupArnException'],
    ['a role that may write', 'good', undefined],
  ] as const)('%s', async ([, kind, code]) => {
    const roleArn =
      kind === 'none'
        ? undefined
        : kind === 'lambda'
          ? await role('r', trust('lambda.amazonaws.com'), canWrite)
          : kind === 'bare'
            ? await role('r', trust('cloudtrail.amazonaws.com'))
            : await role('r', trust('cloudtrail.amazonaws.com'), canWrite);
    const input = {
      Name: 'audit',
      S3BucketName: 'audit-bucket',
      CloudWatchLogsLogGroupArn: GROUP,
      ...(roleArn && { CloudWatchLogsRoleArn: roleArn }),
    };
    if (code) expect((await f.ctError('CreateTrail', input)).code).toBe(code);
    else
      expect(await f.ct('CreateTrail', input)).toMatchObject({
        CloudWatchLogsLogGroupArn: GROUP,
        CloudWatchLogsRoleArn: roleArn,
      });
  });
});

describe('trails across Regions', () => {
  beforeEach(async () => {
    await f.trailBucket('audit-bucket', 'audit');
    await f.ct('CreateTrail', { Name: 'audit', S3BucketName: 'audit-bucket', IsMultiRegionTrail: true });
  });

  test('a multi-Region trail shows in other Regions, and is changed only from its home Region', async () => {
    const elsewhere = await f.ct<{ trailList: { Name: string; HomeRegion: string }[] }>(
      'DescribeTrails',
      {},
      undefined,
      'eu-west-1',
    );
    expect(elsewhere.trailList).toMatchObject([{ Name: 'audit', HomeRegion: REGION }]);
    expect(
      (
        await f.ct<{ trailList: unknown[] }>(
          'DescribeTrails',
          { includeShadowTrails: false },
          undefined,
          'eu-west-1',
        )
      ).trailList,
    ).toEqual([]);
    expect((await f.ctError('StartLogging', { Name: arnOf('audit') }, undefined, 'eu-west-1')).code).toBe(
      'InvalidHomeRegionException',
    );
    expect(await f.ct('ListTrails', {}, undefined, 'eu-west-1')).toEqual({
      Trails: [{ TrailARN: arnOf('audit'), Name: 'audit', HomeRegion: REGION }],
    });
  });

  test('UpdateTrail and DeleteTrail', async () => {
    await f.ct('UpdateTrail', { Name: 'audit', EnableLogFileValidation: true });
    expect((await f.ct<{ Trail: object }>('GetTrail', { Name: 'audit' })).Trail).toMatchObject({
      LogFileValidationEnabled: true,
    });
    // The bucket policy allows AWSLogs/<account>/ only, not a key prefix in front of it.
    const err = await f.ctError('UpdateTrail', { Name: 'audit', S3KeyPrefix: 'ct' });
    expect(err.code).toBe('InsufficientS3BucketPolicyException');
    expect((await f.ct<{ Trail: object }>('GetTrail', { Name: 'audit' })).Trail).not.toHaveProperty(
      'S3KeyPrefix',
    );
    await f.ct('DeleteTrail', { Name: 'audit' });
    expect((await f.ctError('GetTrail', { Name: 'audit' })).code).toBe('TrailNotFoundException');
  });
});

describe('selectors and tags', () => {
  beforeEach(async () => {
    await f.trailBucket('audit-bucket', 'audit');
    await f.ct('CreateTrail', {
      Name: 'audit',
      S3BucketName: 'audit-bucket',
      TagsList: [{ Key: 'team', Value: 'sec' }],
    });
  });

  test('a new trail selects all management events; classic and advanced selectors replace each other', async () => {
    expect(await f.ct('GetEventSelectors', { TrailName: 'audit' })).toEqual({
      TrailARN: arnOf('audit'),
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [],
          ExcludeManagementEventSources: [],
        },
      ],
    });
    const advanced = [
      {
        Name: 'objects',
        FieldSelectors: [
          { Field: 'eventCategory', Equals: ['Data'] },
          { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        ],
      },
    ];
    await f.ct('PutEventSelectors', { TrailName: 'audit', AdvancedEventSelectors: advanced });
    expect(await f.ct('GetEventSelectors', { TrailName: 'audit' })).toEqual({
      TrailARN: arnOf('audit'),
      AdvancedEventSelectors: advanced,
    });
    expect(
      (await f.ct<{ Trail: { HasCustomEventSelectors: boolean } }>('GetTrail', { Name: 'audit' })).Trail
        .HasCustomEventSelectors,
    ).toBe(true);
    const both = await f.ctError('PutEventSelectors', {
      TrailName: 'audit',
      EventSelectors: [{}],
      AdvancedEventSelectors: advanced,
    });
    expect(both.code).toBe('InvalidParameterCombinationException');
    const bad = await f.ctError('PutEventSelectors', {
      TrailName: 'audit',
      EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['bucket'] }] }],
    });
    expect(bad.code).toBe('InvalidEventSelectorsException');
  });

  test('insight selectors are stored; none is InsightNotEnabledException', async () => {
    expect((await f.ctError('GetInsightSelectors', { TrailName: 'audit' })).code).toBe(
      'InsightNotEnabledException',
    );
    await f.ct('PutInsightSelectors', {
      TrailName: 'audit',
      InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
    });
    expect(await f.ct('GetInsightSelectors', { TrailName: 'audit' })).toEqual({
      TrailARN: arnOf('audit'),
      InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }],
    });
  });

  test('AddTags, RemoveTags, ListTags by trail ARN', async () => {
    await f.ct('AddTags', { ResourceId: arnOf('audit'), TagsList: [{ Key: 'env', Value: 'lab' }] });
    await f.ct('RemoveTags', { ResourceId: arnOf('audit'), TagsList: [{ Key: 'team' }] });
    expect(await f.ct('ListTags', { ResourceIdList: [arnOf('audit')] })).toEqual({
      ResourceTagList: [{ ResourceId: arnOf('audit'), TagsList: [{ Key: 'env', Value: 'lab' }] }],
    });
  });
});
