import { describe } from 'vitest';
import { attachEvidence } from '../../helpers/evidence.ts';
import { explainRoute } from '../../helpers/path.ts';
import { connectFrom, pingFrom, type Reach, reachConforms, reachOf } from '../../helpers/ping.ts';
import { reachabilityRow } from '../../helpers/targets/rows.ts';
import {
  getInstance,
  getPeeringConnection,
  getRouteTableFor,
  type IngressSource,
  isWorld,
  listIngressSources,
  listSecurityGroups,
  routesOf,
} from '../../helpers/vpc.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { networkContext } from './context.ts';

/**
 * Network, paths: route tables, security groups and peerings as the lab
 * intends (configuration), then pings and connections across the Transit
 * Gateway and peerings (live), each explained by the path it took.
 */
const { lab, net, ids, vpcs, subnets, hosts } = networkContext();

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
      let heard: Reach;
      if (pair.protocol === 'icmp') {
        const ping = await pingFrom(
          clients,
          { name: from.name, instanceId: from.instanceId },
          { name: to.name, ip },
          base,
        );
        await attachEvidence(annotate, 'ping', ping.summary, ping);
        heard = reachOf(ping);
      } else {
        const nc = await connectFrom(
          clients,
          { name: from.name, instanceId: from.instanceId },
          { name: to.name, ip, port: pair.protocol.tcp },
          base,
        );
        await attachEvidence(annotate, 'connect', nc.summary, nc);
        heard = reachOf(nc);
      }
      await attachEvidence(annotate, 'reachability', `${pair.from} → ${pair.to}: ${heard}`, {
        from: pair.from,
        to: pair.to,
        expect: pair.expect,
        observed: heard,
        protocol: pair.proto,
      });
      if (!reachConforms(pair.expect, heard)) {
        const hops = await explainRoute(clients, lab.subnetIds(from.subnet), ip);
        const saw = { answered: 'it answered', silent: 'it did not', refused: 'the host refused the port' }[
          heard
        ];
        expect.fail(
          `${pair.from} → ${pair.to} (${ip}) must ${pair.expect === 'allow' ? 'answer' : 'stay silent'}, but ${saw}.\n  route: ${hops.join('\n  then: ')}`,
        );
      }
    },
  );
});

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
