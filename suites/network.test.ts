import { describe, inject } from 'vitest';
import { attachEvidence } from '../helpers/evidence.ts';
import { explainRoute } from '../helpers/path.ts';
import { connectFrom, pingFrom } from '../helpers/ping.ts';
import { Lab } from '../helpers/targets/lab.ts';
import { reachabilityRow } from '../helpers/targets/rows.ts';
import {
  getTgwVpcAttachment,
  getTransitGateway,
  listTgwAssociations,
  listTgwRoutes,
} from '../helpers/tgw.ts';
import {
  getInstance,
  getPeeringConnection,
  getRouteTableFor,
  getSubnet,
  getSubnetHeadroom,
  getVpc,
  type IngressSource,
  isWorld,
  listIngressSources,
  listSecurityGroups,
  routesOf,
} from '../helpers/vpc.ts';
import { check, eachRow } from './setup/rows.ts';
import { seed } from './setup/seeds.ts';

const lab = new Lab(inject('targets'));
const net = lab.targets.network;
const ids = lab.targets.ids;

const vpcs = net?.vpcs ?? [];
const subnets = vpcs.flatMap((vpc) =>
  vpc.subnets.map((s) => ({ ...s, subnet: s.name, vpc: vpc.name, account: vpc.account, routes: vpc.routes })),
);
const hosts = net?.hosts ?? [];
const tgw = net?.transitGateway;

describe.concurrent('N · VPCs, subnets and hosts are laid out as the lab intends', {
  tags: ['config'],
}, () => {
  eachRow(vpcs, 'no network.vpcs in targets', (vpc) => vpc.name)(
    {
      id: 'N1',
      seed: seed('mesh', 'PHASE 1 — Create three fully functional VPCs, each with its own IPv4 CIDR'),
    },
    '$name is $cidr',
    async (vpc, { expect, annotate }) => {
      const found = await getVpc(lab.clients(vpc.account), ids.vpc[vpc.name]!);
      const blocks = (found.CidrBlockAssociationSet ?? []).map((a) => ({
        cidr: a.CidrBlock,
        state: a.CidrBlockState?.State,
      }));
      // A block still associating is as good as associated; disassociated ones linger in the set for a while.
      const associated = blocks
        .filter((b) => b.state === 'associated' || b.state === 'associating')
        .map((b) => b.cidr);
      await attachEvidence(annotate, 'config', `${found.VpcId}: ${associated.join(', ')}`, {
        vpcId: found.VpcId,
        cidr: found.CidrBlock,
        associatedCidrs: associated,
        cidrBlockAssociations: blocks,
        state: found.State,
      });
      expect(found.CidrBlock, `${vpc.name} (${found.VpcId}) CIDR`).toBe(vpc.cidr);
      expect(
        associated,
        `${vpc.name} (${found.VpcId}) IPv4 CIDR blocks: a secondary range the lab did not plan can overlap its peers`,
      ).toEqual([vpc.cidr]);
    },
  );

  eachRow(subnets, 'no subnets in targets', (row) => row.subnet)(
    { id: 'N2', seed: seed('mesh', 'PHASE 1 — Add subnets to each VPC; disable public IPv4 auto-assign') },
    '$subnet is $cidr in $vpc and assigns no public IPs',
    async (row, { expect, annotate }) => {
      const found = await getSubnet(lab.clients(row.account), ids.subnet[row.subnet]!);
      await attachEvidence(
        annotate,
        'config',
        `${found.SubnetId}: ${found.CidrBlock} in ${found.AvailabilityZone}`,
        {
          subnetId: found.SubnetId,
          cidr: found.CidrBlock,
          vpcId: found.VpcId,
          availabilityZone: found.AvailabilityZone,
          mapPublicIpOnLaunch: found.MapPublicIpOnLaunch,
        },
      );
      expect(found.CidrBlock, `${row.subnet} CIDR`).toBe(row.cidr);
      expect(found.VpcId, `${row.subnet} VPC`).toBe(ids.vpc[row.vpc]);
      if (row.availabilityZone)
        expect(found.AvailabilityZone, `${row.subnet} availability zone`).toBe(row.availabilityZone);
      expect(found.MapPublicIpOnLaunch, `${row.subnet} must not assign public IPs on launch`).toBe(false);
    },
  );

  eachRow(subnets, 'no subnets in targets', (row) => row.subnet)(
    { id: 'N3', seed: seed('mesh', 'Post-lab validation 8 — Subnet IP allocation') },
    '$subnet keeps its headroom of free addresses',
    async (row, { expect, annotate, skip, signal }) => {
      if (row.minFreeAddresses === undefined) return skip(`no minFreeAddresses for ${row.subnet} in targets`);
      // EC2's own count (size − 5 reserved − in use) is AWS's arithmetic; what the lab controls is
      // how much of it its resources leave free. The suite's own probe ENIs are not the lab's.
      const room = await getSubnetHeadroom(lab.clients(row.account), ids.subnet[row.subnet]!, { signal });
      await attachEvidence(
        annotate,
        'config',
        `${room.free} free for the lab (${room.available} available, ${room.heldBySuite.length} held by the suite's probes)`,
        { ...room, minFree: row.minFreeAddresses },
      );
      expect(
        room.free,
        `${row.subnet} (${room.subnetId}) must keep at least ${row.minFreeAddresses} addresses free`,
      ).toBeGreaterThanOrEqual(row.minFreeAddresses);
    },
  );

  eachRow(hosts, 'no network.hosts in targets', (host) => host.name)(
    {
      id: 'N4',
      seed: seed(
        'peering',
        'Launch Bastion Host (Public Subnet) and Private Instance (Private Subnet) in Same AZ',
      ),
    },
    '$name has no public IP and sits in $subnet',
    async (host, { expect, annotate }) => {
      const instance = await getInstance(lab.clients(host.account), ids.instance[host.name]!);
      await attachEvidence(annotate, 'config', `${instance.InstanceId}: ${instance.PrivateIpAddress}`, {
        instanceId: instance.InstanceId,
        privateIp: instance.PrivateIpAddress,
        publicIp: instance.PublicIpAddress ?? null,
        subnetId: instance.SubnetId,
        state: instance.State?.Name,
      });
      expect(instance.PublicIpAddress, `${host.name} must have no public IP`).toBeUndefined();
      expect(instance.SubnetId, `${host.name} subnet`).toBe(ids.subnet[host.subnet]);
      if (host.privateIp)
        expect(instance.PrivateIpAddress, `${host.name} private address`).toBe(host.privateIp);
    },
  );
});

describe.concurrent('N · The Transit Gateway joins VPCs only where allowed', { tags: ['config'] }, () => {
  check(
    {
      id: 'N5',
      seed: seed('mesh', 'PHASE 2 — Create & attach TGW: enable DNS support, disable auto-accept'),
    },
    'the Transit Gateway has the intended options',
    async ({ expect, annotate, skip }) => {
      if (!tgw) return skip('no transitGateway in targets');
      const found = await getTransitGateway(lab.clients(), ids.transitGateway!);
      const seen = {
        state: found.State,
        dnsSupport: found.Options?.DnsSupport === 'enable',
        autoAcceptSharedAttachments: found.Options?.AutoAcceptSharedAttachments === 'enable',
        defaultRouteTableAssociation: found.Options?.DefaultRouteTableAssociation === 'enable',
        defaultRouteTablePropagation: found.Options?.DefaultRouteTablePropagation === 'enable',
      };
      await attachEvidence(annotate, 'config', `${found.TransitGatewayId} ${found.State}`, seen);
      expect({ ...seen, state: found.State }).toEqual({ ...tgw.options, state: 'available' });
    },
  );

  eachRow(tgw?.attachments ?? [], 'no transitGateway in targets', (att) => att.name)(
    { id: 'N6', seed: seed('mesh', 'PHASE 2 — Step 2: Create TGW attachments, one subnet from each AZ') },
    'attachment $name joins $vpc, available, one subnet per AZ',
    async (att, { expect, annotate }) => {
      const found = await getTgwVpcAttachment(lab.clients(), ids.tgwAttachment[att.name]!);
      const vpc = vpcs.find((v) => v.name === att.vpc)!;
      const subnetsByAz = await Promise.all(
        (found.SubnetIds ?? []).map((s) => getSubnet(lab.clients(vpc.account), s)),
      );
      const azs = subnetsByAz.map((s) => s.AvailabilityZone);
      const vpcAzs = await Promise.all(
        vpc.subnets.map((s) => getSubnet(lab.clients(vpc.account), ids.subnet[s.name]!)),
      );
      await attachEvidence(
        annotate,
        'config',
        `${found.TransitGatewayAttachmentId} ${found.State} in ${azs.join(', ')}`,
        {
          state: found.State,
          vpcId: found.VpcId,
          subnetIds: found.SubnetIds,
          availabilityZones: azs,
        },
      );
      expect(found.State, `${att.name} state`).toBe('available');
      expect(found.VpcId, `${att.name} VPC`).toBe(ids.vpc[att.vpc]);
      expect(new Set(azs).size, `${att.name}: one subnet per AZ`).toBe(azs.length);
      expect([...new Set(azs)].sort(), `${att.name} must reach every AZ of ${att.vpc}`).toEqual(
        [...new Set(vpcAzs.map((s) => s.AvailabilityZone))].sort(),
      );
    },
  );

  eachRow(tgw?.routeTables ?? [], 'no transitGateway in targets', (table) => table.name)(
    {
      id: 'N7',
      seed: seed('mesh', 'PHASE 2 — Edit TGW route tables: which VPCs may talk, and which may not'),
    },
    'TGW route table $name is associated with exactly its attachments',
    async (table, { expect, annotate }) => {
      const associations = await listTgwAssociations(lab.clients(), ids.tgwRouteTable[table.name]!);
      const intended = tgw!.attachments
        .filter((a) => a.routeTable === table.name)
        .map((a) => ids.tgwAttachment[a.name]!);
      const seen = associations.filter((a) => a.state === 'associated').map((a) => a.attachmentId);
      await attachEvidence(annotate, 'config', `associated: ${seen.join(', ') || 'none'}`, {
        associations,
        intended,
      });
      expect(seen.sort(), `${table.name} associations (${nameAttachments(seen)})`).toEqual(intended.sort());
    },
  );

  eachRow(tgw?.routeTables ?? [], 'no transitGateway in targets', (table) => table.name)(
    { id: 'N8', seed: seed('mesh', 'Post-lab validation 7 — TGW route table verification') },
    'TGW route table $name holds exactly its intended routes',
    async (table, { expect, annotate }) => {
      const routes = await listTgwRoutes(lab.clients(), ids.tgwRouteTable[table.name]!);
      const seen = routes
        .map(
          (r) => `${r.cidr} → ${r.attachment === 'blackhole' ? 'blackhole' : nameAttachment(r.attachment)}`,
        )
        .sort();
      const intended = table.routes.map((r) => `${r.cidr} → ${r.attachment}`).sort();
      await attachEvidence(annotate, 'config', seen.join('; ') || 'no routes', { routes });
      expect(seen, `${table.name} routes (a route that joins VPCs which must not talk shows here)`).toEqual(
        intended,
      );
    },
  );
});

describe.concurrent('N · Private route tables send lab traffic to the TGW or peering, and nothing to the internet', {
  tags: ['config'],
}, () => {
  eachRow(subnets, 'no subnets in targets', (row) => row.subnet)(
    { id: 'N9', seed: seed('mesh', 'PHASE 2 — Step 3: Update private route tables (all VPCs)') },
    '$subnet routes its peer networks as intended',
    async (row, { expect, annotate, skip }) => {
      if (!row.routes.length) return skip(`no routes for ${row.vpc} in targets`);
      const table = await getRouteTableFor(lab.clients(row.account), lab.subnetIds(row.subnet));
      const routes = routesOf(table);
      await attachEvidence(annotate, 'config', `${table.RouteTableId}: ${routes.length} routes`, {
        routeTableId: table.RouteTableId,
        routes,
      });
      const intended = row.routes.map((want) => ({
        cidr: want.cidr,
        target: want.via === 'transit-gateway' ? ids.transitGateway : ids.peering[want.via.peering],
      }));
      for (const want of intended) {
        const route = routes.find((r) => r.cidr === want.cidr);
        expect(route, `${table.RouteTableId} (${row.subnet}) must route ${want.cidr}`).toBeDefined();
        expect(route?.target, `${table.RouteTableId}: ${want.cidr} must go to ${want.target}`).toBe(
          want.target,
        );
        expect(route?.state, `${table.RouteTableId}: ${want.cidr} → ${route?.target}`).toBe('active');
      }
      // A route toward the TGW or a peering that the lab does not plan carries traffic nobody checks.
      const unplanned = routes
        .filter((r) => /^(tgw|pcx)-/.test(r.target ?? ''))
        .filter((r) => !intended.some((w) => w.cidr === r.cidr && w.target === r.target))
        .map((r) => `${r.cidr} → ${r.target}`);
      expect(unplanned, `${table.RouteTableId} (${row.subnet}) routes the lab does not intend`).toEqual([]);
    },
  );

  eachRow(subnets, 'no subnets in targets', (row) => row.subnet)(
    { id: 'N10', seed: seed('zeroTrust', 'Steps 8 — Set up route tables with no internet access') },
    '$subnet has no route to an internet or NAT gateway',
    async (row, { expect, annotate }) => {
      const table = await getRouteTableFor(lab.clients(row.account), lab.subnetIds(row.subnet));
      const egress = (table.Routes ?? []).filter(
        (r) => r.GatewayId?.startsWith('igw-') || r.NatGatewayId || r.EgressOnlyInternetGatewayId,
      );
      await attachEvidence(annotate, 'config', `${egress.length} internet routes in ${table.RouteTableId}`, {
        routeTableId: table.RouteTableId,
        egress,
      });
      expect(
        egress.map(
          (r) =>
            `${r.DestinationCidrBlock ?? r.DestinationPrefixListId} → ${r.GatewayId ?? r.NatGatewayId ?? r.EgressOnlyInternetGatewayId}`,
        ),
        `${table.RouteTableId} (${row.subnet}) is a private, zero-trust route table`,
      ).toEqual([]);
    },
  );
});

describe.concurrent('N · Security groups and peering are as the lab intends', { tags: ['config'] }, () => {
  eachRow(hosts, 'no network.hosts in targets', (host) => host.name)(
    {
      id: 'N11',
      seed: seed(
        'peering',
        'Test connectivity from private instances: the ICMP rule admits only the peer VPC or subnet CIDR',
      ),
    },
    '$name admits ICMP only from its intended sources, and nothing from anywhere',
    async (host, { expect, annotate }) => {
      const clients = lab.clients(host.account);
      const instance = await getInstance(clients, ids.instance[host.name]!);
      const groups = await listSecurityGroups(
        clients,
        (instance.SecurityGroups ?? []).map((g) => g.GroupId!),
      );
      const sources = await listIngressSources(clients, groups);
      const icmpSources = [...new Set(sources.filter(carriesIcmp).flatMap(addressesOf))].sort();
      const open = [...new Set(sources.filter((s) => s.cidrs.some(isWorld)).map(describeSource))];
      await attachEvidence(annotate, 'config', `ICMP from ${icmpSources.join(', ') || 'nowhere'}`, {
        groups: groups.map((g) => g.GroupId),
        icmpSources,
        openToWorld: open,
        prefixLists: sources.filter((s) => s.source.startsWith('pl-')),
      });
      expect(icmpSources, `${host.name} ICMP sources`).toEqual([...host.icmpFrom].sort());
      expect(open, `${host.name} must admit nothing from anywhere (0.0.0.0/0 or ::/0)`).toEqual([]);
    },
  );

  eachRow(net?.peerings ?? [], 'no network.peerings in targets', (p) => p.name)(
    { id: 'N12', seed: seed('peering', 'Create VPC peering between account A and B') },
    'peering $name joins $requester and $accepter and is active',
    async (p, { expect, annotate }) => {
      const account = vpcs.find((v) => v.name === p.requester)!.account;
      const pcx = await getPeeringConnection(lab.clients(account), ids.peering[p.name]!);
      await attachEvidence(annotate, 'config', `${pcx.VpcPeeringConnectionId} ${pcx.Status?.Code}`, {
        status: pcx.Status,
        requester: pcx.RequesterVpcInfo?.VpcId,
        accepter: pcx.AccepterVpcInfo?.VpcId,
      });
      expect(pcx.Status?.Code, `${p.name} status`).toBe('active');
      expect([pcx.RequesterVpcInfo?.VpcId, pcx.AccepterVpcInfo?.VpcId]).toEqual([
        ids.vpc[p.requester],
        ids.vpc[p.accepter],
      ]);
    },
  );
});

describe.concurrent('N · VPCs talk through the Transit Gateway and peering only where allowed', {
  tags: ['live'],
}, () => {
  const rows = (net?.reachability ?? []).map((r) => ({
    ...r,
    proto: r.protocol === 'icmp' ? 'ICMP' : `TCP ${r.protocol.tcp}`,
  }));
  eachRow(rows, 'no network.reachability in targets', reachabilityRow)(
    {
      id: 'N13',
      seed: seed('mesh', 'Post-lab validation 1.1 — VPC connectivity: ping between VPCs via TGW'),
    },
    '$from → $to ($proto): $expect',
    async (pair, { expect, annotate, signal }) => {
      const from = lab.host(pair.from);
      const to = lab.host(pair.to);
      const toInstance = await getInstance(lab.clients(to.account), to.instanceId);
      const ip = toInstance.PrivateIpAddress!;
      const clients = lab.clients(from.account);
      const base = {
        count: net!.ping.count,
        timeoutSeconds: net!.ping.timeoutSeconds,
        signal,
        runId: lab.targets.runId,
      };
      let answered: boolean;
      if (pair.protocol === 'icmp') {
        const ping = await pingFrom(
          clients,
          { name: from.name, instanceId: from.instanceId },
          { name: to.name, ip },
          base,
        );
        await attachEvidence(annotate, 'ping', ping.summary, ping);
        answered = ping.outcome === 'ok';
      } else {
        const nc = await connectFrom(
          clients,
          { name: from.name, instanceId: from.instanceId },
          { name: to.name, ip, port: pair.protocol.tcp },
          base,
        );
        await attachEvidence(annotate, 'connect', nc.summary, nc);
        answered = nc.outcome === 'ok';
      }
      await attachEvidence(
        annotate,
        'reachability',
        `${pair.from} → ${pair.to}: ${answered ? 'answered' : 'silent'}`,
        {
          from: pair.from,
          to: pair.to,
          expect: pair.expect,
          observed: answered ? 'answered' : 'silent',
          protocol: pair.proto,
        },
      );
      if (answered !== (pair.expect === 'allow')) {
        const hops = await explainRoute(clients, lab.subnetIds(from.subnet), ip);
        expect.fail(
          `${pair.from} → ${pair.to} (${ip}) must ${pair.expect === 'allow' ? 'answer' : 'stay silent'}, but it ${answered ? 'answered' : 'did not'}.\n  route: ${hops.join('\n  then: ')}`,
        );
      }
    },
  );
});

function nameAttachment(id: string): string {
  return Object.entries(ids.tgwAttachment).find(([, v]) => v === id)?.[0] ?? id;
}
function nameAttachments(list: string[]): string {
  return list.map(nameAttachment).join(', ') || 'none';
}
function carriesIcmp(s: IngressSource): boolean {
  return ['icmp', '1', 'icmpv6', '58', '-1'].includes(s.protocol);
}
/** A CIDR or group as itself; a prefix list as the ranges it holds. */
function addressesOf(s: IngressSource): string[] {
  return s.source.startsWith('pl-') ? s.cidrs : [s.source];
}
function describeSource(s: IngressSource): string {
  const what = s.protocol === '-1' ? 'all traffic' : s.protocol;
  const ports = s.fromPort !== undefined && s.protocol !== '-1' ? ` ${s.fromPort}-${s.toPort}` : '';
  return `${what}${ports} from ${s.source}${s.source.startsWith('pl-') ? ` (${s.cidrs.join(', ')})` : ''}`;
}
