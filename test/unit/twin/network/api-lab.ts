import type { LabBuilder } from '../../../../lab/builder.ts';

/**
 * A hub and spokes built only through the EC2 API (as an operator builds
 * them): one subnet and one host per VPC, joined by a Transit Gateway whose
 * attachments sit in the hosts' own subnets, as in the reference lab.
 */
const REGION = 'us-east-1';

export interface Host {
  subnetId: string;
  aclId: string;
  eniId: string;
  ip: string;
  vpcId: string;
}

export type Out = Record<string, Record<string, unknown>>;

/** A VPC 10.<octet>.0.0/16 with one subnet and a host at .1.10 whose default group admits ICMP from 10/8. */
export async function vpcWithHost(lab: LabBuilder, octet: number): Promise<Host> {
  const vpcId = (await lab.ec2<Out>('CreateVpc', { CidrBlock: `10.${octet}.0.0/16` })).Vpc!.VpcId as string;
  const subnetId = (
    await lab.ec2<Out>('CreateSubnet', {
      VpcId: vpcId,
      CidrBlock: `10.${octet}.1.0/24`,
      AvailabilityZone: `${REGION}a`,
    })
  ).Subnet!.SubnetId as string;
  const groups = await lab.ec2<{ SecurityGroups: { GroupId: string }[] }>('DescribeSecurityGroups', {
    Filters: [
      { Name: 'vpc-id', Values: [vpcId] },
      { Name: 'group-name', Values: ['default'] },
    ],
  });
  const groupId = groups.SecurityGroups[0]!.GroupId;
  await lab.ec2('AuthorizeSecurityGroupIngress', {
    GroupId: groupId,
    IpPermissions: [{ IpProtocol: 'icmp', FromPort: -1, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
  });
  const ip = `10.${octet}.1.10`;
  const run = await lab.ec2<{ Instances: { NetworkInterfaces: { NetworkInterfaceId: string }[] }[] }>(
    'RunInstances',
    {
      ImageId: 'ami-0c02fb55956c7d316',
      InstanceType: 't3.micro',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnetId,
      PrivateIpAddress: ip,
      SecurityGroupIds: [groupId],
    },
  );
  const acls = await lab.ec2<{ NetworkAcls: { NetworkAclId: string }[] }>('DescribeNetworkAcls', {
    Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }],
  });
  return {
    vpcId,
    subnetId,
    ip,
    aclId: acls.NetworkAcls[0]!.NetworkAclId,
    eniId: run.Instances[0]!.NetworkInterfaces[0]!.NetworkInterfaceId,
  };
}

/** One Transit Gateway (default association and propagation), attached in the hosts' own subnets. */
export async function joinByTransitGateway(lab: LabBuilder, hosts: Host[]): Promise<void> {
  const tgw = await lab.ec2<Out>('CreateTransitGateway', {
    Options: { DefaultRouteTableAssociation: 'enable', DefaultRouteTablePropagation: 'enable' },
  });
  const tgwId = tgw.TransitGateway!.TransitGatewayId as string;
  for (const h of hosts) {
    await lab.ec2('CreateTransitGatewayVpcAttachment', {
      TransitGatewayId: tgwId,
      VpcId: h.vpcId,
      SubnetIds: [h.subnetId],
    });
    const tables = await lab.ec2<{ RouteTables: { RouteTableId: string }[] }>('DescribeRouteTables', {
      Filters: [{ Name: 'vpc-id', Values: [h.vpcId] }],
    });
    await lab.ec2('CreateRoute', {
      RouteTableId: tables.RouteTables[0]!.RouteTableId,
      DestinationCidrBlock: '10.0.0.0/8',
      TransitGatewayId: tgwId,
    });
  }
}
