import { describe } from 'vitest';
import { attachEvidence } from '../../helpers/evidence.ts';
import {
  getTgwVpcAttachment,
  getTransitGateway,
  listTgwAssociations,
  listTgwRoutes,
} from '../../helpers/tgw.ts';
import { getInstance, getSubnet, getSubnetHeadroom, getVpc } from '../../helpers/vpc.ts';
import { check, eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { networkContext } from './context.ts';

/**
 * Network, configuration: VPCs, subnets and hosts laid out as the lab
 * intends, and a Transit Gateway that joins VPCs only where allowed.
 */
const { lab, ids, vpcs, subnets, hosts, tgw } = networkContext();

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

function nameAttachment(id: string): string {
  return Object.entries(ids.tgwAttachment).find(([, v]) => v === id)?.[0] ?? id;
}
function nameAttachments(list: string[]): string {
  return list.map(nameAttachment).join(', ') || 'none';
}
