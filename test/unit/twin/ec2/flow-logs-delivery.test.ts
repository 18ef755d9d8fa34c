import { gunzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import type { Flow } from '../../../../twin/network/flow.ts';
import { recordTraffic } from '../../../../twin/network/traffic-log.ts';
import type { EniTouch } from '../../../../twin/network/walk-state.ts';
import { iam } from '../../../../twin/services/iam/api.ts';
import { listKeys, objectBytes } from '../../../../twin/services/s3/lookups.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { rootCredential } from '../../../../twin/twin.ts';
import { A, B, doc, type FlowLogFixture, flowLogFixture } from './flow-logs-fixture.ts';

/**
 * Flow-log records built from the twin's traffic log and delivered on its
 * scheduler: per interface and 5-tuple, after the window closes plus the
 * delivery delay, to CloudWatch Logs through the delivery role and to a
 * cross-account bucket through its policy; refusals show in
 * DeliverLogsErrorMessage.
 */
const GROUP = '/vpc/flow-logs';
const SPAN = 400;
const ECHO: Flow = { protocol: 'icmp', srcPort: 0, dstPort: 0, icmpType: 8, icmpCode: 0 };
const REPLY: Flow = { ...ECHO, icmpType: 0 };

interface Lab {
  t: FlowLogFixture;
  vpcId: string;
  subnetId: string;
  a: { id: string; ip: string };
  b: { id: string; ip: string };
}

async function lab(): Promise<Lab> {
  const t = flowLogFixture();
  const { vpcId, subnetId } = await t.vpc();
  const eni = async () => {
    const { NetworkInterface } = await t.ec2('CreateNetworkInterface', { SubnetId: subnetId });
    return {
      id: NetworkInterface.NetworkInterfaceId as string,
      ip: NetworkInterface.PrivateIpAddress as string,
    };
  };
  return { t, vpcId, subnetId, a: await eni(), b: await eni() };
}

const touch = (
  eni: { id: string },
  direction: 'ingress' | 'egress',
  src: string,
  dst: string,
  flow: Flow,
  action: 'ACCEPT' | 'REJECT' = 'ACCEPT',
): EniTouch => ({
  networkInterfaceId: eni.id,
  accountId: A,
  direction,
  action,
  srcIp: src,
  dstIp: dst,
  flow,
});

/**
 * Three echo requests from a to b within 400 ms (one aggregation window of
 * the fast profile when the clock sits on a window's start), answered
 * unless `refusedAtB`.
 */
async function ping(l: Lab, refusedAtB = false): Promise<void> {
  const window = delay(l.t.twin.profile, 'flowLogCaptureMs');
  await l.t.advance((window - (l.t.clock.now() % window)) % window);
  const now = l.t.clock.now();
  const { a, b } = l;
  const touched = refusedAtB
    ? [touch(a, 'egress', a.ip, b.ip, ECHO), touch(b, 'ingress', a.ip, b.ip, ECHO, 'REJECT')]
    : [
        touch(a, 'egress', a.ip, b.ip, ECHO),
        touch(b, 'ingress', a.ip, b.ip, ECHO),
        touch(b, 'egress', b.ip, a.ip, REPLY),
        touch(a, 'ingress', b.ip, a.ip, REPLY),
      ];
  recordTraffic(l.t.twin, {
    start: now,
    end: now + SPAN,
    packets: 3,
    bytesPerPacket: 84,
    touched,
    answered: !refusedAtB,
  });
}

/** Long enough for every window of a ping to close and be delivered. */
function settle(t: FlowLogFixture): number {
  return SPAN + delay(t.twin.profile, 'flowLogCaptureMs') + delay(t.twin.profile, 'flowLogDeliveryMs') + 1;
}

async function cwlFlowLog(l: Lab, extra: object = {}, permissions?: string) {
  const roleArn = await l.t.deliveryRole('flow-logs', permissions);
  const out = await l.t.ec2('CreateFlowLogs', {
    ResourceType: 'VPC',
    ResourceIds: [l.vpcId],
    TrafficType: 'ALL',
    LogGroupName: GROUP,
    DeliverLogsPermissionArn: roleArn,
    ...extra,
  });
  return out.FlowLogIds[0] as string;
}

async function events(
  t: FlowLogFixture,
): Promise<{ logStreamName: string; message: string; timestamp: number }[]> {
  try {
    return (await t.logs('FilterLogEvents', { logGroupName: GROUP })).events;
  } catch {
    return [];
  }
}

async function flowLog(t: FlowLogFixture, id: string) {
  return (await t.ec2('DescribeFlowLogs', { FlowLogIds: [id] })).FlowLogs[0];
}

describe('records to CloudWatch Logs', () => {
  test('a ping shows at both interfaces, each in its own `<eni>-all` stream, after the window and the delivery delay', async () => {
    const l = await lab();
    const { a, b } = l;
    await cwlFlowLog(l);
    await ping(l);
    const start = Math.floor(l.t.clock.now() / 1000);
    const due = delay(l.t.twin.profile, 'flowLogCaptureMs') + delay(l.t.twin.profile, 'flowLogDeliveryMs');
    await l.t.advance(due - 1);
    expect(await events(l.t)).toEqual([]);
    await l.t.advance(1);
    const seen = (await events(l.t)).map((e) => `${e.logStreamName}: ${e.message}`).sort();
    const line = (eni: string, src: string, dst: string) =>
      `2 ${A} ${eni} ${src} ${dst} 0 0 1 3 252 ${start} ${start} ACCEPT OK`;
    expect(seen).toEqual(
      [
        `${a.id}-all: ${line(a.id, a.ip, b.ip)}`,
        `${a.id}-all: ${line(a.id, b.ip, a.ip)}`,
        `${b.id}-all: ${line(b.id, a.ip, b.ip)}`,
        `${b.id}-all: ${line(b.id, b.ip, a.ip)}`,
      ].sort(),
    );
    // the role created the group, as AWS does for a "new or existing" group
    const { logGroups } = await l.t.logs('DescribeLogGroups', { logGroupNamePrefix: GROUP });
    expect(logGroups.map((g: { logGroupName: string }) => g.logGroupName)).toEqual([GROUP]);
  });

  test('traffic type, the watched resource and the creation time decide what is recorded', async () => {
    const l = await lab();
    const { a, b } = l;
    await ping(l, true); // before any flow log: never recorded
    await l.t.advance(SPAN + 1);
    await cwlFlowLog(l, { ResourceType: 'NetworkInterface', ResourceIds: [b.id], TrafficType: 'REJECT' });
    await ping(l); // accepted everywhere: not for a REJECT flow log
    await ping(l, true);
    await l.t.advance(settle(l.t));
    const seen = (await events(l.t)).map((e) => `${e.logStreamName}: ${e.message}`);
    expect(seen).toEqual([
      expect.stringMatching(
        new RegExp(`^${b.id}-all: 2 ${A} ${b.id} ${a.ip} ${b.ip} 0 0 1 3 252 \\d+ \\d+ REJECT OK$`),
      ),
    ]);
  });

  test('traffic that enters the log after its window was delivered still arrives, at its own times', async () => {
    const l = await lab();
    await cwlFlowLog(l);
    const sentAt = l.t.clock.now();
    await l.t.advance(settle(l.t) * 2);
    expect(await events(l.t)).toEqual([]);
    // Run Command settles an invocation when it is read, recording its pings in the past
    const { a, b } = l;
    recordTraffic(l.t.twin, {
      start: sentAt,
      end: sentAt + SPAN,
      packets: 3,
      bytesPerPacket: 84,
      touched: [touch(a, 'egress', a.ip, b.ip, ECHO)],
      answered: false,
    });
    await l.t.advance(settle(l.t));
    const [event, ...more] = await events(l.t);
    expect(more).toEqual([]);
    expect(event!.timestamp).toBe(sentAt);
    expect(event!.message).toContain(` 3 252 ${Math.floor(sentAt / 1000)} `);
  });

  test('a custom format writes its fields in its order, with its version and `-` where a field does not apply', async () => {
    const l = await lab();
    const fields = [
      'version',
      'vpc-id',
      'subnet-id',
      'interface-id',
      'flow-direction',
      'traffic-path',
      'tcp-flags',
      'type',
    ];
    await cwlFlowLog(l, {
      ResourceType: 'Subnet',
      ResourceIds: [l.subnetId],
      LogFormat: fields.map((f) => `\${${f}}`).join(' '),
    });
    await ping(l);
    await l.t.advance(settle(l.t));
    const mine = (await events(l.t)).filter((e) => e.logStreamName === `${l.a.id}-all`).map((e) => e.message);
    expect(mine.sort()).toEqual(
      [
        `5 ${l.vpcId} ${l.subnetId} ${l.a.id} egress - 0 IPv4`,
        `5 ${l.vpcId} ${l.subnetId} ${l.a.id} ingress - 0 IPv4`,
      ].sort(),
    );
  });

  test('a role that may not write leaves "Access error"; once it may, delivery is SUCCESS again', async () => {
    const l = await lab();
    const noWrite = doc({
      Effect: 'Allow',
      Action: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
      Resource: '*',
    });
    const id = await cwlFlowLog(l, {}, noWrite);
    await ping(l);
    await l.t.advance(settle(l.t));
    expect(await flowLog(l.t, id)).toMatchObject({
      DeliverLogsStatus: 'FAILED',
      DeliverLogsErrorMessage: 'Access error',
    });
    expect(await events(l.t)).toEqual([]);
    const { FlowLogs } = await l.t.ec2('DescribeFlowLogs', {
      Filter: [{ Name: 'deliver-log-status', Values: ['FAILED'] }],
    });
    expect(FlowLogs.map((f: { FlowLogId: string }) => f.FlowLogId)).toEqual([id]);
    await l.t.call(iam, 'PutRolePolicy', {
      RoleName: 'flow-logs',
      PolicyName: 'deliver',
      PolicyDocument: doc({ Effect: 'Allow', Action: 'logs:*', Resource: '*' }),
    });
    await ping(l);
    await l.t.advance(settle(l.t));
    const healed = await flowLog(l.t, id);
    expect(healed.DeliverLogsStatus).toBe('SUCCESS');
    expect(healed.DeliverLogsErrorMessage).toBeUndefined();
    expect(await events(l.t)).toHaveLength(4);
  });

  test('a role that does not trust vpc-flow-logs.amazonaws.com leaves "Access error"', async () => {
    const l = await lab();
    const id = await cwlFlowLog(l);
    await l.t.call(iam, 'UpdateAssumeRolePolicy', {
      RoleName: 'flow-logs',
      PolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'ec2.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    });
    await ping(l);
    await l.t.advance(settle(l.t));
    expect(await flowLog(l.t, id)).toMatchObject({
      DeliverLogsStatus: 'FAILED',
      DeliverLogsErrorMessage: 'Access error',
    });
  });

  test('DeleteFlowLogs stops delivery', async () => {
    const l = await lab();
    const id = await cwlFlowLog(l);
    await ping(l);
    await l.t.advance(settle(l.t));
    expect(await events(l.t)).toHaveLength(4);
    await l.t.ec2('DeleteFlowLogs', { FlowLogIds: [id] });
    await ping(l);
    await l.t.advance(settle(l.t) * 3);
    expect(await events(l.t)).toHaveLength(4);
  });
});

describe('records to a cross-account bucket', () => {
  const BUCKET = 'central-flow-logs';
  const files = (t: FlowLogFixture) =>
    listKeys(t.twin, BUCKET).map((key) => ({
      key,
      lines: new TextDecoder()
        .decode(gunzipSync(new Uint8Array(objectBytes(t.twin, BUCKET, key)!)))
        .trimEnd()
        .split('\n'),
    }));

  test('gzip text files named as AWS names them, a header line then the records; a refusing policy gives "Access error"', async () => {
    const l = await lab();
    await l.t.flowLogBucket(BUCKET, B, A, 'vpc/');
    const { FlowLogIds } = await l.t.ec2('CreateFlowLogs', {
      ResourceType: 'VPC',
      ResourceIds: [l.vpcId],
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: `arn:aws:s3:::${BUCKET}/vpc/`,
    });
    const id = FlowLogIds[0];
    await ping(l);
    await l.t.advance(settle(l.t));
    const [file, ...more] = files(l.t);
    expect(more).toEqual([]);
    expect(file!.key).toMatch(
      new RegExp(
        `^vpc/AWSLogs/${A}/vpcflowlogs/us-east-1/2026/03/01/${A}_vpcflowlogs_us-east-1_${id}_20260301T\\d{4}Z_[0-9a-f]{8}\\.log\\.gz$`,
      ),
    );
    expect(file!.lines[0]).toBe(
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    );
    expect(file!.lines.slice(1)).toHaveLength(4);
    expect(
      file!.lines.slice(1).every((line) => line.startsWith(`2 ${A} eni-`) && line.endsWith(' ACCEPT OK')),
    ).toBe(true);
    expect((await flowLog(l.t, id)).DeliverLogsStatus).toBe('SUCCESS');

    await l.t.s3('DeleteBucketPolicy', { Bucket: BUCKET }, rootCredential(B));
    await ping(l);
    await l.t.advance(settle(l.t));
    expect(files(l.t)).toHaveLength(1);
    expect(await flowLog(l.t, id)).toMatchObject({
      DeliverLogsStatus: 'FAILED',
      DeliverLogsErrorMessage: 'Access error',
    });
  });
});
