import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateFlowLogsCommand,
  CreateVpcEndpointCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { delay } from '../../../twin/state/profile.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';
import { buildVpc, type TestVpc } from '../../unit/twin/runtime/vpc.ts';
import { bundledZip, executionRole } from '../lambda/support.ts';

/**
 * A VPC function's calls are traffic like a ping: its Hyperplane ENI sends
 * to the interface endpoint's ENI on 443, and the VPC's flow log records
 * both sides (VPC User Guide, "Flow log records": per network interface).
 * This is the evidence issue 12's O21 reads for the probe Lambda.
 */
const WHOAMI = `
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
export const handler = async () => {
  const requestHandler = new NodeHttpHandler({ connectionTimeout: 2000, requestTimeout: 2000, throwOnRequestTimeout: true });
  try {
    const me = await new STSClient({ maxAttempts: 1, requestHandler }).send(new GetCallerIdentityCommand({}));
    return { ok: true, arn: me.Arn };
  } catch (e) {
    return { ok: false, name: (e as Error).name };
  }
};`;

const GROUP = '/wire/lambda-flow-logs';
let twin: TestTwin;
let vpc: TestVpc;
const clock = new ManualClock(Date.UTC(2026, 5, 1, 8));

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  const iam = new IAMClient(twin.clientConfig());
  const ec2 = new EC2Client(twin.clientConfig());
  vpc = await buildVpc(twin.server.twin);
  const flowRole = await executionRole(iam, 'flow-logs', {
    trust: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    }),
  });
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'flow-logs',
      PolicyName: 'deliver',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
      }),
    }),
  );
  await ec2.send(
    new CreateFlowLogsCommand({
      ResourceType: 'VPC',
      ResourceIds: [vpc.vpcId],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: flowRole,
    }),
  );
}, 60_000);
afterAll(() => twin.close());

describe('a VPC function and the flow log', () => {
  test('its call to an STS interface endpoint shows at its ENI and at the endpoint’s, on 443, ACCEPT', async () => {
    const ec2 = new EC2Client(twin.clientConfig());
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc.vpcId, EnableDnsHostnames: { Value: true } }));
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpc.vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.sts',
        SubnetIds: [vpc.isolatedSubnet],
        SecurityGroupIds: [vpc.securityGroupId],
        PrivateDnsEnabled: true,
      }),
    );
    const { NetworkInterfaces } = await ec2.send(
      new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: VpcEndpoint!.NetworkInterfaceIds }),
    );
    const endpointIp = NetworkInterfaces![0]!.PrivateIpAddress!;

    const lambda = new LambdaClient(twin.clientConfig());
    const role = await executionRole(new IAMClient(twin.clientConfig()), 'fn-role', {
      managed: ['AWSLambdaVPCAccessExecutionRole'],
    });
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'whoami',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: role,
        Code: { ZipFile: await bundledZip(WHOAMI) },
        Timeout: 10,
        VpcConfig: { SubnetIds: [vpc.isolatedSubnet], SecurityGroupIds: [vpc.securityGroupId] },
      }),
    );
    const profile = twin.server.twin.profile;
    clock.advance(delay(profile, 'lambdaActivationMs'));
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'whoami', Payload: Buffer.from('{}') }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toMatchObject({ ok: true });

    clock.advance(delay(profile, 'flowLogCaptureMs') + delay(profile, 'flowLogDeliveryMs') + 1);
    await twin.server.twin.scheduler.runDue();
    const { events } = await new CloudWatchLogsClient(twin.clientConfig()).send(
      new FilterLogEventsCommand({ logGroupName: GROUP }),
    );
    const toEndpoint = events!
      .map((e) => e.message!.split(' '))
      .filter((f) => f[4] === endpointIp && f[6] === '443' && f[7] === '6' && f[12] === 'ACCEPT');
    const interfaces = new Set(toEndpoint.map((f) => f[2]));
    expect(interfaces.size).toBe(2);
    expect(interfaces.has(VpcEndpoint!.NetworkInterfaceIds![0]!)).toBe(true);
    const answers = events!
      .map((e) => e.message!.split(' '))
      .filter((f) => f[3] === endpointIp && f[5] === '443');
    expect(answers.length).toBe(2);
  }, 60_000);
});
