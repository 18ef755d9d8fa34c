import type { Ec2Model } from '../services/ec2/model/index.ts';
import type { VpcEndpointState } from '../services/ec2/model/state.ts';
import { endpointDnsEntries } from '../services/ec2/model/vpc-endpoint-dns.ts';
import type { Twin } from '../twin.ts';
import type { DnsAnswer } from './dns.ts';

/**
 * The DNS names AWS gives an interface endpoint
 * (`vpce-…-xxxxxxxx[-az].<service>.<region>.vpce.amazonaws.com`) are public
 * records of the `vpce.amazonaws.com` zone: any resolver, inside a VPC or
 * on the internet, answers them with the private addresses of the
 * endpoint's network interfaces, the zonal name with the interface in that
 * zone only (PrivateLink's Regional and zonal DNS names, e.g. the Neptune
 * Analytics guide, "Accessing … interface endpoints"; "the endpoint's
 * Regional domain name can be resolved from any network", AWS re:Post
 * knowledge center, vpc-interface-configure-dns). The records follow the
 * endpoint: an endpoint that is not `available` (awaiting acceptance,
 * rejected, deleted) has none, so the name does not resolve.
 */

const VPCE_NAME =
  /^(?:[^.]+\.)?(vpce-[0-9a-f]+)-[0-9a-z]+(?:-[a-z]{2}(?:-gov)?-[a-z]+-\d[a-z])?\.[^.]+(?:\.[^.]+)*\.vpce\.amazonaws\.com$/;

function endpointWithModel(
  twin: Twin,
  id: string,
): { model: Ec2Model; endpoint: VpcEndpointState } | undefined {
  for (const [, model] of twin.modelsSigning<Ec2Model>('ec2')) {
    const endpoint = model.vpcEndpoints.get(id);
    if (endpoint) return { model, endpoint };
  }
  return undefined;
}

/** Whether `name` is the DNS entry (or, for a `*.` entry, a name under it). */
function matches(entry: string, name: string): boolean {
  if (entry.startsWith('*.')) return name.endsWith(entry.slice(1)) && name.length > entry.length - 1;
  return entry === name;
}

/** The interfaces a DNS entry answers with: every one for the regional name, the zone's one for a zonal name. */
function addressesFor(model: Ec2Model, endpoint: VpcEndpointState, entry: string): string[] {
  const zones = endpoint.subnetIds.map((s) => model.subnets.get(s)?.availabilityZone ?? '');
  const zone = zones.find((z) => z && entry.includes(`-${z}.`));
  return endpoint.networkInterfaceIds.flatMap((id) => {
    const eni = model.networkInterfaces.get(id);
    if (!eni || (zone && eni.availabilityZone !== zone)) return [];
    return [eni.privateIp];
  });
}

/**
 * The public answer for a name under `vpce.amazonaws.com`, or undefined for
 * any other name (the caller's other rules decide).
 *
 * @example resolveEndpointDnsName(twin, 'vpce-0a1…-1b2c3d4e.vpce-svc-0f…us-east-1.vpce.amazonaws.com') // { found: true, addresses: ['10.60.1.12', '10.60.2.9'], … }
 */
export function resolveEndpointDnsName(twin: Twin, hostname: string): DnsAnswer | undefined {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (!name.endsWith('.vpce.amazonaws.com')) return undefined;
  const nxdomain: DnsAnswer = { found: false, error: 'NXDOMAIN', because: `${hostname} does not exist` };
  const id = VPCE_NAME.exec(name)?.[1];
  const found = id ? endpointWithModel(twin, id) : undefined;
  if (found?.endpoint.type !== 'Interface') return nxdomain;
  const { model, endpoint } = found;
  const entry = endpointDnsEntries(model, endpoint).find((e) => matches(e.DnsName, name));
  if (!entry) return nxdomain;
  if (endpoint.state !== 'available')
    return { ...nxdomain, because: `${endpoint.id} is ${endpoint.state}, so ${hostname} has no records` };
  const addresses = addressesFor(model, endpoint, entry.DnsName);
  if (!addresses.length) return nxdomain;
  return { found: true, addresses, via: 'interface-endpoint', endpointId: endpoint.id };
}
