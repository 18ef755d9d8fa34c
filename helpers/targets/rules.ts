import type { z } from 'zod';
import { blockSize, cidrTextContains, cidrTextsOverlap, reservedInSubnet } from '../../common/ip.ts';
import type { Targets } from './schema.ts';

/**
 * What the file says must agree with itself before anything is asked of
 * AWS: a file that contradicts itself would make the run check something
 * other than what its owner meant, and its verdict would blame the lab.
 * Each rule names the field at fault and why.
 */

type Path = (string | number)[];
type Issue = (path: Path, message: string) => void;

/**
 * The role the runner may hand to Lambda: policies/runner.json allows
 * iam:PassRole on `arn:aws:iam::*:role/meshcheck-probe` only (a role with a
 * path has another ARN), so a probe deployed with any other role fails at
 * CreateFunction, after the run has started.
 */
export const PROBE_ROLE = 'meshcheck-probe';

export function checkRules(t: Targets, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  if (!t.network && !t.endpoints?.vpcs.length && !t.endpoints?.probe && !t.dataProtection)
    issue([], 'describes nothing to check: give network, endpoints or dataProtection');
  if (t.endpoints && !t.endpoints.vpcs.length && !t.endpoints.probe)
    issue(['endpoints'], 'names no VPC and no probe, so nothing would be checked: remove it or fill it in');
  checkAccounts(t, issue);
  checkDuplicates(t, issue);
  if (t.network) checkNetwork(t, t.network, issue);
  checkEndpoints(t, issue);
  checkDataProtection(t, issue);
}

type Entries = [key: string, path: Path][];

/** Reports every entry whose key an earlier entry of the same list already used. */
function unique(what: string, entries: Entries, issue: Issue): void {
  const seen = new Map<string, Path>();
  for (const [key, path] of entries) {
    const first = seen.get(key);
    if (!first) seen.set(key, path);
    else issue(path, `duplicate ${what} "${key}" (first at ${render(first)})`);
  }
}

function render(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);
}

/** Entries keyed by a field of each item (the path ends in that field). */
function byField<T>(items: readonly T[] | undefined, field: keyof T & string, ...at: Path): Entries {
  return (items ?? []).map((x, i) => [String(x[field]), [...at, i, field]]);
}

function byValue(items: readonly string[] | undefined, ...at: Path): Entries {
  return (items ?? []).map((x, i) => [x, [...at, i]]);
}

/**
 * Names are unique within their kind: each is looked up by name, so a second
 * entry would be checked against the first one's resource. Routes are unique
 * per CIDR (AWS answers a second CreateRoute with RouteAlreadyExists).
 */
function checkDuplicates(t: Targets, issue: Issue): void {
  const net = t.network;
  const tgw = net?.transitGateway;
  const probe = t.endpoints?.probe;
  const dp = t.dataProtection;
  const instances: Entries = (net?.hosts ?? []).map((h, i) => [
    h.instance ?? h.name,
    ['network', 'hosts', i, 'instance'],
  ]);
  const lists: [string, Entries][] = [
    ['VPC name', byField(net?.vpcs, 'name', 'network', 'vpcs')],
    [
      'subnet name',
      (net?.vpcs ?? []).flatMap((v, i) => byField(v.subnets, 'name', 'network', 'vpcs', i, 'subnets')),
    ],
    ['host name', byField(net?.hosts, 'name', 'network', 'hosts')],
    ['instance', instances],
    ['peering name', byField(net?.peerings, 'name', 'network', 'peerings')],
    ['attachment name', byField(tgw?.attachments, 'name', 'network', 'transitGateway', 'attachments')],
    ['route table name', byField(tgw?.routeTables, 'name', 'network', 'transitGateway', 'routeTables')],
    ['entry for VPC', byField(t.endpoints?.vpcs, 'vpc', 'endpoints', 'vpcs')],
    ['placement name', byField(probe?.placements, 'name', 'endpoints', 'probe', 'placements')],
    ['key alias', byField(dp?.keys, 'alias', 'dataProtection', 'keys')],
    ['order', byField(dp?.orders, 'name', 'dataProtection', 'orders')],
    ['reader', byValue(dp?.readers, 'dataProtection', 'readers')],
    ['pipeline role', byValue(dp?.pipelineRoles, 'dataProtection', 'pipelineRoles')],
  ];
  net?.vpcs.forEach((v, i) => {
    lists.push(['route for', byField(v.routes, 'cidr', 'network', 'vpcs', i, 'routes')]);
  });
  tgw?.routeTables.forEach((rt, i) => {
    lists.push([
      'route for',
      byField(rt.routes, 'cidr', 'network', 'transitGateway', 'routeTables', i, 'routes'),
    ]);
  });
  t.endpoints?.vpcs.forEach((v, i) => {
    lists.push(['gateway endpoint', byValue(v.gateway, 'endpoints', 'vpcs', i, 'gateway')]);
    lists.push(['interface endpoint', byValue(v.interface, 'endpoints', 'vpcs', i, 'interface')]);
  });
  probe?.placements.forEach((p, i) => {
    lists.push(['subnet', byValue(p.subnets, 'endpoints', 'probe', 'placements', i, 'subnets')]);
    lists.push([
      'security group',
      byValue(p.securityGroups, 'endpoints', 'probe', 'placements', i, 'securityGroups'),
    ]);
  });
  for (const [what, entries] of lists) unique(what, entries, issue);
}

function checkAccounts(t: Targets, issue: Issue): void {
  for (const [key, account] of Object.entries(t.accounts)) {
    const inArn = account.assumeRoleArn?.split(':')[4];
    if (account.id && inArn && inArn !== account.id)
      issue(
        ['accounts', key, 'assumeRoleArn'],
        `is a role in account ${inArn}, but accounts.${key}.id is ${account.id}`,
      );
  }
}

function checkNetwork(t: Targets, net: NonNullable<Targets['network']>, issue: Issue): void {
  const at = (...p: Path) => ['network', ...p];
  net.vpcs.forEach((v, i) => {
    v.subnets.forEach((s, j) => {
      const path = at('vpcs', i, 'subnets', j);
      if (!cidrTextContains(v.cidr, s.cidr))
        issue([...path, 'cidr'], `${s.cidr} lies outside its VPC ${v.name} (${v.cidr})`);
      v.subnets.slice(0, j).forEach((o, k) => {
        if (cidrTextsOverlap(s.cidr, o.cidr))
          issue(
            [...path, 'cidr'],
            `${s.cidr} overlaps subnet ${o.name} (${o.cidr}, subnets[${k}]) of the same VPC`,
          );
      });
      const usable = blockSize(s.cidr) - 5;
      if ((s.minFreeAddresses ?? 0) > usable)
        issue(
          [...path, 'minFreeAddresses'],
          `${s.minFreeAddresses} can never be free: ${s.cidr} has ${usable} usable addresses`,
        );
      // The region may still be unknown (none anywhere: schema.ts reports that alone).
      if (t.region && s.availabilityZone && !s.availabilityZone.startsWith(t.region))
        issue([...path, 'availabilityZone'], `${s.availabilityZone} is not a zone of ${t.region}`);
    });
  });
  checkHosts(net, issue);
  checkReachability(net, issue);
  checkConnectedOverlaps(net, issue);
}

function checkHosts(net: NonNullable<Targets['network']>, issue: Issue): void {
  const subnets = new Map(net.vpcs.flatMap((v) => v.subnets.map((s) => [s.name, s])));
  net.hosts.forEach((h, i) => {
    const subnet = subnets.get(h.subnet);
    if (!subnet || !h.privateIp) return;
    const path = ['network', 'hosts', i, 'privateIp'];
    if (!cidrTextContains(subnet.cidr, h.privateIp))
      issue(path, `${h.privateIp} lies outside its subnet ${subnet.name} (${subnet.cidr})`);
    else if (reservedInSubnet(h.privateIp, subnet.cidr))
      issue(path, `${h.privateIp} is one of the five addresses AWS reserves in ${subnet.cidr}`);
  });
}

function checkReachability(net: NonNullable<Targets['network']>, issue: Issue): void {
  const rows = new Map<string, { index: number; expect: string }>();
  net.reachability.forEach((r, i) => {
    const path = ['network', 'reachability', i];
    if (r.from === r.to) issue([...path, 'to'], `a row from host "${r.from}" to itself checks no path`);
    const protocol = r.protocol === 'icmp' ? 'icmp' : `tcp ${r.protocol.tcp}`;
    const key = `${r.from} → ${r.to} (${protocol})`;
    const first = rows.get(key);
    if (!first) rows.set(key, { index: i, expect: r.expect });
    else if (first.expect !== r.expect)
      issue(
        [...path, 'expect'],
        `${key} is "${r.expect}" here and "${first.expect}" at reachability[${first.index}]`,
      );
    else issue(path, `repeats reachability[${first.index}] (${key})`);
  });
}

/**
 * Two VPCs that must route to each other cannot share addresses: "You cannot
 * create a VPC peering connection between VPCs that have matching or
 * overlapping IPv4 CIDR blocks" (VPC Peering Guide, "VPC peering
 * limitations"), and a Transit Gateway "does not support routing between
 * VPCs with identical or overlapping CIDRs" (Transit Gateways Guide, "VPC
 * attachments"). A reachability row between them could only test the local
 * route.
 */
function checkConnectedOverlaps(net: NonNullable<Targets['network']>, issue: Issue): void {
  // Keyed by `string | undefined`: a host on an undeclared subnet has no VPC, and is no VPC's index.
  const index = new Map<string | undefined, number>(net.vpcs.map((v, i) => [v.name, i]));
  const links = new Map<string, string>();
  const link = (a: string | undefined, b: string | undefined, why: string) => {
    // Names that match no VPC are reported as missing references already.
    if (a === b || !index.has(a) || !index.has(b)) return;
    // A name may hold any character, a line break included: the pair is keyed as JSON, never joined.
    const pair = JSON.stringify([a, b].sort());
    if (!links.has(pair)) links.set(pair, why);
  };
  for (const p of net.peerings) link(p.requester, p.accepter, `peering "${p.name}"`);
  const attached = net.transitGateway?.attachments ?? [];
  for (const a of attached)
    for (const b of attached) link(a.vpc, b.vpc, 'both attached to the Transit Gateway');
  const vpcOfSubnet = new Map(net.vpcs.flatMap((v) => v.subnets.map((s) => [s.name, v.name])));
  const vpcOfHost = new Map(net.hosts.map((h) => [h.name, vpcOfSubnet.get(h.subnet)]));
  for (const r of net.reachability)
    link(vpcOfHost.get(r.from), vpcOfHost.get(r.to), `reachability ${r.from} → ${r.to}`);
  for (const [pair, why] of links) {
    const [a, b] = (JSON.parse(pair) as string[]).map((n) => index.get(n)!) as [number, number];
    const [first, second] = a < b ? [a, b] : [b, a];
    const x = net.vpcs[first]!;
    const y = net.vpcs[second]!;
    if (cidrTextsOverlap(x.cidr, y.cidr))
      issue(
        ['network', 'vpcs', second, 'cidr'],
        `${y.cidr} overlaps ${x.name} (${x.cidr}), and the two must route to each other (${why})`,
      );
  }
}

function checkEndpoints(t: Targets, issue: Issue): void {
  const probe = t.endpoints?.probe;
  if (!probe) return;
  const pp = (...p: Path) => ['endpoints', 'probe', ...p];
  probe.placements.forEach((p, i) => {
    // Stryker disable next-line Regex: the schema lets `deployed` hold "arn:" only at its start
    const arn = p.deployed?.match(/^arn:[^:]+:lambda:([^:]+):(\d{12}):/);
    if (arn && t.region && arn[1] !== t.region)
      issue(
        pp('placements', i, 'deployed'),
        `is a function in ${arn[1]}, but the targets' region is ${t.region}`,
      );
    if (arn && t.accounts.lab?.id && arn[2] !== t.accounts.lab.id)
      issue(
        pp('placements', i, 'deployed'),
        `is a function in account ${arn[2]}, not the lab account ${t.accounts.lab.id}`,
      );
  });
  const role = probe.role.startsWith('arn:')
    ? probe.role.split(':').slice(5).join(':')
    : `role/${probe.role}`;
  if (probe.placements.some((p) => !p.deployed) && role !== `role/${PROBE_ROLE}`)
    issue(
      pp('role'),
      `the runner policy lets the suite pass only the role "${PROBE_ROLE}" (no path) to Lambda, so a probe deployed with "${probe.role}" would be refused at CreateFunction`,
    );
  const roleAccount = probe.role.startsWith('arn:') ? probe.role.split(':')[4] : undefined;
  if (roleAccount && t.accounts.lab?.id && roleAccount !== t.accounts.lab.id)
    issue(pp('role'), `is a role in account ${roleAccount}, not the lab account ${t.accounts.lab.id}`);
}

function checkDataProtection(t: Targets, issue: Issue): void {
  const dp = t.dataProtection;
  if (!dp) return;
  const at = (...p: Path) => ['dataProtection', ...p];
  dp.keys.forEach((k, i) => {
    for (const action of ['decrypt', 'generateDataKey'] as const) {
      const allow = new Set(k[action].allow);
      k[action].deny.forEach((p, j) => {
        if (allow.has(p))
          issue(at('keys', i, action, 'deny', j), `${p} is both allowed and denied ${action}`);
      });
    }
  });
}
