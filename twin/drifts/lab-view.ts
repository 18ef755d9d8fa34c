import { DescribeRouteTablesCommand } from '@aws-sdk/client-ec2';
import { GetFunctionConfigurationCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { cidrTextContains } from '../../common/ip.ts';
import type { ReachabilityTarget, ResolvedTargets } from '../../helpers/targets/index.ts';
import { reachabilityRow } from '../../helpers/targets/rows.ts';
import type { Break, Operator } from './types.ts';

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

/** Whether CIDR `outer` contains CIDR `inner` (a summary route covering a VPC). */
export const covers = cidrTextContains;

export function reachRow(r: ReachabilityTarget): Break {
  return { id: 'N13', row: reachabilityRow(r) };
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

/**
 * Every fruit's receipt (D7): when the pipeline stops, only D7 fails; the
 * checks that needed a receipt (D8, D9, D10, D11) are errors blocked by it,
 * which the drift matrix accepts because they name D7.
 */
export function pipelineStops(lab: ResolvedTargets): Break[] {
  return (lab.dataProtection?.orders ?? []).map((o) => ({ id: 'D7', row: o.name }));
}

/**
 * Where the pipeline's consumer runs: the function the queue's event source
 * mapping invokes, and its VPC placement. Targets do not say (the consumer
 * is the lab's, not the suite's), so a drift that cuts a VPC's way to S3
 * asks AWS whether it also cuts the pipeline's.
 */
export async function pipelineConsumer(
  lab: ResolvedTargets,
  op: Operator,
): Promise<{ vpcId?: string; securityGroupIds: string[] } | undefined> {
  if (!lab.ids.queueUrl) return undefined;
  const clients = op('lab');
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: lab.ids.queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const { EventSourceMappings } = await clients.lambda.send(
    new ListEventSourceMappingsCommand({ EventSourceArn: Attributes!.QueueArn! }),
  );
  const functionArn = EventSourceMappings?.find((m) => m.State !== 'Disabled')?.FunctionArn;
  if (!functionArn) return undefined;
  const { VpcConfig } = await clients.lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: functionArn }),
  );
  return {
    ...(VpcConfig?.VpcId && { vpcId: VpcConfig.VpcId }),
    securityGroupIds: VpcConfig?.SecurityGroupIds ?? [],
  };
}

/** `pipelineStops` when the pipeline's consumer runs in `vpc` (and, if given, in one of `groups`). */
export async function pipelineStopsIfIn(
  lab: ResolvedTargets,
  op: Operator,
  vpc: string,
  groups?: string[],
): Promise<Break[]> {
  const consumer = await pipelineConsumer(lab, op);
  if (!consumer || consumer.vpcId !== lab.ids.vpc[vpc]) return [];
  if (groups && !groups.some((g) => consumer.securityGroupIds.includes(lab.ids.securityGroup[g]!))) return [];
  return pipelineStops(lab);
}
