import {
  AssociateTransitGatewayRouteTableCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateRouteCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeRouteTablesCommand,
  DisableTransitGatewayRouteTablePropagationCommand,
  EC2Client,
  EnableTransitGatewayRouteTablePropagationCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupIngressCommand,
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
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ManualClock } from '../../../twin/state/clock.ts';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * The whole loop through public APIs only: a lab built with the EC2 and IAM
 * clients, checked with Run Command, then changed with the EC2 client — and
 * what Run Command sees changes with it.
 */
let twin: TestTwin;
let ec2: EC2Client;
let ssm: SSMClient;
const clock = new ManualClock();
const hosts: Record<'a' | 'b', { instanceId: string; ip: string; attachmentId: string; endpointSg: string }> =
  {} as never;
let tgwRouteTable = '';

async function agentProfile(): Promise<void> {
  const iam = new IAMClient(twin.clientConfig());
  const trust = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  };
  const core = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ssm:UpdateInstanceInformation', 'ssmmessages:*', 'ec2messages:*'],
        Resource: '*',
      },
    ],
  };
  await iam.send(
    new CreateRoleCommand({ RoleName: 'agent', AssumeRolePolicyDocument: JSON.stringify(trust) }),
  );
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'agent', PolicyName: 'core', PolicyDocument: JSON.stringify(core) }),
  );
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'agent' }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'agent', RoleName: 'agent' }));
}

async function group(
  vpcId: string,
  name: string,
  permissions: { proto: string; port: number; cidr: string }[],
): Promise<string> {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }),
  );
  const IpPermissions = permissions.map((p) => ({
    IpProtocol: p.proto,
    FromPort: p.port,
    ToPort: p.port,
    IpRanges: [{ CidrIp: p.cidr }],
  }));
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions }));
  return GroupId!;
}

async function spoke(second: number, tgwId: string) {
  const cidr = `10.${second}.0.0/16`;
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const subnetId = (
    await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.${second}.1.0/24`,
        AvailabilityZone: 'us-east-1a',
      }),
    )
  ).Subnet!.SubnetId!;
  const endpointSg = await group(vpcId, 'endpoints', [{ proto: 'tcp', port: 443, cidr }]);
  for (const svc of ['ssm', 'ssmmessages', 'ec2messages']) {
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
  }
  const appSg = await group(vpcId, 'app', [{ proto: 'icmp', port: -1, cidr: '10.0.0.0/8' }]);
  const ip = `10.${second}.1.10`;
  const run = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-0abcdef1234567890',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
      SecurityGroupIds: [appSg],
      PrivateIpAddress: ip,
      IamInstanceProfile: { Name: 'agent' },
    }),
  );
  const main = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: main.RouteTables![0]!.RouteTableId,
      DestinationCidrBlock: '10.0.0.0/8',
      TransitGatewayId: tgwId,
    }),
  );
  const attachment = await ec2.send(
    new CreateTransitGatewayVpcAttachmentCommand({
      TransitGatewayId: tgwId,
      VpcId: vpcId,
      SubnetIds: [subnetId],
    }),
  );
  return {
    instanceId: run.Instances![0]!.InstanceId!,
    ip,
    attachmentId: attachment.TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!,
    endpointSg,
  };
}

beforeAll(async () => {
  twin = await startTestTwin({ clock });
  ec2 = new EC2Client(twin.clientConfig());
  ssm = new SSMClient(twin.clientConfig());
  await agentProfile();
  const tgw = await ec2.send(
    new CreateTransitGatewayCommand({
      Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
    }),
  );
  const tgwId = tgw.TransitGateway!.TransitGatewayId!;
  hosts.a = await spoke(50, tgwId);
  hosts.b = await spoke(60, tgwId);
  tgwRouteTable = (await ec2.send(new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId })))
    .TransitGatewayRouteTable!.TransitGatewayRouteTableId!;
  for (const h of [hosts.a, hosts.b]) {
    await ec2.send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: tgwRouteTable,
        TransitGatewayAttachmentId: h.attachmentId,
      }),
    );
    await ec2.send(
      new EnableTransitGatewayRouteTablePropagationCommand({
        TransitGatewayRouteTableId: tgwRouteTable,
        TransitGatewayAttachmentId: h.attachmentId,
      }),
    );
  }
});
afterAll(() => twin.close());

async function ping(
  from: string,
  to: string,
): Promise<{ Status?: string; ResponseCode?: number; StandardOutputContent?: string }> {
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [from],
      Parameters: { commands: [`ping -c 2 -W 1 ${to}`] },
    }),
  );
  clock.advance(10_000);
  return ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command!.CommandId, InstanceId: from }));
}

describe('a lab built with the EC2 and IAM APIs', () => {
  test('both agents are Online and the hosts ping each other across the Transit Gateway', async () => {
    const info = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(info.InstanceInformationList?.map((i) => [i.InstanceId, i.PingStatus, i.IamRole])).toEqual([
      [hosts.a.instanceId, 'Online', 'agent'],
      [hosts.b.instanceId, 'Online', 'agent'],
    ]);
    const result = await ping(hosts.a.instanceId, hosts.b.ip);
    expect(result).toMatchObject({ Status: 'Success', ResponseCode: 0 });
    expect(result.StandardOutputContent).toContain('ttl=63');
  });

  test('disabling one propagation through the API leaves no return route: the ping now fails', async () => {
    await ec2.send(
      new DisableTransitGatewayRouteTablePropagationCommand({
        TransitGatewayRouteTableId: tgwRouteTable,
        TransitGatewayAttachmentId: hosts.a.attachmentId,
      }),
    );
    const result = await ping(hosts.a.instanceId, hosts.b.ip);
    expect(result).toMatchObject({ Status: 'Failed', ResponseCode: 1 });
    expect(result.StandardOutputContent).toContain('2 packets transmitted, 0 received, 100% packet loss');
  });

  test('revoking HTTPS on the endpoint security group loses the agent', async () => {
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: hosts.b.endpointSg,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.60.0.0/16' }] },
        ],
      }),
    );
    const info = await ssm.send(
      new DescribeInstanceInformationCommand({
        Filters: [{ Key: 'InstanceIds', Values: [hosts.b.instanceId] }],
      }),
    );
    expect(info.InstanceInformationList?.[0]?.PingStatus).toBe('ConnectionLost');
  });
});
