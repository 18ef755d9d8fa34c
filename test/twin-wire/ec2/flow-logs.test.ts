import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteFlowLogsCommand,
  DescribeFlowLogsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { gunzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * VPC Flow Logs through unchanged SDK clients: a small lab built from
 * empty, a flow log to CloudWatch Logs through a role and one to a bucket
 * of another account; a Run Command ping shows as records in both once the
 * window and the delivery delay have passed; a bucket policy that refuses
 * shows as DeliverLogsErrorMessage "Access error".
 */
let twin: TestTwin;
let ec2: EC2Client;
let ssm: SSMClient;
const clock = new ManualClock(Date.UTC(2026, 4, 4, 9));
const BUCKET = 'wire-central-flow-logs';
const GROUP = '/wire/vpc-flow-logs';
let account = '';
let central = '';
const hosts: { a: { instanceId: string; ip: string }; b: { instanceId: string; ip: string } } = {
  a: { instanceId: '', ip: '10.70.1.10' },
  b: { instanceId: '', ip: '10.70.1.20' },
};
let vpcId = '';
let deliveryRoleArn = '';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

async function roles(): Promise<string> {
  const iam = new IAMClient(twin.clientConfig());
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'agent',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'ec2.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'agent',
      PolicyName: 'core',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'],
        Resource: '*',
      }),
    }),
  );
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'agent' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'agent', RoleName: 'agent' }));
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: 'flow-logs',
      AssumeRolePolicyDocument: doc({
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'flow-logs',
      PolicyName: 'deliver',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
        ],
        Resource: '*',
      }),
    }),
  );
  return Role!.Arn!;
}

async function network(): Promise<void> {
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }))).Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const subnet = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.1.0/24', AvailabilityZone: 'us-east-1a' }),
  );
  const subnetId = subnet.Subnet!.SubnetId!;
  const group = async (name: string, proto: string, port: number) => {
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [
          { IpProtocol: proto, FromPort: port, ToPort: port, IpRanges: [{ CidrIp: '10.70.0.0/16' }] },
        ],
      }),
    );
    return GroupId!;
  };
  const endpointSg = await group('endpoints', 'tcp', 443);
  for (const svc of ['ssm', 'ssmmessages', 'ec2messages'])
    await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: `com.amazonaws.us-east-1.${svc}`,
        SubnetIds: [subnetId],
        SecurityGroupIds: [endpointSg],
        PrivateDnsEnabled: true,
      }),
    );
  const appSg = await group('app', 'icmp', -1);
  for (const host of [hosts.a, hosts.b]) {
    const run = await ec2.send(
      new RunInstancesCommand({
        ImageId: 'ami-0abcdef1234567890',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        SecurityGroupIds: [appSg],
        PrivateIpAddress: host.ip,
        IamInstanceProfile: { Name: 'agent' },
      }),
    );
    host.instanceId = run.Instances![0]!.InstanceId!;
  }
}

/** The documented bucket policy for flow logs ("Amazon S3 bucket policy for flow logs"), for `source`. */
function bucketPolicy(source: string): string {
  const condition = {
    StringEquals: { 'aws:SourceAccount': source },
    ArnLike: { 'aws:SourceArn': `arn:aws:logs:us-east-1:${source}:*` },
  };
  return doc(
    {
      Sid: 'AWSLogDeliveryWrite',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${source}/*`,
      Condition: {
        ...condition,
        StringEquals: { ...condition.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
      },
    },
    {
      Sid: 'AWSLogDeliveryAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: `arn:aws:s3:::${BUCKET}`,
      Condition: condition,
    },
  );
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  [account, central] = twin.server.twin.accounts as [string, string];
  ec2 = new EC2Client(twin.clientConfig());
  ssm = new SSMClient(twin.clientConfig());
  const roleArn = await roles();
  deliveryRoleArn = roleArn;
  await network();
  const centralS3 = new S3Client({ ...twin.clientConfig(central), forcePathStyle: true });
  await centralS3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await centralS3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: bucketPolicy(account) }));
  const toLogs = await ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'VPC',
      ResourceIds: [vpcId],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: roleArn,
      MaxAggregationInterval: 60,
    }),
  );
  const toBucket = await ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'VPC',
      ResourceIds: [vpcId],
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: `arn:aws:s3:::${BUCKET}`,
    }),
  );
  expect([...toLogs.Unsuccessful!, ...toBucket.Unsuccessful!]).toEqual([]);
});
afterAll(() => twin.close());

/** Moves the twin's clock and runs what its scheduler has due (flow-log deliveries). */
async function advance(ms: number): Promise<void> {
  clock.advance(ms);
  await twin.server.twin.scheduler.runDue();
}

async function pingAtoB(): Promise<void> {
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [hosts.a.instanceId],
      Parameters: { commands: [`ping -c 2 -W 1 ${hosts.b.ip}`] },
    }),
  );
  await advance(10_000);
  const result = await ssm.send(
    new GetCommandInvocationCommand({ CommandId: sent.Command!.CommandId, InstanceId: hosts.a.instanceId }),
  );
  expect(result).toMatchObject({ Status: 'Success', ResponseCode: 0 });
}

function settle(): number {
  const profile = twin.server.twin.profile;
  return delay(profile, 'flowLogCaptureMs') + delay(profile, 'flowLogDeliveryMs') + 1;
}

/** `srcaddr dstaddr … action` of the records, with the packets of each pair summed. */
function pairs(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) {
    const f = line.split(' ');
    const key = `${f[3]} > ${f[4]} ${f[12]}`;
    out[key] = (out[key] ?? 0) + Number(f[8]);
  }
  return out;
}

describe('flow logs through the SDK', () => {
  test('a Run Command ping shows as ACCEPT records in the log group and in the cross-account bucket', async () => {
    await pingAtoB();
    await advance(settle());
    const logs = new CloudWatchLogsClient(twin.clientConfig());
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP }));
    const streams = new Set(events!.map((e) => e.logStreamName));
    expect(streams.size).toBe(2);
    for (const s of streams) expect(s).toMatch(/^eni-[0-9a-f]{17}-all$/);
    const { a, b } = hosts;
    // each host's interface sees the request and the answer: two packets each way
    expect(pairs(events!.map((e) => e.message!))).toEqual({
      [`${a.ip} > ${b.ip} ACCEPT`]: 4,
      [`${b.ip} > ${a.ip} ACCEPT`]: 4,
    });

    const centralS3 = new S3Client({ ...twin.clientConfig(central), forcePathStyle: true });
    const listed = await centralS3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: `AWSLogs/${account}/vpcflowlogs/us-east-1/2026/05/04/`,
      }),
    );
    expect(listed.Contents).toHaveLength(1);
    const object = await centralS3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: listed.Contents![0]!.Key }),
    );
    const text = new TextDecoder().decode(gunzipSync(await object.Body!.transformToByteArray()));
    const [header, ...lines] = text.trimEnd().split('\n');
    expect(header).toBe(
      'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    );
    expect(pairs(lines)).toEqual({ [`${a.ip} > ${b.ip} ACCEPT`]: 4, [`${b.ip} > ${a.ip} ACCEPT`]: 4 });

    const { FlowLogs } = await ec2.send(new DescribeFlowLogsCommand({}));
    expect(FlowLogs!.map((f) => [f.LogDestinationType, f.FlowLogStatus, f.DeliverLogsStatus])).toEqual([
      ['cloud-watch-logs', 'ACTIVE', 'SUCCESS'],
      ['s3', 'ACTIVE', 'SUCCESS'],
    ]);
  });

  test('a bucket policy that no longer lets this account in shows "Access error"; deleting the flow log stops it', async () => {
    const centralS3 = new S3Client({ ...twin.clientConfig(central), forcePathStyle: true });
    await centralS3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: bucketPolicy(central) }));
    await pingAtoB();
    await advance(settle());
    const { FlowLogs } = await ec2.send(
      new DescribeFlowLogsCommand({ Filter: [{ Name: 'log-destination-type', Values: ['s3'] }] }),
    );
    expect(FlowLogs).toEqual([
      expect.objectContaining({ DeliverLogsStatus: 'FAILED', DeliverLogsErrorMessage: 'Access error' }),
    ]);
    const deleted = await ec2.send(new DeleteFlowLogsCommand({ FlowLogIds: [FlowLogs![0]!.FlowLogId!] }));
    expect(deleted.Unsuccessful).toEqual([]);
    const left = await ec2.send(new DescribeFlowLogsCommand({}));
    expect(left.FlowLogs!.map((f) => f.LogDestinationType)).toEqual(['cloud-watch-logs']);
  });
});

describe.runIf(hasAwsCli)('flow logs through the AWS CLI 2.9', () => {
  test('create-flow-logs, describe-flow-logs --filter and delete-flow-logs', async () => {
    const created = await aws(twin, [
      'ec2',
      'create-flow-logs',
      '--resource-type',
      'VPC',
      '--resource-ids',
      vpcId,
      '--traffic-type',
      'REJECT',
      '--log-group-name',
      '/wire/cli-flow-logs',
      '--deliver-logs-permission-arn',
      deliveryRoleArn,
      '--log-format',
      ['version', 'interface-id', 'srcaddr', 'dstaddr', 'action', 'flow-direction']
        .map((f) => `\${${f}}`)
        .join(' '),
    ]);
    expect(created.stderr).toBe('');
    const { FlowLogIds, Unsuccessful } = created.json as { FlowLogIds: string[]; Unsuccessful: unknown[] };
    expect(Unsuccessful).toEqual([]);
    const described = await aws(twin, [
      'ec2',
      'describe-flow-logs',
      '--filter',
      'Name=traffic-type,Values=REJECT',
    ]);
    expect((described.json as { FlowLogs: unknown[] }).FlowLogs).toEqual([
      expect.objectContaining({
        FlowLogId: FlowLogIds[0],
        LogGroupName: '/wire/cli-flow-logs',
        TrafficType: 'REJECT',
      }),
    ]);
    const deleted = await aws(twin, ['ec2', 'delete-flow-logs', '--flow-log-ids', FlowLogIds[0]!]);
    expect(deleted.json).toEqual({ Unsuccessful: [] });
  });
});
