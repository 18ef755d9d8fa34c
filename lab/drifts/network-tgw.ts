import {
  CreateRouteCommand,
  CreateTransitGatewayRouteCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  DisassociateTransitGatewayRouteTableCommand,
  EnableTransitGatewayRouteTablePropagationCommand,
  ModifyTransitGatewayCommand,
  ModifyTransitGatewayVpcAttachmentCommand,
  ReplaceTransitGatewayRouteCommand,
} from '@aws-sdk/client-ec2';
import type { ResolvedTargets } from '../../helpers/targets/index.ts';
import type { Drift, Operator } from './types.ts';

const ec2 = (op: Operator, account: string) => op(account).ec2;

import {
  allowRowsTouching,
  attachmentOf,
  denyPairsAcrossTgw,
  hubAttachment,
  spokeOfHub,
  subnetsSharingTable,
  vpcOf,
  vpcRoutesToTgw,
  vpcsOnTable,
} from '../../helpers/targets/view.ts';
import { reachRow } from './lab-view.ts';

export const tgwRouteJoinsDeniedPair: Drift = {
  id: 'net-tgw-route-joins-denied-pair',
  says: 'Transit Gateway routes join two VPCs that must not talk',
  appliesTo: (lab) => denyPairsAcrossTgw(lab).length > 0,
  async breaks(lab) {
    const [a, b] = denyPairsAcrossTgw(lab)[0]!;
    // Packets then cross the TGW; they arrive, and replies return, only if both VPCs' own route
    // tables send the other's range to the TGW (a summary route does) — otherwise only the tables fail.
    const joined = vpcRoutesToTgw(lab, a, b) && vpcRoutesToTgw(lab, b, a);
    const rows = (lab.network?.reachability ?? []).filter(
      (r) =>
        joined &&
        r.expect === 'deny' &&
        [a, b].includes(vpcOf(lab, r.from)!) &&
        [a, b].includes(vpcOf(lab, r.to)!) &&
        vpcOf(lab, r.from) !== vpcOf(lab, r.to),
    );
    return [
      { id: 'N8', row: attachmentOf(lab, a)!.routeTable },
      { id: 'N8', row: attachmentOf(lab, b)!.routeTable },
      ...rows.map(reachRow),
    ];
  },
  async apply(lab, op) {
    const [a, b] = denyPairsAcrossTgw(lab)[0]!;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ] as const) {
      await ec2(op, 'lab').send(
        new CreateTransitGatewayRouteCommand({
          TransitGatewayRouteTableId: lab.ids.tgwRouteTable[attachmentOf(lab, from)!.routeTable],
          DestinationCidrBlock: lab.network!.vpcs.find((v) => v.name === to)!.cidr,
          TransitGatewayAttachmentId: lab.ids.tgwAttachment[attachmentOf(lab, to)!.name],
        }),
      );
    }
  },
};

export const hubAssociationRemoved: Drift = {
  id: 'net-tgw-hub-association-removed',
  says: "the hub VPC's attachment loses its TGW route-table association",
  appliesTo: (lab) => Boolean(lab.network?.transitGateway),
  async breaks(lab) {
    const hub = hubAttachment(lab)!;
    return [
      { id: 'N7', row: hub.routeTable },
      ...allowRowsTouching(lab, hub.vpc, { acrossTgw: true }).map(reachRow),
    ];
  },
  async apply(lab, op) {
    const hub = hubAttachment(lab)!;
    await ec2(op, 'lab').send(
      new DisassociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: lab.ids.tgwRouteTable[hub.routeTable],
        TransitGatewayAttachmentId: lab.ids.tgwAttachment[hub.name],
      }),
    );
  },
};

export const spokeRouteBlackholed: Drift = {
  id: 'net-tgw-spoke-route-blackholed',
  says: "a spoke's TGW route to the hub is replaced by a blackhole",
  appliesTo: (lab) => Boolean(spokeOfHub(lab)),
  async breaks(lab) {
    const { spoke } = spokeOfHub(lab)!;
    const hub = hubAttachment(lab)!;
    // Every VPC sharing the spoke's table loses the hub.
    return [
      { id: 'N8', row: spoke.routeTable },
      ...allowRowsTouching(lab, vpcsOnTable(lab, spoke.routeTable), {
        acrossTgw: true,
        other: (vpc) => vpc === hub.vpc,
      }).map(reachRow),
    ];
  },
  async apply(lab, op) {
    const { spoke, route } = spokeOfHub(lab)!;
    await ec2(op, 'lab').send(
      new ReplaceTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: lab.ids.tgwRouteTable[spoke.routeTable],
        DestinationCidrBlock: route.cidr,
        Blackhole: true,
      }),
    );
  },
};

export const tgwAutoAcceptOn: Drift = {
  id: 'net-tgw-auto-accept-on',
  says: 'the Transit Gateway starts auto-accepting shared attachments',
  appliesTo: (lab) => lab.network?.transitGateway?.options.autoAcceptSharedAttachments === false,
  async breaks() {
    return [{ id: 'N5' }];
  },
  async apply(lab, op) {
    await ec2(op, 'lab').send(
      new ModifyTransitGatewayCommand({
        TransitGatewayId: lab.ids.transitGateway,
        Options: { AutoAcceptSharedAttachments: 'enable' },
      }),
    );
  },
};

export const propagationLeak: Drift = {
  id: 'net-tgw-propagation-leak',
  says: "one spoke's attachment propagates into another spoke's route table (one way: still no ping, but the table is wrong)",
  appliesTo: (lab) => denyPairsAcrossTgw(lab).length > 0,
  async breaks(lab) {
    const [a] = denyPairsAcrossTgw(lab)[0]!;
    return [{ id: 'N8', row: attachmentOf(lab, a)!.routeTable }];
  },
  async apply(lab, op) {
    const [a, b] = denyPairsAcrossTgw(lab)[0]!;
    await ec2(op, 'lab').send(
      new EnableTransitGatewayRouteTablePropagationCommand({
        TransitGatewayRouteTableId: lab.ids.tgwRouteTable[attachmentOf(lab, a)!.routeTable],
        TransitGatewayAttachmentId: lab.ids.tgwAttachment[attachmentOf(lab, b)!.name],
      }),
    );
  },
};

export const attachmentLosesAz: Drift = {
  id: 'net-tgw-attachment-loses-az',
  says: "a TGW attachment drops its subnet in one of its VPC's availability zones",
  appliesTo: (lab) =>
    Boolean(
      lab.network?.transitGateway?.attachments.some(
        (a) => (lab.network!.vpcs.find((v) => v.name === a.vpc)?.subnets.length ?? 0) > 1,
      ),
    ),
  async breaks(lab) {
    return [{ id: 'N6', row: multiAzAttachment(lab).name }];
  },
  async apply(lab, op) {
    const attachment = multiAzAttachment(lab);
    const client = ec2(op, 'lab');
    const { TransitGatewayVpcAttachments } = await client.send(
      new DescribeTransitGatewayVpcAttachmentsCommand({
        TransitGatewayAttachmentIds: [lab.ids.tgwAttachment[attachment.name]!],
      }),
    );
    // Keep the subnet of the VPC's first targets subnet (where hosts usually sit); drop the last one.
    const subnets = TransitGatewayVpcAttachments![0]!.SubnetIds!;
    await client.send(
      new ModifyTransitGatewayVpcAttachmentCommand({
        TransitGatewayAttachmentId: lab.ids.tgwAttachment[attachment.name],
        RemoveSubnetIds: [subnets.at(-1)!],
      }),
    );
  },
};

function multiAzAttachment(lab: ResolvedTargets) {
  return lab.network!.transitGateway!.attachments.find(
    (a) => (lab.network!.vpcs.find((v) => v.name === a.vpc)?.subnets.length ?? 0) > 1,
  )!;
}

/** A VPC that sends some of its traffic to the TGW but has no default route of its own in targets. */
function tgwVpcWithoutDefault(lab: ResolvedTargets) {
  if (!lab.ids.transitGateway) return undefined;
  return lab.network?.vpcs.find(
    (v) => v.routes.some((r) => r.via === 'transit-gateway') && !v.routes.some((r) => r.cidr === '0.0.0.0/0'),
  );
}

export const defaultRouteToTgw: Drift = {
  id: 'net-vpc-default-route-to-tgw',
  says: 'a private route table gets 0.0.0.0/0 → the Transit Gateway, a route the lab does not intend',
  appliesTo: (lab) => Boolean(tgwVpcWithoutDefault(lab)),
  async breaks(lab, op) {
    // The TGW's own tables hold no default route, so no new path opens: only the route table check sees it.
    return (await subnetsSharingTable(lab, op, tgwVpcWithoutDefault(lab)!.name)).map((s) => ({
      id: 'N9',
      row: s,
    }));
  },
  async apply(lab, op) {
    const vpc = tgwVpcWithoutDefault(lab)!;
    const client = ec2(op, vpc.account);
    const { RouteTables } = await client.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'association.subnet-id', Values: [lab.ids.subnet[vpc.subnets[0]!.name]!] }],
      }),
    );
    await client.send(
      new CreateRouteCommand({
        RouteTableId: RouteTables![0]!.RouteTableId,
        DestinationCidrBlock: '0.0.0.0/0',
        TransitGatewayId: lab.ids.transitGateway,
      }),
    );
  },
};

/** Drifts of the Transit Gateway: its options, attachments, associations, propagations and routes. */
export const tgwDrifts: Drift[] = [
  tgwRouteJoinsDeniedPair,
  hubAssociationRemoved,
  spokeRouteBlackholed,
  tgwAutoAcceptOn,
  propagationLeak,
  attachmentLosesAz,
  defaultRouteToTgw,
];
