import {
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointsCommand,
  type Filter,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type HostedZone, ListHostedZonesByNameCommand } from '@aws-sdk/client-route-53';
import type { AwsClients } from '../clients.ts';
import { reading } from '../errors.ts';
import { findSecurityGroups } from './application.ts';
import { allPages, picker } from './lookup.ts';
import { absentAs } from './observability.ts';
import type { Clients, ResolvedTargets } from './resolve.ts';
import type { Targets } from './schema.ts';
import type { ConsumerEndpointTarget, PrivateLinkServiceTarget } from './schema-privatelink.ts';

/**
 * Resolves the `privateLink` part of targets (suites/privatelink, ids P…),
 * per service: the endpoint service (by Name tag or vpce-svc id) and its
 * load balancer (by name) in the provider's account, the consumer endpoints
 * (by VPC and service name) with their security groups, and the private
 * hosted zone in the DNS account.
 *
 * What stops the run (exit 2, naming the field) and what resolves to
 * "absent" follows one rule: a thing an operator can remove while the lab
 * otherwise stands — and that a check must then report as a failure — may
 * be absent; a thing the rest hangs on, which AWS refuses to remove while it
 * is in use, must be there. So:
 * - the endpoint service, its load balancer, the consumer security groups
 *   and the zone are required: AWS refuses to delete a load balancer an
 *   endpoint service uses ("ResourceInUse", ELBv2 DeleteLoadBalancer), a
 *   service with endpoint connections, a group an endpoint's interface uses
 *   ("DependencyViolation"), a zone that still holds records
 *   ("HostedZoneNotEmpty", Route 53 DeleteHostedZone); their absence is a
 *   targets file that names the wrong thing;
 * - a consumer endpoint is one DeleteVpcEndpoints call away, so it resolves
 *   to `endpointId: undefined` and P4, P6 and P8 fail saying so; the zone's
 *   associations and record are read by the checks themselves (P7, P8).
 * An answer the runner may not read is "cannot tell" (exit 3), never absent.
 */
export interface PrivateLinkServiceIds {
  /** The service as targets name it (the row of P1–P3, P6). */
  name: string;
  /** Accounts key of the provider. */
  account: string;
  /** vpce-svc-… */
  serviceId: string;
  /** com.amazonaws.vpce.REGION.vpce-svc-…: what consumers create endpoints to. */
  serviceName: string;
  loadBalancerArn: string;
  /** The provider VPC and the subnets the load balancer must be in, as ids. */
  vpcId: string;
  subnetIds: string[];
  /** The listener's port, and the port its target group must forward to. */
  port: number;
  targetPort: number;
  /** Exactly the principals allowed, as ARNs (an account key is its root: arn:aws:iam::ID:root). */
  allowedPrincipals: string[];
  endpoints: ConsumerEndpointIds[];
  zone?: PrivateZoneIds;
}

export interface ConsumerEndpointIds {
  vpc: string;
  account: string;
  vpcId: string;
  subnetIds: string[];
  /** Group as targets name it → its id in the consumer VPC. */
  securityGroupIds: Record<string, string>;
  /** The one port its groups admit. */
  port: number;
  /** The endpoint the checks look at (the oldest live one); undefined when the VPC has none to the service. */
  endpointId?: string;
  /** Further live endpoints to the service in that VPC: P6 names their connections as not intended. */
  otherEndpointIds: string[];
}

export interface PrivateZoneIds {
  /** The hosted zone's id without the /hostedzone/ prefix. */
  id: string;
  /** The zone's name as targets give it, without a trailing dot. */
  name: string;
  account: string;
  /** Whether Route 53 calls it private (P7 fails a public zone of that name). */
  private: boolean;
  /** The record's full name, lower case, without a trailing dot: the row of P7–P8 and what P9–P11 resolve. */
  recordName: string;
  recordType: 'CNAME' | 'alias';
  /** Exactly the VPCs the zone must be associated with: name → id. */
  vpcIds: Record<string, string>;
  /** The consumer endpoint (its `vpc`) the record must point at. */
  endpointVpc: string;
}

/** `api` under `orders.internal` → `api.orders.internal`; a full name stays itself. */
export function recordFullName(zone: string, record: string): string {
  const z = zone.toLowerCase().replace(/\.$/, '');
  const r = record.toLowerCase().replace(/\.$/, '');
  return r === z || r.endsWith(`.${z}`) ? r : `${r}.${z}`;
}

export async function resolvePrivateLink(
  targets: Targets,
  clients: Clients,
  ids: ResolvedTargets['ids'],
  accountIds: Record<string, string>,
  problems: string[],
): Promise<void> {
  const out: Record<string, PrivateLinkServiceIds> = {};
  for (const [i, svc] of targets.privateLink!.services.entries()) {
    const resolved = await resolveService(targets, clients, ids, accountIds, problems, svc, i);
    if (resolved) out[svc.name] = resolved;
  }
  ids.privateLink = out;
}

async function resolveService(
  targets: Targets,
  clients: Clients,
  ids: ResolvedTargets['ids'],
  accountIds: Record<string, string>,
  problems: string[],
  svc: PrivateLinkServiceTarget,
  i: number,
): Promise<PrivateLinkServiceIds | undefined> {
  const field = `privateLink.services[${i}]`;
  const where = (account: string) => `in account ${accountIds[account]} (${targets.region})`;
  const provider = clients(svc.account);
  const config = await findServiceConfiguration(provider, svc.name);
  if (!config)
    problems.push(`${field}.name: no VPC endpoint service named "${svc.name}" ${where(svc.account)}`);
  const lb = await absentAs(
    problems,
    {
      field: `${field}.loadBalancer.name`,
      what: `load balancer named "${svc.loadBalancer.name}"`,
      where: where(svc.account),
    },
    () => provider.elbv2.send(new DescribeLoadBalancersCommand({ Names: [svc.loadBalancer.name] })),
  );
  const endpoints: ConsumerEndpointIds[] = [];
  for (const [j, e] of svc.endpoints.entries())
    endpoints.push(
      await resolveEndpoint(
        clients,
        ids,
        problems,
        accountIds,
        targets.region,
        e,
        `${field}.endpoints[${j}]`,
        {
          serviceName: config?.ServiceName,
          port: e.port ?? svc.loadBalancer.port,
        },
      ),
    );
  const zone =
    svc.dns && (await resolveZone(clients(svc.dns.account), svc, ids, problems, where, `${field}.dns.zone`));
  const lbArn = lb?.LoadBalancers?.[0]?.LoadBalancerArn;
  if (!config || !lbArn || (svc.dns && !zone)) return undefined;
  return {
    name: svc.name,
    account: svc.account,
    serviceId: config.ServiceId!,
    serviceName: config.ServiceName!,
    loadBalancerArn: lbArn,
    vpcId: ids.vpc[svc.loadBalancer.vpc]!,
    subnetIds: svc.loadBalancer.subnets.map((s) => ids.subnet[s]!),
    port: svc.loadBalancer.port,
    targetPort: svc.loadBalancer.targetPort ?? svc.loadBalancer.port,
    allowedPrincipals: svc.allowedPrincipals.map((p) =>
      p.startsWith('arn:') ? p : `arn:aws:iam::${accountIds[p]}:root`,
    ),
    endpoints,
    ...(zone && { zone }),
  };
}

/**
 * The provider's service configuration, by id (vpce-svc-…) or by Name tag;
 * deleted ones lose to a live namesake and never stand alone (they cannot
 * take endpoints). More than one live namesake is not a match.
 */
async function findServiceConfiguration(clients: AwsClients, ref: string) {
  const byId = /^vpce-svc-[0-9a-f]+$/.test(ref);
  const filters: Filter[] = byId
    ? [{ Name: 'service-id', Values: [ref] }]
    : [{ Name: 'tag:Name', Values: [ref] }];
  const pages = await reading(`look up the VPC endpoint service ${ref}`, () =>
    allPages((NextToken) =>
      clients.ec2.send(new DescribeVpcEndpointServiceConfigurationsCommand({ Filters: filters, NextToken })),
    ),
  );
  const live = pages
    .flatMap((p) => p.ServiceConfigurations ?? [])
    .filter((c) => byId || c.Tags?.some((t) => t.Key === 'Name' && t.Value === ref))
    .filter((c) => !['Deleting', 'Deleted'].includes(stateWord(c.ServiceState)));
  return live.length === 1 ? live[0] : undefined;
}

/** EC2 spells states `Available` in its enum and `available` on the wire: compare one spelling. */
export function stateWord(state: string | undefined): string {
  const s = state ?? '';
  return s.charAt(0).toUpperCase() + s.slice(1);
}

async function resolveEndpoint(
  clients: Clients,
  ids: ResolvedTargets['ids'],
  problems: string[],
  accountIds: Record<string, string>,
  region: string,
  e: ConsumerEndpointTarget,
  field: string,
  known: { serviceName: string | undefined; port: number },
): Promise<ConsumerEndpointIds> {
  const consumer = clients(e.account);
  const vpcId = ids.vpc[e.vpc]!;
  const pick = picker(problems, accountIds, region);
  const securityGroupIds: Record<string, string> = {};
  for (const [k, group] of e.securityGroups.entries()) {
    const id = pick(
      `${field}.securityGroups[${k}]`,
      `security group in ${e.vpc}`,
      group,
      e.account,
      await findSecurityGroups(consumer, vpcId, group),
    );
    if (id) securityGroupIds[group] = id;
  }
  const found = known.serviceName ? await listEndpointsTo(consumer, vpcId, known.serviceName) : [];
  const [first, ...others] = found;
  return {
    vpc: e.vpc,
    account: e.account,
    vpcId,
    subnetIds: e.subnets.map((s) => ids.subnet[s]!),
    securityGroupIds,
    port: known.port,
    ...(first && { endpointId: first.VpcEndpointId! }),
    otherEndpointIds: others.map((x) => x.VpcEndpointId!),
  };
}

/**
 * The live endpoints of a VPC to a service, oldest first. A deleted endpoint
 * stays visible for a while in state `deleted` (EC2 API Reference,
 * VpcEndpoint State); it is not the VPC's endpoint any more.
 */
async function listEndpointsTo(
  clients: AwsClients,
  vpcId: string,
  serviceName: string,
): Promise<VpcEndpoint[]> {
  const pages = await reading(`look up the endpoints of ${vpcId} to ${serviceName}`, () =>
    allPages((NextToken) =>
      clients.ec2.send(
        new DescribeVpcEndpointsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'service-name', Values: [serviceName] },
          ],
          NextToken,
        }),
      ),
    ),
  );
  return pages
    .flatMap((p) => p.VpcEndpoints ?? [])
    .filter((x) => x.VpcId === vpcId && x.ServiceName === serviceName)
    .filter((x) => !['Deleted', 'Deleting'].includes(stateWord(x.State)))
    .sort((a, b) => (a.CreationTimestamp?.getTime() ?? 0) - (b.CreationTimestamp?.getTime() ?? 0));
}

async function resolveZone(
  clients: AwsClients,
  svc: PrivateLinkServiceTarget,
  ids: ResolvedTargets['ids'],
  problems: string[],
  where: (account: string) => string,
  field: string,
): Promise<PrivateZoneIds | undefined> {
  const dns = svc.dns!;
  const zones = await listZonesNamed(clients, dns.zone);
  // A private zone of the name wins; a public one alone is kept so that P7 can say it is public.
  const privateOnes = zones.filter((z) => z.Config?.PrivateZone);
  const candidates = privateOnes.length ? privateOnes : zones;
  if (candidates.length !== 1) {
    problems.push(
      candidates.length
        ? `${field}: ${candidates.length} private hosted zones are named "${dns.zone}" ${where(dns.account)} (${candidates.map((z) => zoneId(z)).join(', ')})`
        : `${field}: no hosted zone named "${dns.zone}" ${where(dns.account)}`,
    );
    return undefined;
  }
  const zone = candidates[0]!;
  return {
    id: zoneId(zone),
    name: dns.zone.toLowerCase().replace(/\.$/, ''),
    account: dns.account,
    private: Boolean(zone.Config?.PrivateZone),
    recordName: recordFullName(dns.zone, dns.record.name),
    recordType: dns.record.type,
    vpcIds: Object.fromEntries(dns.vpcs.map((v) => [v, ids.vpc[v]!])),
    endpointVpc: dns.endpoint ?? svc.endpoints[0]!.vpc,
  };
}

/** `/hostedzone/Z123` → `Z123` (Route 53 answers ids with the prefix and takes them without). */
export function zoneId(zone: Pick<HostedZone, 'Id'>): string {
  return (zone.Id ?? '').replace(/^\/hostedzone\//, '');
}

/**
 * Hosted zones whose name is exactly `name`. ListHostedZonesByName lists
 * zones in name order starting at DNSName ("lists … in ASCII order by domain
 * name … beginning with DNSName", Route 53 API Reference), so the pages are
 * read while the names still match; names come back with a trailing dot.
 */
async function listZonesNamed(clients: AwsClients, name: string): Promise<HostedZone[]> {
  const wanted = `${name.toLowerCase().replace(/\.$/, '')}.`;
  return reading(`look up hosted zone ${name}`, async () => {
    const zones: HostedZone[] = [];
    let next: { DNSName?: string; HostedZoneId?: string } = { DNSName: wanted };
    for (;;) {
      const page = await clients.route53.send(new ListHostedZonesByNameCommand(next));
      const named = (page.HostedZones ?? []).filter((z) => z.Name?.toLowerCase() === wanted);
      zones.push(...named);
      const last = page.HostedZones?.at(-1);
      if (!page.IsTruncated || (last && last.Name?.toLowerCase() !== wanted)) return zones;
      next = { DNSName: page.NextDNSName, HostedZoneId: page.NextHostedZoneId };
    }
  });
}
