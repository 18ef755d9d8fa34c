import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { CallerPosition } from '../core/principal.ts';
import type { Route53Model } from '../services/route53/model/index.ts';
import { isWithin, normalizeName } from '../services/route53/model/names.ts';
import type { HostedZoneState, ZoneVersion } from '../services/route53/model/state.ts';
import type { Twin } from '../twin.ts';
import type { DnsAnswer } from './dns.ts';
import type { NetworkView } from './view.ts';

/** CNAME and alias hops a lookup follows before giving up, as a resolver bounds a chain. */
export const MAX_DNS_HOPS = 8;

/** Resolves another name for the same caller (dns.ts resolveName), one hop further down a chain. */
export type Resolve = (name: string, hops: number) => DnsAnswer;

/** What a zone serves now: its newest version that is INSYNC (model/state.ts ZoneVersion). */
function servedVersion(zone: HostedZoneState, now: number): ZoneVersion | undefined {
  let served: ZoneVersion | undefined;
  for (const version of zone.versions)
    if (version.syncAt <= now && (!served || version.syncAt >= served.syncAt)) served = version;
  return served;
}

/**
 * The most specific private zone associated with the VPC whose name is a
 * suffix of `name`: with overlapping namespaces, Resolver routes by the
 * most specific match (Route 53 Developer Guide, "Considerations when
 * working with a private hosted zone", Private hosted zones that have
 * overlapping namespaces).
 */
function zoneFor(
  twin: Twin,
  vpc: { vpcId: string; region: string },
  name: string,
): { zone: HostedZoneState; version: ZoneVersion } | undefined {
  const now = twin.clock.now();
  let best: { zone: HostedZoneState; version: ZoneVersion } | undefined;
  for (const [, model] of twin.modelsSigning<Route53Model>('route53'))
    for (const zone of model.zones.values()) {
      if (!zone.privateZone || !isWithin(name, zone.name)) continue;
      const version = servedVersion(zone, now);
      const associated = version?.vpcs.some((v) => v.vpcId === vpc.vpcId && v.region === vpc.region);
      if (version && associated && (!best || zone.name.length > best.zone.name.length))
        best = { zone, version };
    }
  return best;
}

/** The record sets of `name`, or of the closest wildcard (`*.parent`) when the name has none. */
function recordsOf(version: ZoneVersion, zoneName: string, name: string): ResourceRecordSet[] {
  const exact = version.records.filter((r) => r.Name === name);
  if (exact.length || version.records.some((r) => r.Name?.endsWith(`.${name}`))) return exact;
  for (let parent = name.slice(name.indexOf('.') + 1); isWithin(parent, zoneName) && parent; ) {
    const wild = version.records.filter((r) => r.Name === `*.${parent}`);
    if (wild.length) return wild;
    if (parent === zoneName) break;
    parent = parent.slice(parent.indexOf('.') + 1);
  }
  return [];
}

/**
 * The answer of a private hosted zone for `hostname` asked from inside a
 * VPC, or `undefined` when no zone associated with the VPC covers it. A
 * covering zone is authoritative: "If there's a matching private hosted
 * zone but there's no record that matches the domain name and type in the
 * request, Resolver doesn't forward the request to a public DNS resolver.
 * Instead, it returns NXDOMAIN" (Route 53 Developer Guide,
 * "Considerations when working with a private hosted zone", Public and
 * private hosted zones that have overlapping namespaces). Private zones
 * need the VPC's enableDnsHostnames and enableDnsSupport ("Amazon VPC
 * settings", same page).
 */
export function privateZoneAnswer(
  twin: Twin,
  view: NetworkView,
  position: CallerPosition,
  hostname: string,
  hops: number,
  resolve: Resolve,
): DnsAnswer | undefined {
  const vpc = view.vpc(position.vpcId);
  if (!vpc?.enableDnsSupport || !vpc.enableDnsHostnames) return undefined;
  const name = normalizeName(hostname);
  const found = zoneFor(twin, { vpcId: vpc.id, region: view.regionOfVpc(vpc.id) ?? position.region }, name);
  if (!found) return undefined;
  const { zone, version } = found;
  const records = recordsOf(version, zone.name, name);
  if (!records.length)
    return {
      found: false,
      error: 'NXDOMAIN',
      because: `the private hosted zone ${zone.name} (${zone.id}) has no record ${name}`,
    };
  if (hops >= MAX_DNS_HOPS)
    return {
      found: false,
      error: 'SERVFAIL',
      because: `${name} is more than ${MAX_DNS_HOPS} CNAME or alias hops deep`,
    };
  return answerFrom(zone, records, hops, resolve);
}

/** A records give their addresses; a CNAME or an alias is resolved again, one hop further. */
function answerFrom(
  zone: HostedZoneState,
  records: ResourceRecordSet[],
  hops: number,
  resolve: Resolve,
): DnsAnswer {
  const cname = records.find((r) => r.Type === 'CNAME');
  const target = cname?.AliasTarget?.DNSName ?? cname?.ResourceRecords?.[0]?.Value;
  if (target) return via(resolve(target.replace(/\.$/, ''), hops + 1));
  const a = records.filter((r) => r.Type === 'A');
  const addresses = a.flatMap((r) => (r.ResourceRecords ?? []).map((v) => v.Value ?? ''));
  const alias = a.find((r) => r.AliasTarget)?.AliasTarget?.DNSName;
  if (addresses.length) return { found: true, addresses, via: 'private-zone' };
  if (alias) return via(resolve(alias.replace(/\.$/, ''), hops + 1));
  return { found: false, error: 'NXDOMAIN', because: `${records[0]!.Name} in ${zone.name} has no A record` };
}

/**
 * A chain that ends in addresses was answered by the private zone, except
 * one that ends at an interface endpoint: it keeps the endpoint, so a
 * private zone that points an AWS service's name at a shared endpoint
 * (the centralized-endpoint pattern) routes service calls through it.
 */
function via(answer: DnsAnswer): DnsAnswer {
  if (!answer.found || answer.via === 'interface-endpoint') return answer;
  return { found: true, addresses: answer.addresses, via: 'private-zone' };
}
