import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  paginateDescribeLogGroups,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  TagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * CloudWatch Logs through the unchanged SDK client and the AWS CLI 2.9:
 * groups, streams, events, filter patterns, pagination, errors, IAM.
 */
let twin: TestTwin;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  twin = await startTestTwin();
  logs = new CloudWatchLogsClient(twin.clientConfig());
});
afterAll(() => twin.close());

async function group(name: string, streams: Record<string, string[]> = {}): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  const now = Date.now();
  for (const [stream, messages] of Object.entries(streams)) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
    if (messages.length)
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: name,
          logStreamName: stream,
          logEvents: messages.map((message, i) => ({ timestamp: now - 1000 + i, message })),
        }),
      );
  }
}

describe('log groups', () => {
  test('a group is described with both ARNs and its retention; a second create conflicts', async () => {
    await group('/wire/groups/a');
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/wire/groups/a', retentionInDays: 7 }));
    const { logGroups } = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/wire/groups/' }),
    );
    expect(logGroups).toEqual([
      expect.objectContaining({
        logGroupName: '/wire/groups/a',
        retentionInDays: 7,
        arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/wire/groups/a:*',
        logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/wire/groups/a',
      }),
    ]);
    await expect(
      logs.send(new CreateLogGroupCommand({ logGroupName: '/wire/groups/a' })),
    ).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
  });

  test('DescribeLogGroups pages through the paginator', async () => {
    for (let i = 0; i < 7; i++) await group(`/wire/paged/g${i}`);
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups(
      { client: logs, pageSize: 3 },
      { logGroupNamePrefix: '/wire/paged/' },
    ))
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!));
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `/wire/paged/g${i}`));
  });

  test('tags by ARN, and a deleted group is gone', async () => {
    await group('/wire/tags');
    const arn = 'arn:aws:logs:us-east-1:123456789012:log-group:/wire/tags';
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { team: 'net' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      team: 'net',
    });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/wire/tags' }));
    const err = await logs
      .send(new DescribeLogStreamsCommand({ logGroupName: '/wire/tags' }))
      .catch((e) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.message).toBe('The specified log group does not exist.');
  });
});

describe('log events', () => {
  beforeAll(() =>
    group('/wire/events', {
      'app/1': ['START run', 'ERROR disk full', 'user said "hello world"'],
      'app/2': ['WARN slow', 'ERROR timeout', 'END run'],
    }),
  );

  test('streams order by last event time, newest first', async () => {
    const { logStreams } = await logs.send(
      new DescribeLogStreamsCommand({
        logGroupName: '/wire/events',
        orderBy: 'LastEventTime',
        descending: true,
      }),
    );
    expect(logStreams?.map((s) => s.logStreamName)).toEqual(['app/2', 'app/1']);
    expect(logStreams?.[0]?.lastEventTimestamp).toBeGreaterThan(0);
  });

  test('GetLogEvents from the head, and the forward token stays put at the end', async () => {
    const first = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/wire/events',
        logStreamName: 'app/1',
        startFromHead: true,
        limit: 2,
      }),
    );
    expect(first.events?.map((e) => e.message)).toEqual(['START run', 'ERROR disk full']);
    const second = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/wire/events',
        logStreamName: 'app/1',
        nextToken: first.nextForwardToken,
      }),
    );
    expect(second.events?.map((e) => e.message)).toEqual(['user said "hello world"']);
    const third = await logs.send(
      new GetLogEventsCommand({
        logGroupName: '/wire/events',
        logStreamName: 'app/1',
        nextToken: second.nextForwardToken,
      }),
    );
    expect(third.events).toEqual([]);
    expect(third.nextForwardToken).toBe(second.nextForwardToken);
  });

  test.for([
    ['ERROR', ['ERROR disk full', 'ERROR timeout']],
    ['ERROR disk', ['ERROR disk full']],
    ['?WARN ?END', ['WARN slow', 'END run']],
    ['"hello world"', ['user said "hello world"']],
    ['ERROR -timeout', ['ERROR disk full']],
  ] as const)('FilterLogEvents %s across streams', async ([pattern, expected]) => {
    const { events } = await logs.send(
      new FilterLogEventsCommand({ logGroupName: '/wire/events', filterPattern: pattern }),
    );
    expect(events?.map((e) => e.message).sort()).toEqual([...expected].sort());
  });

  test('FilterLogEvents limited to named streams, with event ids and stream names', async () => {
    const { events } = await logs.send(
      new FilterLogEventsCommand({
        logGroupName: '/wire/events',
        logStreamNames: ['app/2'],
        filterPattern: 'ERROR',
      }),
    );
    expect(events).toEqual([
      expect.objectContaining({
        logStreamName: 'app/2',
        message: 'ERROR timeout',
        eventId: expect.any(String),
      }),
    ]);
  });

  test('PutLogEvents out of order is refused', async () => {
    const err = await logs
      .send(
        new PutLogEventsCommand({
          logGroupName: '/wire/events',
          logStreamName: 'app/1',
          logEvents: [
            { timestamp: Date.now(), message: 'b' },
            { timestamp: Date.now() - 10, message: 'a' },
          ],
        }),
      )
      .catch((e) => e);
    expect(err.name).toBe('InvalidParameterException');
  });
});

describe('permissions', () => {
  test('a user allowed on one group only is denied another with AccessDeniedException', async () => {
    await group('/wire/perm/mine', { s: ['x'] });
    await group('/wire/perm/other', { s: ['y'] });
    const iam = new IAMClient(twin.clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'log-reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'log-reader',
        PolicyName: 'read',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'logs:FilterLogEvents',
              Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/wire/perm/mine:*',
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'log-reader' }));
    const reader = new CloudWatchLogsClient({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    expect(
      (await reader.send(new FilterLogEventsCommand({ logGroupName: '/wire/perm/mine' }))).events,
    ).toHaveLength(1);
    const err = await reader
      .send(new FilterLogEventsCommand({ logGroupName: '/wire/perm/other' }))
      .catch((e) => e);
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain('logs:FilterLogEvents');
  });
});

describe('AWS CLI 2.9', () => {
  test.runIf(hasAwsCli)('logs filter-log-events and describe-log-groups', async () => {
    await group('/wire/cli', { one: ['REPORT RequestId: 1 Duration: 2 ms', 'plain line'] });
    const filtered = await aws(twin, [
      'logs',
      'filter-log-events',
      '--log-group-name',
      '/wire/cli',
      '--filter-pattern',
      'REPORT',
    ]);
    expect(filtered.code, filtered.stderr).toBe(0);
    expect((filtered.json as { events: { message: string }[] }).events.map((e) => e.message)).toEqual([
      'REPORT RequestId: 1 Duration: 2 ms',
    ]);
    const described = await aws(twin, [
      'logs',
      'describe-log-groups',
      '--log-group-name-prefix',
      '/wire/cli',
    ]);
    expect((described.json as { logGroups: { logGroupName: string }[] }).logGroups[0]?.logGroupName).toBe(
      '/wire/cli',
    );
    const missing = await aws(twin, [
      'logs',
      'get-log-events',
      '--log-group-name',
      '/wire/cli',
      '--log-stream-name',
      'nope',
    ]);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  });
});
