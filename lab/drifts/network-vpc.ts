import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  AssociateVpcCidrBlockCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateRouteCommand,
  DeleteRouteCommand,
  DeleteVpcPeeringConnectionCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  type IpPermission,
  ModifySubnetAttributeCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { cidrTextsOverlap } from '../../common/ip.ts';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import {
  allowRowsTouching,
  covers,
  hostsIn,
  hubAttachment,
  spokeOfHub,
  subnetsSharingTable,
  vpcOf,
} from '../../helpers/targets/view.ts';
import { reachRow } from './lab-view.ts';
import type { Drift, Operator } from './types.ts';

const ec2 = (op: Operator, account: string) => op(account).ec2;

export const spokeVpcRouteDeleted: Drift = {
  id: 'net-vpc-route-to-hub-deleted',
  says: "a spoke VPC's route table loses its route to the hub VPC",
  appliesTo: (lab) => Boolean(spokeOfHub(lab) && routeToHub(lab)),
  async breaks(lab, op) {
    const { spoke } = spokeOfHub(lab)!;
    const route = routeToHub(lab)!;
    const cidrOf = (vpc: string) => lab.network!.vpcs.find((v) => v.name === vpc)!.cidr;
    const subnets = await subnetsSharingTable(lab, op, spoke.vpc);
    // A summary route carries more than the hub: every VPC it covers is cut off.
    return [
      ...subnets.map((s) => ({ id: 'N9', row: s })),
      ...allowRowsTouching(lab, spoke.vpc, {
        acrossTgw: true,
        other: (vpc) => covers(route.cidr, cidrOf(vpc)),
      }).map(reachRow),
    ];
  },
  async apply(lab, op) {
    const { spoke } = spokeOfHub(lab)!;
    const table = await firstSubnetTable(lab, op, spoke.vpc);
    await ec2(op, 'lab').send(
      new DeleteRouteCommand({ RouteTableId: table, DestinationCidrBlock: routeToHub(lab)!.cidr }),
    );
  },
};

/** The spoke VPC's route (per targets) that carries its traffic for the hub to the TGW. */
function routeToHub(lab: ResolvedTargets) {
  const { spoke } = spokeOfHub(lab)!;
  const vpcs = lab.network!.vpcs;
  const hubCidr = vpcs.find((v) => v.name === hubAttachment(lab)!.vpc)!.cidr;
  return vpcs
    .find((v) => v.name === spoke.vpc)!
    .routes.find((r) => r.via === 'transit-gateway' && covers(r.cidr, hubCidr));
}

export const internetRouteAdded: Drift = {
  id: 'net-private-route-to-internet',
  says: 'an internet gateway is attached and a private route table gets 0.0.0.0/0 to it',
  appliesTo: (lab) => Boolean(lab.network?.vpcs.length),
  async breaks(lab, op) {
    return (await subnetsSharingTable(lab, op, lab.network!.vpcs[0]!.name)).map((s) => ({
      id: 'N10',
      row: s,
    }));
  },
  async apply(lab, op) {
    const vpc = lab.network!.vpcs[0]!;
    const client = ec2(op, vpc.account);
    const { InternetGateway } = await client.send(new CreateInternetGatewayCommand({}));
    await client.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: InternetGateway!.InternetGatewayId,
        VpcId: lab.ids.vpc[vpc.name],
      }),
    );
    const table = await firstSubnetTable(lab, op, vpc.name);
    await client.send(
      new CreateRouteCommand({
        RouteTableId: table,
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: InternetGateway!.InternetGatewayId,
      }),
    );
  },
};

/** The host most others must reach: the `to` of the most allow rows. */
function busiestHost(lab: ResolvedTargets): string | undefined {
  const counts = new Map<string, number>();
  for (const r of lab.network?.reachability ?? [])
    if (r.expect === 'allow' && r.protocol === 'icmp') counts.set(r.to, (counts.get(r.to) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export const hostIcmpRevoked: Drift = {
  id: 'net-sg-icmp-revoked',
  says: "the ICMP rule is revoked from the busiest host's security group",
  appliesTo: (lab) => Boolean(busiestHost(lab)),
  async breaks(lab) {
    const host = busiestHost(lab)!;
    const rows = (lab.network?.reachability ?? []).filter(
      (r) => r.to === host && r.expect === 'allow' && r.protocol === 'icmp',
    );
    return [{ id: 'N11', row: host }, ...rows.map(reachRow)];
  },
  async apply(lab, op) {
    const host = lab.network!.hosts.find((h) => h.name === busiestHost(lab))!;
    const client = ec2(op, host.account);
    for (const group of await hostGroups(lab, op, host.name)) {
      const icmp = (group.IpPermissions ?? []).filter((p) => p.IpProtocol === 'icmp' || p.IpProtocol === '1');
      if (icmp.length)
        await client.send(
          new RevokeSecurityGroupIngressCommand({ GroupId: group.GroupId, IpPermissions: icmp }),
        );
    }
  },
};

/** A drift that opens the quietest host's first security group to all traffic from `source`. */
function hostOpenTo(id: string, says: string, source: Pick<IpPermission, 'IpRanges' | 'Ipv6Ranges'>): Drift {
  return {
    id,
    says,
    appliesTo: (lab) => Boolean(lab.network?.hosts.length),
    async breaks(lab) {
      return [{ id: 'N11', row: quietestHost(lab) }];
    },
    async apply(lab, op) {
      const host = lab.network!.hosts.find((h) => h.name === quietestHost(lab))!;
      const [group] = await hostGroups(lab, op, host.name);
      await ec2(op, host.account).send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: group!.GroupId,
          IpPermissions: [{ IpProtocol: '-1', ...source }],
        }),
      );
    },
  };
}

export const hostOpenToWorld = hostOpenTo(
  'net-sg-open-to-world',
  "a host's security group admits all traffic from 0.0.0.0/0",
  { IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
);

export const hostOpenToIpv6World = hostOpenTo(
  'net-sg-open-to-ipv6-world',
  "a host's security group admits all traffic from ::/0 (IPv6 anywhere)",
  { Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
);

/** A host that only deny rows reach, so opening it changes no ping. */
function quietestHost(lab: ResolvedTargets): string {
  const rows = lab.network?.reachability ?? [];
  const hosts = lab.network!.hosts.map((h) => h.name);
  return (
    hosts.find(
      (h) => rows.filter((r) => r.to === h).every((r) => r.expect === 'deny') && rows.some((r) => r.to === h),
    ) ?? hosts[0]!
  );
}

export const naclDeniesIcmp: Drift = {
  id: 'net-nacl-denies-icmp',
  says: "the network ACL of a host's subnet denies ICMP ahead of its allow rules",
  appliesTo: (lab) => Boolean(lab.network?.reachability.some((r) => r.expect === 'allow')),
  async breaks(lab) {
    const host = naclHost(lab);
    const vpc = vpcOf(lab, host)!;
    const rows = (lab.network?.reachability ?? []).filter(
      (r) =>
        r.expect === 'allow' &&
        r.protocol === 'icmp' &&
        (vpcOf(lab, r.from) === vpc) !== (vpcOf(lab, r.to) === vpc),
    );
    return rows.map(reachRow);
  },
  async apply(lab, op) {
    const host = lab.network!.hosts.find((h) => h.name === naclHost(lab))!;
    const client = ec2(op, host.account);
    const { NetworkAcls } = await client.send(
      new DescribeNetworkAclsCommand({
        Filters: [{ Name: 'association.subnet-id', Values: [lab.ids.subnet[host.subnet]!] }],
      }),
    );
    await client.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: NetworkAcls![0]!.NetworkAclId,
        RuleNumber: 5,
        Protocol: '1',
        RuleAction: 'deny',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        IcmpTypeCode: { Type: -1, Code: -1 },
      }),
    );
  },
};

/** The host with allow rows in the fewest other VPCs' hosts — a spoke's host. */
function naclHost(lab: ResolvedTargets): string {
  const { spoke } = spokeOfHub(lab) ?? {};
  const hosts = spoke ? hostsIn(lab, spoke.vpc) : lab.network!.hosts.map((h) => h.name);
  return hosts[0]!;
}

export const peeringDeleted: Drift = {
  id: 'net-peering-deleted',
  says: 'the VPC peering connection is deleted',
  appliesTo: (lab) => Boolean(lab.network?.peerings.length),
  async breaks(lab, op) {
    const p = lab.network!.peerings[0]!;
    const routed = lab.network!.vpcs.filter((v) =>
      v.routes.some((r) => typeof r.via === 'object' && r.via.peering === p.name),
    );
    const subnets = (await Promise.all(routed.map((v) => subnetsSharingTable(lab, op, v.name)))).flat();
    const rows = (lab.network!.reachability ?? []).filter(
      (r) =>
        r.expect === 'allow' &&
        [p.requester, p.accepter].includes(vpcOf(lab, r.from)!) &&
        [p.requester, p.accepter].includes(vpcOf(lab, r.to)!) &&
        vpcOf(lab, r.from) !== vpcOf(lab, r.to),
    );
    return [{ id: 'N12', row: p.name }, ...subnets.map((s) => ({ id: 'N9', row: s })), ...rows.map(reachRow)];
  },
  async apply(lab, op) {
    const p = lab.network!.peerings[0]!;
    const account = lab.network!.vpcs.find((v) => v.name === p.requester)!.account;
    await ec2(op, account).send(
      new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: lab.ids.peering[p.name] }),
    );
  },
};

export const subnetMapsPublicIps: Drift = {
  id: 'net-subnet-maps-public-ips',
  says: 'a private subnet starts assigning public IPs on launch',
  appliesTo: (lab) => Boolean(lab.network?.vpcs.length),
  async breaks(lab) {
    return [{ id: 'N2', row: lab.network!.vpcs[0]!.subnets[0]!.name }];
  },
  async apply(lab, op) {
    const vpc = lab.network!.vpcs[0]!;
    await ec2(op, vpc.account).send(
      new ModifySubnetAttributeCommand({
        SubnetId: lab.ids.subnet[vpc.subnets[0]!.name],
        MapPublicIpOnLaunch: { Value: true },
      }),
    );
  },
};

export const hostGetsPublicIp: Drift = {
  id: 'net-host-public-ip',
  says: 'an internet gateway is attached and an Elastic IP is put on a private host',
  appliesTo: (lab) => Boolean(lab.network?.hosts.length),
  async breaks(lab) {
    return [{ id: 'N4', row: lab.network!.hosts[0]!.name }];
  },
  async apply(lab, op) {
    const host = lab.network!.hosts[0]!;
    const client = ec2(op, host.account);
    const vpc = lab.network!.vpcs.find((v) => v.subnets.some((s) => s.name === host.subnet))!;
    const { InternetGateway } = await client.send(new CreateInternetGatewayCommand({}));
    await client.send(
      new AttachInternetGatewayCommand({
        InternetGatewayId: InternetGateway!.InternetGatewayId,
        VpcId: lab.ids.vpc[vpc.name],
      }),
    );
    const { AllocationId } = await client.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    await client.send(new AssociateAddressCommand({ AllocationId, InstanceId: lab.ids.instance[host.name] }));
  },
};

export const subnetCrowded: Drift = {
  id: 'net-subnet-crowded',
  says: 'network interfaces fill a subnet past its headroom',
  appliesTo: (lab) => Boolean(crowdedSubnet(lab)),
  async breaks(lab) {
    return [{ id: 'N3', row: crowdedSubnet(lab)!.subnet.name }];
  },
  async apply(lab, op) {
    const { vpc, subnet } = crowdedSubnet(lab)!;
    const client = ec2(op, vpc.account);
    const { Subnets } = await client.send(
      new DescribeSubnetsCommand({ SubnetIds: [lab.ids.subnet[subnet.name]!] }),
    );
    const toFill = Subnets![0]!.AvailableIpAddressCount! - subnet.minFreeAddresses! + 1;
    for (let i = 0; i < toFill; i++) {
      await client.send(
        new CreateNetworkInterfaceCommand({ SubnetId: lab.ids.subnet[subnet.name], Description: 'filler' }),
      );
    }
  },
};

function crowdedSubnet(lab: ResolvedTargets) {
  for (const vpc of lab.network?.vpcs ?? []) {
    const subnet = vpc.subnets.find((s) => s.minFreeAddresses !== undefined);
    if (subnet) return { vpc, subnet };
  }
  return undefined;
}

/**
 * A block no plan names: the first /16 of the shared address space
 * 100.64.0.0/10 clear of every CIDR the targets list. AWS permits 100.64.0.0/10
 * as a secondary block whatever range the primary lies in (vpc-cidr-blocks.html,
 * "IPv4 CIDR block association restrictions"). A planned block wider than all
 * of 100.64.0.0/10 (a default route) names none of its addresses, so it does not count.
 */
function unplannedRange(lab: ResolvedTargets): string | undefined {
  const net = lab.network!;
  const planned = [
    ...net.vpcs.flatMap((v) => [v.cidr, ...v.subnets.map((s) => s.cidr), ...v.routes.map((r) => r.cidr)]),
    ...(net.transitGateway?.routeTables ?? []).flatMap((t) => t.routes.map((r) => r.cidr)),
    ...net.hosts.flatMap((h) => h.icmpFrom),
  ].filter((cidr) => !covers(cidr, '100.64.0.0/10'));
  for (let octet = 64; octet < 128; octet++) {
    const candidate = `100.${octet}.0.0/16`;
    if (!planned.some((cidr) => cidrTextsOverlap(cidr, candidate))) return candidate;
  }
  return undefined;
}

export const secondaryCidrAdded: Drift = {
  id: 'net-vpc-secondary-cidr',
  says: 'a VPC gains a secondary CIDR block the lab did not plan',
  appliesTo: (lab) => Boolean(lab.network?.vpcs.length && unplannedRange(lab)),
  async breaks(lab) {
    // Only N1 looks at a VPC's blocks; nothing the plan routes or pings lies in the new one.
    return [{ id: 'N1', row: lab.network!.vpcs[0]!.name }];
  },
  async apply(lab, op) {
    const vpc = lab.network!.vpcs[0]!;
    await ec2(op, vpc.account).send(
      new AssociateVpcCidrBlockCommand({ VpcId: lab.ids.vpc[vpc.name], CidrBlock: unplannedRange(lab) }),
    );
  },
};

/** Drifts of VPCs, subnets, hosts, security groups, ACLs and peering. */
export const vpcDrifts: Drift[] = [
  spokeVpcRouteDeleted,
  internetRouteAdded,
  hostIcmpRevoked,
  hostOpenToWorld,
  hostOpenToIpv6World,
  naclDeniesIcmp,
  peeringDeleted,
  subnetMapsPublicIps,
  hostGetsPublicIp,
  subnetCrowded,
  secondaryCidrAdded,
];

async function firstSubnetTable(lab: ResolvedTargets, op: Operator, vpcName: string): Promise<string> {
  const vpc = lab.network!.vpcs.find((v) => v.name === vpcName)!;
  const { RouteTables } = await ec2(op, vpc.account).send(
    new DescribeRouteTablesCommand({
      Filters: [{ Name: 'association.subnet-id', Values: [lab.ids.subnet[vpc.subnets[0]!.name]!] }],
    }),
  );
  return RouteTables![0]!.RouteTableId!;
}

async function hostGroups(lab: ResolvedTargets, op: Operator, hostName: string) {
  const host = lab.network!.hosts.find((h) => h.name === hostName)!;
  const client = ec2(op, host.account);
  const { Reservations } = await client.send(
    new DescribeInstancesCommand({ InstanceIds: [lab.ids.instance[hostName]!] }),
  );
  const ids = Reservations![0]!.Instances![0]!.SecurityGroups!.map((g) => g.GroupId!);
  return (await client.send(new DescribeSecurityGroupsCommand({ GroupIds: ids }))).SecurityGroups ?? [];
}
