import { DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import type { ReachabilityTarget, ResolvedTargets } from '../../helpers/targets/index.ts';
import type { Operator } from './types.ts';

/**
 * Questions drifts ask of any lab's targets: which VPC is the hub, which
 * pairs must not talk, which reachability rows a change touches. They read
 * only the targets, so a drift picks its victim in whatever lab it is given.
 */
export function vpcOf(lab: ResolvedTargets, hostName: string): string | undefined {
  const host = lab.network?.hosts.find((h) => h.name === hostName);
  return lab.network?.vpcs.find((v) => v.subnets.some((s) => s.name === host?.subnet))?.name;
}

export function hostsIn(lab: ResolvedTargets, vpcName: string): string[] {
  return (lab.network?.hosts ?? []).filter((h) => vpcOf(lab, h.name) === vpcName).map((h) => h.name);
}

export function attachmentOf(lab: ResolvedTargets, vpcName: string) {
  return lab.network?.transitGateway?.attachments.find((a) => a.vpc === vpcName);
}

/** The attachment whose route table reaches the most others: the hub of a hub-and-spoke TGW. */
export function hubAttachment(lab: ResolvedTargets) {
  const tgw = lab.network?.transitGateway;
  if (!tgw) return undefined;
  const routesOf = (table: string) => tgw.routeTables.find((t) => t.name === table)?.routes.length ?? 0;
  return [...tgw.attachments].sort((a, b) => routesOf(b.routeTable) - routesOf(a.routeTable))[0];
}

/** A spoke whose table routes to the hub, and that route. */
export function spokeOfHub(lab: ResolvedTargets) {
  const tgw = lab.network?.transitGateway;
  const hub = hubAttachment(lab);
  if (!tgw || !hub) return undefined;
  for (const spoke of tgw.attachments) {
    if (spoke.name === hub.name) continue;
    const route = tgw.routeTables
      .find((t) => t.name === spoke.routeTable)
      ?.routes.find((r) => r.attachment === hub.name);
    if (route) return { spoke, route };
  }
  return undefined;
}

/** VPC pairs, both on the TGW, that a deny row says must not talk. */
export function denyPairsAcrossTgw(lab: ResolvedTargets): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  for (const r of lab.network?.reachability ?? []) {
    const a = vpcOf(lab, r.from);
    const b = vpcOf(lab, r.to);
    if (r.expect !== 'deny' || !a || !b || a === b || !attachmentOf(lab, a) || !attachmentOf(lab, b))
      continue;
    pairs.set([a, b].sort().join('|'), [a, b]);
  }
  return [...pairs.values()];
}

/** ICMP allow rows with one end in `vpc` and the other in another VPC (on the TGW, and `with` if given). */
export function allowRowsTouching(
  lab: ResolvedTargets,
  vpc: string,
  options: { acrossTgw: boolean; with?: string },
): ReachabilityTarget[] {
  return (lab.network?.reachability ?? []).filter((r) => {
    if (r.expect !== 'allow' || r.protocol !== 'icmp') return false;
    const ends = [vpcOf(lab, r.from), vpcOf(lab, r.to)];
    if (!ends.includes(vpc) || ends[0] === ends[1]) return false;
    const other = ends[0] === vpc ? ends[1]! : ends[0]!;
    if (options.acrossTgw && !attachmentOf(lab, other)) return false;
    return !options.with || other === options.with;
  });
}

export function reachRow(r: ReachabilityTarget): string {
  return `N13 ${r.from} → ${r.to} (`;
}

/** The target subnets of a VPC that use the same route table as its first subnet. */
export async function subnetsSharingTable(
  lab: ResolvedTargets,
  op: Operator,
  vpcName: string,
): Promise<string[]> {
  const vpc = lab.network!.vpcs.find((v) => v.name === vpcName)!;
  const ec2 = op(vpc.account).ec2;
  const tableOf = async (subnet: string) => {
    const { RouteTables } = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [{ Name: 'association.subnet-id', Values: [lab.ids.subnet[subnet]!] }],
      }),
    );
    return RouteTables?.[0]?.RouteTableId ?? 'main';
  };
  const first = await tableOf(vpc.subnets[0]!.name);
  const same: string[] = [];
  for (const s of vpc.subnets) if ((await tableOf(s.name)) === first) same.push(s.name);
  return same;
}
