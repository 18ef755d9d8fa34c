import { cidrTextContains } from '../../common/ip.ts';
import { getRouteTableFor } from '../vpc.ts';
import type { Clients, ResolvedTargets } from './resolve.ts';
import type { ReachabilityTarget, VpcTarget } from './schema.ts';

/**
 * Questions asked of any lab's targets — where a host lives, which VPC is
 * the hub, which pairs are kept apart, which reachability rows a change
 * touches. The suite (through `Lab`) and the drift catalogue (lab/drifts/)
 * ask them here, so both read a lab the same way; they read only the
 * targets (and AWS where targets do not say), never a lab's names.
 */

/** The VPC (target) a named subnet belongs to. */
export function vpcOfSubnet(
  lab: Pick<ResolvedTargets, 'network'>,
  subnetName: string,
): VpcTarget | undefined {
  return lab.network?.vpcs.find((v) => v.subnets.some((s) => s.name === subnetName));
}

/** The name of the VPC a named host lives in. */
export function vpcOf(lab: ResolvedTargets, hostName: string): string | undefined {
  const host = lab.network?.hosts.find((h) => h.name === hostName);
  return host && vpcOfSubnet(lab, host.subnet)?.name;
}

export function hostsIn(lab: ResolvedTargets, vpcName: string): string[] {
  return (lab.network?.hosts ?? []).filter((h) => vpcOf(lab, h.name) === vpcName).map((h) => h.name);
}

export function attachmentOf(lab: ResolvedTargets, vpcName: string) {
  return lab.network?.transitGateway?.attachments.find((a) => a.vpc === vpcName);
}

/**
 * The hub of a hub-and-spoke TGW: the attachment the most other route
 * tables (not its own) send traffic to. Ties go to the first listed.
 */
export function hubAttachment(lab: ResolvedTargets) {
  const tgw = lab.network?.transitGateway;
  if (!tgw) return undefined;
  const pointedAt = (a: { name: string; routeTable: string }) =>
    tgw.routeTables.filter((t) => t.name !== a.routeTable && t.routes.some((r) => r.attachment === a.name))
      .length;
  return [...tgw.attachments].sort((a, b) => pointedAt(b) - pointedAt(a))[0];
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

/**
 * VPC pairs, both on the TGW, that a deny row says must not talk and no
 * allow row joins: pairs kept apart by routing, not by a port rule.
 */
export function denyPairsAcrossTgw(lab: ResolvedTargets): [string, string][] {
  const pairs = new Map<string, [string, string]>();
  const allowed = new Set<string>();
  for (const r of lab.network?.reachability ?? []) {
    const a = vpcOf(lab, r.from);
    const b = vpcOf(lab, r.to);
    if (!a || !b || a === b || !attachmentOf(lab, a) || !attachmentOf(lab, b)) continue;
    const key = [a, b].sort().join('|');
    if (r.expect === 'allow') allowed.add(key);
    else pairs.set(key, [a, b]);
  }
  return [...pairs].filter(([key]) => !allowed.has(key)).map(([, pair]) => pair);
}

/** Whether CIDR `outer` contains CIDR `inner` (a summary route covering a VPC). */
export function covers(outer: string, inner: string): boolean {
  return cidrTextContains(outer, inner);
}

/** Whether `from`'s route table (per targets) sends `to`'s CIDR to the TGW. */
export function vpcRoutesToTgw(lab: ResolvedTargets, from: string, to: string): boolean {
  const vpcs = lab.network?.vpcs ?? [];
  const cidr = vpcs.find((v) => v.name === to)?.cidr ?? '';
  return Boolean(
    vpcs
      .find((v) => v.name === from)
      ?.routes.some((r) => r.via === 'transit-gateway' && covers(r.cidr, cidr)),
  );
}

/**
 * Allow rows, of any protocol, with one end in `vpcs` and the other in a
 * VPC outside them (on the TGW, and passing `other` if given): the rows a
 * broken route between those VPCs stops, in either direction (replies
 * need the way back).
 */
export function allowRowsTouching(
  lab: ResolvedTargets,
  vpcs: string | string[],
  options: { acrossTgw: boolean; other?: (vpc: string) => boolean },
): ReachabilityTarget[] {
  const inside = new Set([vpcs].flat());
  return (lab.network?.reachability ?? []).filter((r) => {
    if (r.expect !== 'allow') return false;
    const ends = [vpcOf(lab, r.from)!, vpcOf(lab, r.to)!];
    const mine = ends.filter((e) => inside.has(e));
    if (mine.length !== 1) return false;
    const other = ends.find((e) => !inside.has(e))!;
    if (options.acrossTgw && !attachmentOf(lab, other)) return false;
    return !options.other || options.other(other);
  });
}

/** The VPCs whose TGW attachments are associated with route table `table`. */
export function vpcsOnTable(lab: ResolvedTargets, table: string): string[] {
  return (lab.network?.transitGateway?.attachments ?? [])
    .filter((a) => a.routeTable === table)
    .map((a) => a.vpc);
}

/**
 * The target subnets of a VPC that use the same route table as its first
 * subnet (asked of AWS: which table a subnet uses is the VPC's, not the
 * targets'), in the targets' order.
 */
export async function subnetsSharingTable(
  lab: ResolvedTargets,
  clients: Clients,
  vpcName: string,
): Promise<string[]> {
  const vpc = lab.network!.vpcs.find((v) => v.name === vpcName)!;
  const account = clients(vpc.account);
  const vpcId = lab.ids.vpc[vpc.name]!;
  const tableOf = async (subnet: string) =>
    (await getRouteTableFor(account, { subnetId: lab.ids.subnet[subnet]!, vpcId })).RouteTableId;
  const first = await tableOf(vpc.subnets[0]!.name);
  const same: string[] = [];
  for (const s of vpc.subnets) if ((await tableOf(s.name)) === first) same.push(s.name);
  return same;
}
