import {
  CloudTrailClient,
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, test } from 'vitest';
import {
  listObjectEvents,
  objectPattern,
  parseDataEvent,
  waitForObjectEvents,
} from '../../../../helpers/observability/trail-events.ts';
import { mockedClients } from '../support.ts';

const logs = mockClient(CloudWatchLogsClient);
const cloudtrail = mockClient(CloudTrailClient);
/** The bucket's object reads and writes are selected, as the lab intends, unless a test says otherwise. */
const allObjects = {
  EventSelectors: [
    { ReadWriteType: 'All' as const, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
  ],
};
beforeEach(() => {
  cloudtrail.on(GetEventSelectorsCommand).resolves(allObjects);
});
afterEach(() => {
  logs.reset();
  cloudtrail.reset();
});
const KEY = 'meshcheck/mc-1/trail-data-events.txt';
const event = (name: string, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventID: `id-${name}`,
    eventTime: '2026-12-07T10:00:00Z',
    eventSource: 's3.amazonaws.com',
    eventName: name,
    requestParameters: { bucketName: 'app-data', key: KEY, Host: 'app-data.s3.us-east-1.amazonaws.com' },
    userIdentity: {
      arn: 'arn:aws:sts::1:assumed-role/probe/meshcheck-mc-1-obs-prod',
      sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::1:role/probe' } },
    },
    ...over,
  });

describe('parseDataEvent reads a CloudTrail record as CloudWatch Logs holds it', () => {
  test('an S3 data event, and nothing else', ({ expect }) => {
    expect(parseDataEvent(event('PutObject'))).toMatchObject({
      name: 'PutObject',
      bucket: 'app-data',
      key: KEY,
      roleArn: 'arn:aws:iam::1:role/probe',
    });
    expect(parseDataEvent(event('Decrypt', { eventSource: 'kms.amazonaws.com' }))).toBeUndefined();
    expect(parseDataEvent('{not json')).toBeUndefined();
  });
});

describe('listObjectEvents: this run’s object, by its key, in the trail’s log group', () => {
  test('a JSON filter on the key; events of another bucket or key are not this run’s', async ({ expect }) => {
    logs.on(FilterLogEventsCommand).resolves({
      events: [
        { message: event('PutObject') },
        { message: event('GetObject', { requestParameters: { bucketName: 'other', key: KEY } }) },
        { message: event('GetObject', { requestParameters: { bucketName: 'app-data', key: `${KEY}.old` } }) },
      ],
    });
    const found = await listObjectEvents(mockedClients(), '/trail', { bucket: 'app-data', key: KEY }, 7);
    expect(found.map((e) => e.name)).toEqual(['PutObject']);
    expect(logs.commandCalls(FilterLogEventsCommand)[0]!.args[0].input).toMatchObject({
      logGroupName: '/trail',
      startTime: 7,
      filterPattern: `{ $.requestParameters.key = "${KEY}" }`,
    });
    expect(objectPattern('a"b')).toBe('{ $.requestParameters.key = "a\\"b" }');
  });
});

describe('waitForObjectEvents', () => {
  const o = {
    trail: 't',
    logGroup: '/trail',
    bucket: 'app-data',
    key: KEY,
    names: ['PutObject', 'GetObject'],
    sinceMs: 0,
  };
  test('ends when both calls are there', async ({ expect }) => {
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ message: event('PutObject') }] })
      .resolves({ events: [{ message: event('PutObject') }, { message: event('GetObject') }] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    cloudtrail
      .on(GetTrailCommand)
      .resolves({ Trail: { CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:1:log-group:/trail:*' } });
    const seen = await waitForObjectEvents(mockedClients(), { ...o, timeoutMs: 5_000 });
    expect(seen.missing).toEqual([]);
  });

  test('ends early, saying why, when the trail no longer delivers to the group', async ({ expect }) => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    cloudtrail.on(GetTrailCommand).resolves({ Trail: {} });
    const seen = await waitForObjectEvents(mockedClients(), { ...o, timeoutMs: 60_000 });
    expect(seen).toMatchObject({
      missing: ['PutObject', 'GetObject'],
      silent: 'trail t delivers to no log group, not /trail',
    });
  });

  test('ends early when the trail no longer selects the bucket’s object writes', async ({ expect }) => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    cloudtrail
      .on(GetTrailCommand)
      .resolves({ Trail: { CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:1:log-group:/trail:*' } });
    cloudtrail.on(GetEventSelectorsCommand).resolves({
      EventSelectors: [
        { ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
      ],
    });
    const seen = await waitForObjectEvents(mockedClients(), { ...o, timeoutMs: 60_000 });
    expect(seen.silent).toBe('trail t does not log the object writes of bucket app-data');
  });

  test('ends early on a CloudWatch Logs delivery error with no delivery since the run began', async ({
    expect,
  }) => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const trail = { CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:1:log-group:/trail:*' };
    cloudtrail.on(GetTrailCommand).resolves({ Trail: trail });
    cloudtrail.on(GetTrailStatusCommand).resolves({
      IsLogging: true,
      LatestCloudWatchLogsDeliveryError: 'AccessDenied',
      LatestCloudWatchLogsDeliveryTime: new Date(1_000),
    });
    const seen = await waitForObjectEvents(mockedClients(), { ...o, sinceMs: 2_000, timeoutMs: 60_000 });
    expect(seen.silent).toBe('CloudTrail cannot deliver to /trail: AccessDenied');
    // An error older than a delivery made after the run began is not a reason to stop.
    cloudtrail.on(GetTrailStatusCommand).resolves({
      IsLogging: true,
      LatestCloudWatchLogsDeliveryError: 'AccessDenied',
      LatestCloudWatchLogsDeliveryTime: new Date(3_000),
    });
    const later = await waitForObjectEvents(mockedClients(), { ...o, sinceMs: 2_000, timeoutMs: 300 });
    expect(later.silent).toBeUndefined();
  });

  test('runs out its bound with what it last saw', async ({ expect }) => {
    logs.on(FilterLogEventsCommand).resolves({ events: [{ message: event('PutObject') }] });
    cloudtrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    cloudtrail
      .on(GetTrailCommand)
      .resolves({ Trail: { CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:1:log-group:/trail:*' } });
    const seen = await waitForObjectEvents(mockedClients(), { ...o, timeoutMs: 300 });
    expect(seen.missing).toEqual(['GetObject']);
    expect(seen.silent).toBeUndefined();
  });
});
