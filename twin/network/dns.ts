import { isIpv4 } from '../../common/ip.ts';
import type { CallerPosition } from '../core/principal.ts';
import type { VpcEndpointState } from '../services/ec2/model/state.ts';
import type { Twin } from '../twin.ts';
import { privateZoneAnswer } from './private-zones.ts';
import { resolveEndpointDnsName } from './privatelink-dns.ts';
import { externalHostAddress, servicePublicAddress } from './public-addresses.ts';
import { NetworkView } from './view.ts';

/**
 * DNS inside a VPC, as the Amazon-provided resolver answers it: a name
 * under a private hosted zone associated with the VPC is answered by that
 * zone first (private-zones.ts); an AWS
 * service's regional name resolves to the interface endpoint's addresses
 * when the VPC has one with private DNS, otherwise to the service's public
 * addresses; EC2 private host names resolve to their address; other names
 * to a public address on the internet.
 */
export type DnsAnswer =
  | { found: true; addresses: string[]; via: 'interface-endpoint'; endpointId: string }
  | { found: true; addresses: string[]; via: 'public' | 'vpc' | 'literal' | 'private-zone' }
  | { found: false; because: string; error: 'NXDOMAIN' | 'SERVFAIL' };

/** SigV4 signing names whose endpoint service is named differently. */
const ENDPOINT_SERVICE: Record<string, string> = { ecr: 'ecr.api' };

/** Global services: one public endpoint, no regional interface endpoint. */
const GLOBAL_SERVICES = new Set(['iam', 'cloudfront', 'route53', 'organizations']);

/**
 * The endpoint service name of a signing name: `logs` → `logs`,
 * `monitoring` → `monitoring`, `ssm` → `ssm` (most are the same).
 */
export function endpointServiceOf(signingName: string): string {
  return ENDPOINT_SERVICE[signingName] ?? signingName;
}

/** The regional host name clients use: `ssm.us-east-1.amazonaws.com`; global ones have no region. */
export function serviceHostname(signingName: string, region: string): string {
  if (GLOBAL_SERVICES.has(signingName)) return `${signingName}.amazonaws.com`;
  return `${endpointServiceOf(signingName)}.${region}.amazonaws.com`;
}

/** `…s3.us-east-1.amazonaws.com` → { service: 's3', region }; global names get us-east-1. */
export function parseServiceHostname(hostname: string): { service: string; region?: string } | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const regional = /(?:^|\.)([a-z0-9-]+(?:\.api)?)\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com$/.exec(
    name,
  );
  if (regional) return { service: regional[1]!, region: regional[2]! };
  const global = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(name);
  return global ? { service: global[1]! } : undefined;
}

/**
 * An available interface endpoint of `service` in the VPC whose private DNS
 * answers for the service's name. Private DNS needs the VPC's DNS support
 * and DNS host names both on
 * (docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html).
 */
export function privateDnsEndpoint(
  view: NetworkView,
  vpcId: string,
  region: string,
  service: string,
): VpcEndpointState | undefined {
  const vpc = view.vpc(vpcId);
  if (!vpc?.enableDnsSupport || !vpc.enableDnsHostnames) return undefined;
  const name = `com.amazonaws.${region}.${service}`;
  const endpoints = view.endpointsOf(vpcId).filter((e) => e.serviceName === name && e.state === 'available');
  // With a gateway endpoint beside it, an S3/DynamoDB interface endpoint's private DNS answers only
  // inbound resolver queries: "It routes traffic that originates from the VPC to the gateway endpoint"
  // (EC2 API reference, DnsOptionsSpecification.PrivateDnsOnlyForInboundResolverEndpoint, on by default then).
  if (endpoints.some((e) => e.type === 'Gateway')) return undefined;
  return endpoints.find((e) => e.type === 'Interface' && e.privateDnsEnabled);
}

function endpointAddresses(view: NetworkView, endpoint: VpcEndpointState): string[] {
  return endpoint.networkInterfaceIds.flatMap((id) => view.eni(id)?.privateIp ?? []);
}

function ec2HostAddress(hostname: string): string | undefined {
  const m =
    /^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.(?:ec2\.internal|[a-z0-9-]+\.compute\.internal)$/.exec(
      hostname.toLowerCase(),
    );
  const ip = m && `${m[1]}.${m[2]}.${m[3]}.${m[4]}`;
  return ip && isIpv4(ip) ? ip : undefined;
}

/**
 * Resolves `hostname` as a caller at `position` would.
 *
 * @example resolveName(twin, position, 'ssm.us-east-1.amazonaws.com') // { found: true, via: 'interface-endpoint', addresses: ['10.…'], … }
 */
export function resolveName(twin: Twin, position: CallerPosition, hostname: string, hops = 0): DnsAnswer {
  if (isIpv4(hostname)) return { found: true, addresses: [hostname], via: 'literal' };
  const view = new NetworkView(twin);
  const vpc = view.vpc(position.vpcId);
  if (vpc && !vpc.enableDnsSupport) {
    return {
      found: false,
      error: 'SERVFAIL',
      because: `DNS resolution is turned off in ${vpc.id}, so the Amazon-provided resolver does not answer`,
    };
  }
  const zoned = privateZoneAnswer(twin, view, position, hostname, hops, (name, next) =>
    resolveName(twin, position, name, next),
  );
  if (zoned) return zoned;
  const ec2Host = ec2HostAddress(hostname);
  if (ec2Host) return { found: true, addresses: [ec2Host], via: 'vpc' };
  // An interface endpoint's own names are public records (privatelink-dns.ts).
  const endpointName = resolveEndpointDnsName(twin, hostname);
  if (endpointName) return endpointName;
  const service = parseServiceHostname(hostname);
  if (service) {
    const region = service.region ?? 'us-east-1';
    const endpoint = service.region
      ? privateDnsEndpoint(view, position.vpcId, region, service.service)
      : undefined;
    const addresses = endpoint ? endpointAddresses(view, endpoint) : [];
    if (endpoint && addresses.length)
      return { found: true, addresses, via: 'interface-endpoint', endpointId: endpoint.id };
    return { found: true, addresses: [servicePublicAddress(region, service.service)], via: 'public' };
  }
  const name = hostname.toLowerCase();
  if (!name.includes('.') || /\.(internal|local|localdomain|invalid|test)\.?$/.test(name)) {
    return { found: false, error: 'NXDOMAIN', because: `${hostname} does not exist` };
  }
  return { found: true, addresses: [externalHostAddress(name)], via: 'public' };
}
