import { DescribeVpcEndpointsCommand, type Vpc, type VpcEndpoint } from '@aws-sdk/client-ec2';
import { cidrTextContains } from '../../common/ip.ts';
import type { AwsClients } from '../clients.ts';
import { listNetworkInterfaces } from '../endpoints.ts';
import { classify, reading } from '../errors.ts';
import { stateWord } from '../targets/privatelink.ts';
import type { IngressSource } from '../vpc.ts';

/**
 * A consumer's interface endpoint to a provider's service as EC2 reports it
 * (P4), what its security groups admit (P5), its DNS names (P8) and its
 * network interfaces' addresses (what P9 expects the name to resolve to).
 */

/**
 * The endpoint, or undefined when EC2 no longer holds it or holds it only
 * as `deleted` (a deleted endpoint stays listed a while: EC2 API Reference,
 * VpcEndpoint State).
 *
 * @example
 *   const endpoint = await findConsumerEndpoint(lab.clients(), 'vpce-0123456789abcdef0');
 */
export async function findConsumerEndpoint(
  { ec2 }: AwsClients,
  endpointId: string | undefined,
): Promise<VpcEndpoint | undefined> {
  if (!endpointId) return undefined;
  try {
    const out = await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [endpointId] }));
    const endpoint = out.VpcEndpoints?.[0];
    return endpoint && stateWord(endpoint.State) !== 'Deleted' ? endpoint : undefined;
  } catch (error) {
    // An id EC2 no longer holds answers InvalidVpcEndpointId.NotFound (EC2 API Reference, error codes).
    if (classify(error) === 'not-found') return undefined;
    return reading(`describe endpoint ${endpointId}`, () => Promise.reject(error));
  }
}

/** How an endpoint differs from P4's intent: Interface, available, exactly these subnets and groups. */
export function endpointDiffs(
  endpoint: VpcEndpoint | undefined,
  intended: { vpc: string; subnetIds: readonly string[]; securityGroupIds: Record<string, string> },
): string[] {
  if (!endpoint) return [`${intended.vpc} has no endpoint to the service`];
  const out: string[] = [];
  if (endpoint.VpcEndpointType !== 'Interface') out.push(`type ${endpoint.VpcEndpointType}, not Interface`);
  if (stateWord(endpoint.State) !== 'Available') out.push(`state ${endpoint.State}, not available`);
  out.push(...setDiffs('subnets', endpoint.SubnetIds ?? [], intended.subnetIds));
  const groups = (endpoint.Groups ?? []).map((g) => g.GroupId!);
  const named = Object.fromEntries(Object.entries(intended.securityGroupIds).map(([n, id]) => [id, n]));
  out.push(
    ...setDiffs('security groups', groups, Object.values(intended.securityGroupIds), (id) =>
      named[id] ? `${named[id]} (${id})` : id,
    ),
  );
  return out;
}

function setDiffs(
  what: string,
  actual: readonly string[],
  intended: readonly string[],
  show: (id: string) => string = (id) => id,
): string[] {
  const extra = actual.filter((x) => !intended.includes(x));
  const missing = intended.filter((x) => !actual.includes(x));
  return [
    ...(extra.length ? [`also in ${what} ${extra.map(show).join(', ')}`] : []),
    ...(missing.length ? [`not in ${what} ${missing.map(show).join(', ')}`] : []),
  ];
}

/**
 * A VPC's own address blocks, both families, those still associated: a
 * block being disassociated or failed no longer holds the VPC's addresses
 * (EC2 API Reference, VpcCidrBlockState).
 */
export function ownCidrBlocks(vpc: Vpc): string[] {
  const v4 = (vpc.CidrBlockAssociationSet ?? [])
    .filter((a) => a.CidrBlockState?.State === 'associated')
    .map((a) => a.CidrBlock!);
  const v6 = (vpc.Ipv6CidrBlockAssociationSet ?? [])
    .filter((a) => a.Ipv6CidrBlockState?.State === 'associated')
    .map((a) => a.Ipv6CidrBlock!);
  const blocks = [...v4, ...v6];
  return blocks.length ? blocks : vpc.CidrBlock ? [vpc.CidrBlock] : [];
}

/** A rule's source as a report names it: `tcp 0-65535 from 0.0.0.0/0 on sg-0abc`. */
export function sourceLine(s: IngressSource): string {
  const ports = s.protocol === '-1' ? 'all traffic' : `${s.protocol} ${s.fromPort ?? ''}-${s.toPort ?? ''}`;
  return `${ports} from ${s.source} on ${s.groupId}`;
}

/**
 * What the endpoint's groups admit beyond P5's intent: exactly TCP `port`,
 * from addresses of the consumer VPC's own blocks only. A narrower block
 * inside the VPC admits nothing from outside it and is not named; any other
 * port, a port range, all traffic, a group reference (whose members may sit
 * anywhere) or a prefix list or CIDR reaching outside the VPC is. When no
 * rule admits the port from the VPC at all, that is the difference.
 */
export function ingressDiffs(
  sources: readonly IngressSource[],
  vpcBlocks: readonly string[],
  port: number,
): string[] {
  const inside = (cidr: string) => vpcBlocks.some((b) => cidrTextContains(b, cidr));
  const fits = (s: IngressSource) =>
    s.protocol === 'tcp' &&
    s.fromPort === port &&
    s.toPort === port &&
    s.cidrs.length > 0 &&
    s.cidrs.every(inside);
  const out = sources.filter((s) => !fits(s)).map((s) => `also admits ${sourceLine(s)}`);
  if (!sources.some(fits)) out.unshift(`nothing admits tcp/${port} from ${vpcBlocks.join(', ')}`);
  return out;
}

/**
 * The endpoint's Regional DNS name: `vpce-ID-SUFFIX.vpce-svc-ID.REGION.vpce.amazonaws.com`.
 * Zonal names carry the Availability Zone after the suffix
 * (`vpce-ID-SUFFIX-us-east-1a.…`: PrivateLink Guide, "DNS names for
 * interface endpoints"); the first label with exactly two hyphens is the
 * Regional one. Falls back to DnsEntries[0], where EC2 lists it.
 */
export function regionalDnsName(endpoint: VpcEndpoint): string | undefined {
  const names = (endpoint.DnsEntries ?? []).map((d) => d.DnsName!).filter(Boolean);
  return names.find((n) => /^vpce-[0-9a-z]+-[0-9a-z]+\./.test(n)) ?? names[0];
}

/**
 * The private addresses of the endpoint's network interfaces: what its DNS
 * names resolve to, and what a private zone's record must lead to.
 *
 * @example
 *   const addresses = await listEndpointAddresses(clients, endpoint); // ['172.20.1.25', '172.20.2.31']
 */
export async function listEndpointAddresses(clients: AwsClients, endpoint: VpcEndpoint): Promise<string[]> {
  const enis = await listNetworkInterfaces(clients, endpoint.NetworkInterfaceIds ?? []);
  return enis.map((e) => e.PrivateIpAddress!).filter(Boolean);
}
