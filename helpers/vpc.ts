import {
  DescribeInstancesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type Instance,
  type IpPermission,
  type NetworkInterface,
  paginateDescribeNetworkInterfaces,
  paginateGetManagedPrefixListEntries,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type VpcPeeringConnection,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.ts';
import { LabDeviationError, reading } from './errors.ts';
import { eventually } from './eventually.ts';

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

/** The network interfaces of a subnet, every page. */
export async function listSubnetInterfaces(
  { ec2 }: AwsClients,
  subnetId: string,
): Promise<NetworkInterface[]> {
  return reading(`list network interfaces in ${subnetId}`, async () => {
    const enis: NetworkInterface[] = [];
    for await (const page of paginateDescribeNetworkInterfaces(
      { client: ec2 },
      { Filters: [{ Name: 'subnet-id', Values: [subnetId] }] },
    ))
      enis.push(...(page.NetworkInterfaces ?? []));
    return enis;
  });
}

/**
 * A Hyperplane ENI Lambda made for one of the suite's own probes (Lambda
 * describes them "AWS Lambda VPC ENI-<function name>…"; the suite names its
 * probes meshcheck-…). Its addresses are the suite's, not the lab's.
 */
export function isSuiteProbeInterface(eni: NetworkInterface): boolean {
  return (eni.Description ?? '').startsWith('AWS Lambda VPC ENI-meshcheck-');
}

export interface SubnetHeadroom {
  subnetId: string;
  /** AvailableIpAddressCount as EC2 reports it. */
  available: number;
  /** Addresses the suite's own probe ENIs hold (several runs may share a machine and an account). */
  heldBySuite: string[];
  /** What the lab leaves free: available plus the suite's own. */
  free: number;
}

/**
 * How many addresses a subnet has free for the lab, read so that no probe
 * ENI appears or goes between the reads: the subnet's count is taken
 * between two listings of its interfaces that agree, else read again.
 *
 * @example
 *   const { free } = await getSubnetHeadroom(clients, 'subnet-0abc');
 */
export async function getSubnetHeadroom(
  clients: AwsClients,
  subnetId: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<SubnetHeadroom> {
  const ids = (enis: NetworkInterface[]) =>
    enis
      .map((e) => `${e.NetworkInterfaceId}:${(e.PrivateIpAddresses ?? []).length}`)
      .sort()
      .join(',');
  const read = await eventually(
    `the interfaces of ${subnetId} to hold still while its free addresses are read`,
    async () => {
      const before = await listSubnetInterfaces(clients, subnetId);
      const subnet = await getSubnet(clients, subnetId);
      const after = await listSubnetInterfaces(clients, subnetId);
      return { stable: ids(before) === ids(after), subnet, enis: after };
    },
    {
      timeoutMs: options.timeoutMs ?? 30_000,
      until: (r) => r.stable,
      minIntervalMs: 200,
      maxIntervalMs: 2_000,
      onTimeout: 'cannot-tell',
      show: (r) => `${r.enis.length} interfaces, still changing`,
      reproduce: `aws ec2 describe-network-interfaces --filters Name=subnet-id,Values=${subnetId}`,
      ...(options.signal && { signal: options.signal }),
    },
  );
  const heldBySuite = read.enis
    .filter(isSuiteProbeInterface)
    .flatMap((e) => (e.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress!));
  const available = read.subnet.AvailableIpAddressCount ?? 0;
  return { subnetId, available, heldBySuite, free: available + heldBySuite.length };
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

/** A route table's routes as destination → target (any family, prefix lists included) and state. */
export function routesOf(table: RouteTable): { cidr?: string; target?: string; state?: string }[] {
  return (table.Routes ?? []).map((r) => ({
    cidr: r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId,
    target:
      r.TransitGatewayId ??
      r.VpcPeeringConnectionId ??
      r.GatewayId ??
      r.NatGatewayId ??
      r.EgressOnlyInternetGatewayId ??
      r.NetworkInterfaceId,
    state: r.State,
  }));
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

/**
 * One source a security group admits, as the rule names it (an IPv4 or
 * IPv6 CIDR, a group id, a prefix list id) with the addresses it stands for:
 * the CIDR itself, or a prefix list's entries (a customer-managed list can
 * hold 0.0.0.0/0); none for a group reference.
 */
export interface IngressSource {
  groupId: string;
  protocol: string;
  fromPort?: number | undefined;
  toPort?: number | undefined;
  source: string;
  cidrs: string[];
}

/** The address ranges that mean "anywhere", in either family. */
export function isWorld(cidr: string): boolean {
  return cidr === '0.0.0.0/0' || /^::(?:0)?\/0$/.test(cidr);
}

/**
 * Every source the ingress rules of `groups` admit, in both address
 * families, prefix lists read out (ec2:GetManagedPrefixListEntries).
 *
 * @example
 *   const open = (await listIngressSources(clients, groups)).filter((s) => s.cidrs.some(isWorld));
 */
export async function listIngressSources(
  clients: AwsClients,
  groups: SecurityGroup[],
): Promise<IngressSource[]> {
  const lists = new Map<string, Promise<string[]>>();
  const entriesOf = (id: string) => {
    if (!lists.has(id)) lists.set(id, listPrefixListCidrs(clients, id));
    return lists.get(id)!;
  };
  const out: Promise<IngressSource>[] = [];
  for (const g of groups)
    for (const p of g.IpPermissions ?? []) {
      const rule = { groupId: g.GroupId!, protocol: p.IpProtocol!, fromPort: p.FromPort, toPort: p.ToPort };
      for (const source of cidrSourcesOf(p)) out.push(Promise.resolve({ ...rule, source, cidrs: [source] }));
      for (const pair of p.UserIdGroupPairs ?? [])
        out.push(Promise.resolve({ ...rule, source: pair.GroupId!, cidrs: [] }));
      for (const list of p.PrefixListIds ?? [])
        out.push(
          entriesOf(list.PrefixListId!).then((cidrs) => ({ ...rule, source: list.PrefixListId!, cidrs })),
        );
    }
  return Promise.all(out);
}

function cidrSourcesOf(p: IpPermission): string[] {
  return [...(p.IpRanges ?? []).map((r) => r.CidrIp!), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6!)];
}

/** The CIDRs a managed prefix list holds, AWS's own or a customer's. */
export async function listPrefixListCidrs({ ec2 }: AwsClients, prefixListId: string): Promise<string[]> {
  return reading(`read the entries of prefix list ${prefixListId}`, async () => {
    const cidrs: string[] = [];
    for await (const page of paginateGetManagedPrefixListEntries(
      { client: ec2 },
      { PrefixListId: prefixListId },
    ))
      for (const e of page.Entries ?? []) if (e.Cidr) cidrs.push(e.Cidr);
    return cidrs;
  });
}
