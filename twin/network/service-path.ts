import type { CallerPosition } from '../core/principal.ts';
import type { Twin } from '../twin.ts';
import { resolveName, serviceHostname } from './dns.ts';
import { externalHostAddress } from './public-addresses.ts';
import { type ProbeResult, probePath } from './reachability.ts';
import { NetworkView } from './view.ts';

/** How a caller inside the lab reaches an AWS service endpoint, if at all. */
export type ServicePath =
  | {
      reachable: true;
      via: 'gateway-endpoint' | 'interface-endpoint';
      endpointId: string;
      endpointPolicy?: string;
    }
  | { reachable: true; via: 'nat' | 'internet-gateway' | 'outside-vpc' }
  | { reachable: false; because: string };

/** Service endpoints speak HTTPS only. */
const HTTPS = { tcp: 443 } as const;

function probe(twin: Twin, from: CallerPosition, ip: string): ProbeResult {
  return probePath(twin, {
    from: { accountId: from.accountId, region: from.region, networkInterfaceId: from.networkInterfaceId },
    to: ip,
    protocol: HTTPS,
  });
}

/** Endpoint interfaces in the caller's Availability Zone first, as a client's resolver order tends to favour. */
function sameZoneFirst(view: NetworkView, from: CallerPosition, addresses: string[]): string[] {
  const zone = view.subnet(from.subnetId)?.availabilityZoneId;
  const inZone = (ip: string) =>
    view.subnet(view.eniByIp(from.vpcId, ip)?.subnetId)?.availabilityZoneId === zone;
  return [...addresses.filter(inZone), ...addresses.filter((ip) => !inZone(ip))];
}

/** The path a probe that got its answer took, named as ServicePath names it. */
function pathOf(view: NetworkView, result: ProbeResult): ServicePath {
  if (result.reached?.kind === 'service' && result.reached.endpointId) {
    const endpoint = view.endpoint(result.reached.endpointId);
    return {
      reachable: true,
      via: 'gateway-endpoint',
      endpointId: result.reached.endpointId,
      ...(endpoint && { endpointPolicy: endpoint.policyDocument }),
    };
  }
  return { reachable: true, via: result.natGatewayIds.length ? 'nat' : 'internet-gateway' };
}

/**
 * How a caller inside a VPC (a Lambda ENI, an instance) reaches `service`
 * (a SigV4 signing name) in `region`. The service's name is resolved as the
 * VPC's resolver would: with an interface endpoint's private DNS it points
 * at the endpoint's interfaces, which must then admit HTTPS from the caller
 * (endpoint security groups, ACLs, the caller's own egress) — there is no
 * fallback to another path, as in AWS. Otherwise the public address is
 * reached through a gateway endpoint's prefix-list route (S3, DynamoDB), a
 * NAT gateway, or an internet gateway; else nothing answers.
 *
 * @example servicePath(twin, position, 'ssm', 'us-east-1') // { reachable: true, via: 'interface-endpoint', endpointId: 'vpce-0…', … }
 */
export function servicePath(twin: Twin, from: CallerPosition, service: string, region: string): ServicePath {
  return traceServicePath(twin, from, service, region).path;
}

/**
 * servicePath, with the probe of the HTTPS connection that decided it: a
 * caller that really connects (a function's SDK call) records its packets
 * for flow logs; the agent's status checks, which only ask, do not.
 */
export function traceServicePath(
  twin: Twin,
  from: CallerPosition,
  service: string,
  region: string,
): { path: ServicePath; probe?: ProbeResult } {
  const view = new NetworkView(twin);
  if (!view.eni(from.networkInterfaceId))
    return { path: { reachable: false, because: `${from.networkInterfaceId} does not exist` } };
  const host = serviceHostname(service, region);
  const dns = resolveName(twin, from, host);
  if (!dns.found) return { path: { reachable: false, because: `${host} does not resolve: ${dns.because}` } };
  if (dns.via === 'interface-endpoint') {
    const results = sameZoneFirst(view, from, dns.addresses).map((ip) => probe(twin, from, ip));
    const endpoint = view.endpoint(dns.endpointId);
    const answered = results.find((r) => r.answered);
    if (answered) {
      const path: ServicePath = {
        reachable: true,
        via: 'interface-endpoint',
        endpointId: dns.endpointId,
        ...(endpoint && { endpointPolicy: endpoint.policyDocument }),
      };
      return { path, probe: answered };
    }
    const reason = results[0]?.diedAt?.reason ?? 'it has no interfaces';
    const path: ServicePath = {
      reachable: false,
      because: `${host} resolves to ${dns.endpointId} (private DNS), but HTTPS to it gets no answer: ${reason}`,
    };
    return results[0] ? { path, probe: results[0] } : { path };
  }
  const address = dns.addresses[0]!;
  const result = probe(twin, from, address);
  if (result.answered) return { path: pathOf(view, result), probe: result };
  return {
    path: {
      reachable: false,
      because: `${host} (${address}) gets no answer: ${result.diedAt?.reason ?? 'no path'}`,
    },
    probe: result,
  };
}

/** A host on the internet that the twin never contacts: its address only stands for "the internet". */
const INTERNET_HOST = 'example.com';

/**
 * Whether a caller inside a VPC reaches the internet (HTTPS to a public
 * host): through a NAT gateway or its own public address and an internet
 * gateway.
 *
 * @example internetPath(twin, position) // { reachable: false, because: 'rtb-0… has no route to 192.0.2.…: dropped' }
 */
export function internetPath(twin: Twin, from: CallerPosition): ServicePath {
  const view = new NetworkView(twin);
  const address = externalHostAddress(INTERNET_HOST);
  const result = probe(twin, from, address);
  if (result.answered) return pathOf(view, result);
  return {
    reachable: false,
    because: `the internet (${address}) gets no answer: ${result.diedAt?.reason ?? 'no path'}`,
  };
}
