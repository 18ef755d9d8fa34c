import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeFlowLogsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { gzipSync } from 'fflate';
import { afterEach, describe, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import { fieldsOf } from '../../../../helpers/observability/flow-records.ts';
import {
  bucketRecords,
  daysSince,
  findFlowLog,
  logGroupRecords,
} from '../../../../helpers/observability/flow-sources.ts';
import { DEFAULT_FLOW_LOG_FORMAT } from '../../../../helpers/targets/schema.ts';
import { awsError, mockedClients } from '../support.ts';

const V2 = fieldsOf(DEFAULT_FLOW_LOG_FORMAT);
const logs = mockClient(CloudWatchLogsClient);
const s3 = mockClient(S3Client);
const ec2 = mockClient(EC2Client);
afterEach(() => {
  logs.reset();
  s3.reset();
  ec2.reset();
});
const record = (eni: string, action = 'ACCEPT') =>
  `2 111111111111 ${eni} 10.0.1.10 10.2.1.10 0 0 1 3 252 1800000010 1800000060 ${action} OK`;

describe('logGroupRecords: the group’s records of this run’s addresses, every page', () => {
  test('one filtered search, its pages joined, the interface from the stream', async ({ expect }) => {
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ logStreamName: 'eni-0a-all', message: record('eni-0a') }], nextToken: 't' })
      .resolvesOnce({ events: [{ logStreamName: 'eni-0b-all', message: 'garbage' }] });
    const source = logGroupRecords(mockedClients(), {
      logGroup: '/flow',
      fields: V2,
      addresses: ['10.0.1.10', '10.2.1.10'],
      sinceMs: 5,
    });
    expect((await source.read()).map((r) => r.interfaceId)).toEqual(['eni-0a']);
    const first = logs.commandCalls(FilterLogEventsCommand)[0]!.args[0].input;
    expect(first).toMatchObject({
      logGroupName: '/flow',
      startTime: 5,
      filterPattern: '?"10.0.1.10" ?"10.2.1.10"',
    });
    expect(logs.commandCalls(FilterLogEventsCommand)[1]!.args[0].input.nextToken).toBe('t');
  });

  test('a refused read is “cannot tell”, never “no records”', async ({ expect }) => {
    logs.on(FilterLogEventsCommand).rejects(awsError('AccessDeniedException', 400));
    const source = logGroupRecords(mockedClients(), {
      logGroup: '/flow',
      fields: V2,
      addresses: ['10.0.1.10'],
      sinceMs: 0,
    });
    await expect(source.read()).rejects.toBeInstanceOf(CannotTellError);
  });
});

describe('bucketRecords: the flow log’s own gzip files under AWSLogs/<account>/vpcflowlogs/<region>/<day>/', () => {
  const gz = (text: string) =>
    ({ transformToByteArray: async () => gzipSync(new TextEncoder().encode(text)) }) as never;
  test('files of this flow log since the window, header skipped, each read once', async ({ expect }) => {
    const now = Date.now();
    const day = daysSince(now, now)[0]!;
    const base = `logs/AWSLogs/111111111111/vpcflowlogs/us-east-1/${day}/`;
    const mine = `${base}111111111111_vpcflowlogs_us-east-1_fl-1_20260101T0000Z_ab.log.gz`;
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: mine, LastModified: new Date(now) },
        {
          Key: `${base}111111111111_vpcflowlogs_us-east-1_fl-2_20260101T0000Z_cd.log.gz`,
          LastModified: new Date(now),
        },
        {
          Key: `${base}111111111111_vpcflowlogs_us-east-1_fl-1_20250101T0000Z_ef.log.gz`,
          LastModified: new Date(now - 86_400_000),
        },
      ],
    });
    s3.on(GetObjectCommand, { Key: mine }).callsFake(() => ({
      Body: gz(`${V2.join(' ')}\n${record('eni-0a')}\n${record('eni-0b', 'REJECT')}\n`),
    }));
    const source = bucketRecords(mockedClients(), {
      bucket: 'central',
      prefix: 'logs/',
      account: '111111111111',
      region: 'us-east-1',
      flowLogId: 'fl-1',
      fields: V2,
      sinceMs: now - 1000,
    });
    expect((await source.read()).map((r) => `${r.interfaceId} ${r.action}`)).toEqual([
      'eni-0a ACCEPT',
      'eni-0b REJECT',
    ]);
    await source.read();
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect(s3.commandCalls(ListObjectsV2Command)[0]!.args[0].input).toMatchObject({
      Bucket: 'central',
      Prefix: base,
    });
  });

  test('days are UTC days from the window’s start to now', ({ expect }) => {
    expect(daysSince(Date.UTC(2026, 11, 31, 23, 59), Date.UTC(2027, 0, 1, 0, 1))).toEqual([
      '2026/12/31',
      '2027/01/01',
    ]);
  });
});

describe('findFlowLog: the flow log on a resource that delivers where targets say', () => {
  test('by log group, or by bucket and prefix', async ({ expect }) => {
    ec2.on(DescribeFlowLogsCommand).resolves({
      FlowLogs: [
        { FlowLogId: 'fl-cw', LogDestinationType: 'cloud-watch-logs', LogGroupName: '/flow' },
        { FlowLogId: 'fl-s3', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::central/logs/' },
      ],
    });
    const c = mockedClients();
    expect((await findFlowLog(c, 'vpc-1', { logGroup: '/flow' }))?.FlowLogId).toBe('fl-cw');
    expect(
      (await findFlowLog(c, 'vpc-1', { bucket: 'central', account: 'lab', prefix: 'logs' }))?.FlowLogId,
    ).toBe('fl-s3');
    expect(await findFlowLog(c, 'vpc-1', { bucket: 'central', account: 'lab' })).toBeUndefined();
    expect(await findFlowLog(c, 'vpc-1', { logGroup: '/other' })).toBeUndefined();
    expect(ec2.commandCalls(DescribeFlowLogsCommand)[0]!.args[0].input.Filter).toEqual([
      { Name: 'resource-id', Values: ['vpc-1'] },
    ]);
  });
});
