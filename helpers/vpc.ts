import {
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type Instance,
  paginateDescribeNetworkInterfaces,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.ts';
import { LabDeviationError, reading } from './errors.ts';

/**
 * Look-ups of a VPC's parts, by id (targets resolved names already).
 * `get…` means the thing must exist: absent is a deviation of the lab;
 * an unreadable answer is the suite's problem (CannotTellError).
 */
export async function getVpc({ ec2 }: AwsClients, vpcId: string): Promise<Vpc> {
  const out = await reading(`describe VPC ${vpcId}`, () =>
    ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  );
  const vpc = out.Vpcs?.[0];
  if (!vpc) throw new LabDeviationError(`VPC ${vpcId} no longer exists`);
  return vpc;
}

export async function getSubnet({ ec2 }: AwsClients, subnetId: string): Promise<Subnet> {
  const out = await reading(`describe subnet ${subnetId}`, () =>
    ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'subnet-id', Values: [subnetId] }] })),
  );
  const subnet = out.Subnets?.[0];
  if (!subnet) throw new LabDeviationError(`subnet ${subnetId} no longer exists`);
  return subnet;
}

export async function getInstance({ ec2 }: AwsClients, instanceId: string): Promise<Instance> {
  const out = await reading(`describe instance ${instanceId}`, () =>
    ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] })),
  );
  const instance = out.Reservations?.flatMap((r) => r.Instances ?? [])[0];
  if (!instance) throw new LabDeviationError(`instance ${instanceId} no longer exists`);
  return instance;
}

/** Private addresses in use in a subnet (every ENI's primary and secondary IPs). */
export async function listAddressesInUse({ ec2 }: AwsClients, subnetId: string): Promise<string[]> {
  return reading(`list network interfaces in ${subnetId}`, async () => {
    const ips: string[] = [];
    for await (const page of paginateDescribeNetworkInterfaces(
      { client: ec2 },
      { Filters: [{ Name: 'subnet-id', Values: [subnetId] }] },
    )) {
      for (const eni of page.NetworkInterfaces ?? [])
        for (const a of eni.PrivateIpAddresses ?? []) if (a.PrivateIpAddress) ips.push(a.PrivateIpAddress);
    }
    return ips;
  });
}

/**
 * The route table a subnet uses: its explicit association, else its VPC's
 * main table (docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#subnet-route-tables).
 */
export async function getRouteTableFor(
  { ec2 }: AwsClients,
  subnet: { subnetId: string; vpcId: string },
): Promise<RouteTable> {
  const explicit = await reading(`find the route table of ${subnet.subnetId}`, () =>
    ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'association.subnet-id', Values: [subnet.subnetId] }],
      }),
    ),
  );
  if (explicit.RouteTables?.[0]) return explicit.RouteTables[0];
  const main = await reading(`find the main route table of ${subnet.vpcId}`, () =>
    ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: 'vpc-id', Values: [subnet.vpcId] },
          { Name: 'association.main', Values: ['true'] },
        ],
      }),
    ),
  );
  const table = main.RouteTables?.[0];
  if (!table) throw new LabDeviationError(`subnet ${subnet.subnetId} has no route table`);
  return table;
}

export async function listSecurityGroups({ ec2 }: AwsClients, groupIds: string[]): Promise<SecurityGroup[]> {
  if (!groupIds.length) return [];
  const out = await reading(`describe security groups ${groupIds.join(', ')}`, () =>
    ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })),
  );
  return out.SecurityGroups ?? [];
}

export async function getPeeringConnection({ ec2 }: AwsClients, id: string): Promise<VpcPeeringConnection> {
  const out = await reading(`describe peering ${id}`, () =>
    ec2.send(
      new DescribeVpcPeeringConnectionsCommand({
        Filters: [{ Name: 'vpc-peering-connection-id', Values: [id] }],
      }),
    ),
  );
  const pcx = out.VpcPeeringConnections?.[0];
  if (!pcx) throw new LabDeviationError(`VPC peering connection ${id} no longer exists`);
  return pcx;
}

/** Addresses in a CIDR block, and those AWS keeps: the first four and the last (docs: "Subnet CIDR blocks"). */
export function cidrSize(cidr: string): number {
  return 2 ** (32 - Number(cidr.split('/')[1]));
}
export const AWS_RESERVED_PER_SUBNET = 5;
