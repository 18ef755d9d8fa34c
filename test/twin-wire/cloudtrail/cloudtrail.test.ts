import {
  CloudTrailClient,
  CreateTrailCommand,
  GetTrailStatusCommand,
  InsufficientS3BucketPolicyException,
  LookupEventsCommand,
  paginateLookupEvents,
  StartLoggingCommand,
  StopLoggingCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';
import { doc, roleSession } from '../kms/session.ts';

/**
 * CloudTrail through the unchanged SDK client and AWS CLI 2.9: event
 * history of KMS calls (a denied Decrypt by a role session), paginated
 * with the SDK's paginator, and a trail's logging status. The twin runs on
 * a ManualClock; the client's middleware moves it half a second per call,
 * as an operator's pacing keeps within the 2-per-second quota.
 */
let twin: TestTwin;
let a: string;
const clock = new ManualClock(Date.UTC(2026, 4, 4, 9));
let visible: number;
let denial: string;
let key: string;

function cloudtrail(): CloudTrailClient {
  const client = new CloudTrailClient(twin.clientConfig());
  client.middlewareStack.add(
    (next) => (args) => {
      clock.advance(500);
      return next(args);
    },
    { step: 'initialize', name: 'paceLookups' },
  );
  return client;
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  a = twin.server.twin.accounts[0]!;
  visible = delay(twin.server.twin.profile, 'cloudTrailVisibleMs');
  const kms = new KMSClient(twin.clientConfig());
  key = (await kms.send(new CreateKeyCommand({ Description: 'audited' }))).KeyMetadata!.Arn!;
  const blob = (await kms.send(new EncryptCommand({ KeyId: key, Plaintext: new Uint8Array([7]) })))
    .CiphertextBlob;
  const reader = await roleSession(twin, a, 'AuditedReader');
  const error = await new KMSClient({ ...twin.clientConfig(), credentials: reader.keys })
    .send(new DecryptCommand({ CiphertextBlob: blob }))
    .catch((e: Error) => e);
  denial = (error as Error).message;
  for (let i = 0; i < 4; i += 1) await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
  clock.advance(visible);
});
afterAll(() => twin.close());

describe('LookupEvents through the SDK', () => {
  test('paginateLookupEvents walks every Decrypt, newest first, and each CloudTrailEvent parses', async () => {
    const events = [];
    for await (const page of paginateLookupEvents(
      { client: cloudtrail(), pageSize: 2 },
      { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }] },
    )) {
      expect(page.Events!.length).toBeLessThanOrEqual(2);
      events.push(...page.Events!);
    }
    expect(events).toHaveLength(5);
    const times = events.map((e) => e.EventTime!.getTime());
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const denied = events.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.errorCode);
    expect(denied).toMatchObject({
      eventSource: 'kms.amazonaws.com',
      eventName: 'Decrypt',
      errorCode: 'AccessDenied',
      errorMessage: denial,
      userIdentity: {
        type: 'AssumedRole',
        arn: `arn:aws:sts::${a}:assumed-role/AuditedReader/AuditedReader-session`,
      },
      resources: [{ accountId: a, type: 'AWS::KMS::Key', ARN: key }],
      requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', keyId: key },
    });
    expect(events[0]!.Resources).toEqual([{ ResourceType: 'AWS::KMS::Key', ResourceName: key }]);
  });

  test('a third request in the same second is a ThrottlingException', async () => {
    const client = new CloudTrailClient(twin.clientConfig());
    clock.advance(1000);
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    await client.send(new LookupEventsCommand({ MaxResults: 1 }));
    const error = await client.send(new LookupEventsCommand({ MaxResults: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((error as Error).message).toBe('Rate exceeded');
  });
});

describe('trails through the SDK', () => {
  test('CreateTrail needs the documented bucket policy; StartLogging / StopLogging show in GetTrailStatus', async () => {
    const s3 = new S3Client(twin.clientConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'wire-trail-logs' }));
    const ct = cloudtrail();
    const refused = await ct
      .send(new CreateTrailCommand({ Name: 'wire', S3BucketName: 'wire-trail-logs' }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsufficientS3BucketPolicyException);
    const trailArn = `arn:aws:cloudtrail:us-east-1:${a}:trail/wire`;
    const policy = doc(
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:GetBucketAcl',
        Resource: 'arn:aws:s3:::wire-trail-logs',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      },
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::wire-trail-logs/AWSLogs/${a}/*`,
        Condition: {
          StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn },
        },
      },
    );
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'wire-trail-logs', Policy: policy }));
    expect(
      (await ct.send(new CreateTrailCommand({ Name: 'wire', S3BucketName: 'wire-trail-logs' }))).TrailARN,
    ).toBe(trailArn);
    await ct.send(new StartLoggingCommand({ Name: 'wire' }));
    const on = await ct.send(new GetTrailStatusCommand({ Name: 'wire' }));
    // The pacing middleware moved the clock half a second since StartLogging.
    expect(on).toMatchObject({ IsLogging: true, StartLoggingTime: new Date(clock.now() - 500) });
    await ct.send(new StopLoggingCommand({ Name: trailArn }));
    const off = await ct.send(new GetTrailStatusCommand({ Name: 'wire' }));
    expect(off.IsLogging).toBe(false);
    expect(off.StopLoggingTime).toBeInstanceOf(Date);
  });
});

describe.runIf(hasAwsCli)('aws cloudtrail', () => {
  type Events = { Events: { EventName: string; CloudTrailEvent: string }[] };

  test('lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Decrypt', async () => {
    clock.advance(1000);
    const out = await aws(twin, [
      'cloudtrail',
      'lookup-events',
      '--lookup-attributes',
      'AttributeKey=EventName,AttributeValue=Decrypt',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const events = (out.json as Events).Events;
    expect(events.map((e) => e.EventName)).toEqual(Array(5).fill('Decrypt'));
    expect(events.some((e) => JSON.parse(e.CloudTrailEvent).errorCode === 'AccessDenied')).toBe(true);
  });

  test('stop-logging and get-trail-status', async () => {
    clock.advance(1000);
    expect((await aws(twin, ['cloudtrail', 'start-logging', '--name', 'wire'])).code).toBe(0);
    expect((await aws(twin, ['cloudtrail', 'get-trail-status', '--name', 'wire'])).json).toMatchObject({
      IsLogging: true,
    });
    const stopped = await aws(twin, ['cloudtrail', 'stop-logging', '--name', 'wire']);
    expect(stopped.code, stopped.stderr).toBe(0);
    const status = await aws(twin, ['cloudtrail', 'get-trail-status', '--name', 'wire']);
    expect(status.json).toMatchObject({ IsLogging: false });
    expect((status.json as { StopLoggingTime: number }).StopLoggingTime).toBeDefined();
    const missing = await aws(twin, ['cloudtrail', 'get-trail-status', '--name', 'nope']);
    expect(missing.stderr).toContain('(TrailNotFoundException)');
    expect(missing.stderr).toContain(
      `Unknown trail: arn:aws:cloudtrail:us-east-1:${a}:trail/nope for the user: ${a}`,
    );
  });
});
