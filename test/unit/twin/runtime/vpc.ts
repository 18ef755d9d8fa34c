import { builderFor } from '../../../../lab/builder.ts';
import type { CallerPosition } from '../../../../twin/core/principal.ts';
import { ec2 } from '../../../../twin/services/ec2/api.ts';
import { createServiceEni } from '../../../../twin/services/ec2/model/network-interfaces.ts';
import type { Twin } from '../../../../twin/twin.ts';

/**
 * A small VPC built through the EC2 API, for functions to sit in: an
 * isolated subnet (local route only), a public subnet with an internet
 * gateway and a NAT gateway, and a subnet that reaches the internet
 * through the NAT. The VPC's default security group allows all egress.
 */
export interface TestVpc {
  vpcId: string;
  isolatedSubnet: string;
  natSubnet: string;
  securityGroupId: string;
}

type Out = Record<string, Record<string, string>>;

export async function buildVpc(
  twin: Twin,
  accountId = '123456789012',
  region = 'us-east-1',
): Promise<TestVpc> {
  const b = builderFor(twin, accountId, region);
  const vpcId = (await b.ec2<Out>('CreateVpc', { CidrBlock: '10.90.0.0/16' })).Vpc!.VpcId!;
  const subnet = async (cidr: string) =>
    (await b.ec2<Out>('CreateSubnet', { VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${region}a` }))
      .Subnet!.SubnetId!;
  const isolatedSubnet = await subnet('10.90.1.0/24');
  const publicSubnet = await subnet('10.90.2.0/24');
  const natSubnet = await subnet('10.90.3.0/24');
  const igw = (await b.ec2<Out>('CreateInternetGateway', {})).InternetGateway!.InternetGatewayId!;
  await b.ec2('AttachInternetGateway', { InternetGatewayId: igw, VpcId: vpcId });
  const table = async (subnetId: string, target: Record<string, string>) => {
    const id = (await b.ec2<Out>('CreateRouteTable', { VpcId: vpcId })).RouteTable!.RouteTableId!;
    await b.ec2('CreateRoute', { RouteTableId: id, DestinationCidrBlock: '0.0.0.0/0', ...target });
    await b.ec2('AssociateRouteTable', { RouteTableId: id, SubnetId: subnetId });
  };
  await table(publicSubnet, { GatewayId: igw });
  const eip = await b.ec2<Record<string, string>>('AllocateAddress', { Domain: 'vpc' });
  const nat = (
    await b.ec2<Out>('CreateNatGateway', { SubnetId: publicSubnet, AllocationId: eip.AllocationId })
  ).NatGateway!.NatGatewayId!;
  await table(natSubnet, { NatGatewayId: nat });
  const groups = await b.ec2<{ SecurityGroups: { GroupId: string }[] }>('DescribeSecurityGroups', {
    Filters: [
      { Name: 'vpc-id', Values: [vpcId] },
      { Name: 'group-name', Values: ['default'] },
    ],
  });
  return { vpcId, isolatedSubnet, natSubnet, securityGroupId: groups.SecurityGroups[0]!.GroupId };
}

/** A Lambda-style ENI in `subnetId`, as the position a function's calls leave from. */
export function positionIn(
  twin: Twin,
  vpc: TestVpc,
  subnetId: string,
  accountId = '123456789012',
  region = 'us-east-1',
): CallerPosition {
  const eni = createServiceEni(twin.model(ec2, accountId, region), {
    subnetId,
    type: 'lambda',
    description: 'AWS Lambda VPC ENI-test',
    requesterId: 'AROAEXAMPLEEXAMPLE123:test',
    securityGroupIds: [vpc.securityGroupId],
  });
  return {
    accountId,
    region,
    vpcId: vpc.vpcId,
    subnetId,
    securityGroupIds: [vpc.securityGroupId],
    networkInterfaceId: eni.id,
    privateIp: eni.privateIp,
  };
}
