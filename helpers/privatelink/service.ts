import {
  type AllowedPrincipal,
  DescribeVpcEndpointConnectionsCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicePermissionsCommand,
  type ServiceConfiguration,
  type VpcEndpointConnection,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';
import { allPages } from '../targets/lookup.ts';
import { stateWord } from '../targets/privatelink.ts';

/**
 * The provider's endpoint service as EC2 reports it: its configuration and
 * allowed principals (P3) and the endpoint connections it holds (P6).
 * Differences are report lines; the suite asserts.
 */

/**
 * @example
 *   const config = await getServiceConfiguration(lab.clients(), 'vpce-svc-0123456789abcdef0');
 */
export async function getServiceConfiguration(
  { ec2 }: AwsClients,
  serviceId: string,
): Promise<ServiceConfiguration> {
  try {
    const out = await ec2.send(
      new DescribeVpcEndpointServiceConfigurationsCommand({ ServiceIds: [serviceId] }),
    );
    const config = out.ServiceConfigurations?.[0];
    if (config) return config;
  } catch (error) {
    // An id EC2 no longer holds answers InvalidVpcEndpointServiceId.NotFound (EC2 API Reference, error codes).
    if (classify(error) !== 'not-found')
      return reading(`describe endpoint service ${serviceId}`, () => Promise.reject(error));
  }
  throw new LabDeviationError(`endpoint service ${serviceId} no longer exists`);
}

/** The principals allowed to create endpoints to the service, every page. */
export async function listAllowedPrincipals(
  { ec2 }: AwsClients,
  serviceId: string,
): Promise<AllowedPrincipal[]> {
  const pages = await reading(`read the permissions of endpoint service ${serviceId}`, () =>
    allPages((NextToken) =>
      ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId, NextToken })),
    ),
  );
  return pages.flatMap((p) => p.AllowedPrincipals ?? []);
}

/**
 * How a service differs from P3's intent: Available, acceptance as
 * intended, exactly the intended principals. `*` lets every AWS principal
 * find and connect to it ("you can specify * to allow all principals",
 * PrivateLink Guide, "Configure an endpoint service: permissions") and is
 * named as such.
 */
export function serviceDiffs(
  config: ServiceConfiguration,
  principals: readonly AllowedPrincipal[],
  intended: { acceptanceRequired: boolean; allowedPrincipals: readonly string[] },
): string[] {
  const out: string[] = [];
  if (stateWord(config.ServiceState) !== 'Available') out.push(`state ${config.ServiceState}, not Available`);
  if (Boolean(config.AcceptanceRequired) !== intended.acceptanceRequired)
    out.push(
      intended.acceptanceRequired
        ? 'accepts connections without asking the provider'
        : 'requires acceptance, which targets do not intend',
    );
  const actual = principals.map((p) => p.Principal!);
  for (const p of actual)
    if (p === '*') out.push('allows every AWS principal (*)');
    else if (!intended.allowedPrincipals.includes(p)) out.push(`also allows ${p}`);
  for (const p of intended.allowedPrincipals) if (!actual.includes(p)) out.push(`does not allow ${p}`);
  return out;
}

/** Every connection of endpoints to the service, every page. */
export async function listConnections(
  { ec2 }: AwsClients,
  serviceId: string,
): Promise<VpcEndpointConnection[]> {
  const pages = await reading(`list the endpoint connections of ${serviceId}`, () =>
    allPages((NextToken) =>
      ec2.send(
        new DescribeVpcEndpointConnectionsCommand({
          Filters: [{ Name: 'service-id', Values: [serviceId] }],
          NextToken,
        }),
      ),
    ),
  );
  return pages.flatMap((p) => p.VpcEndpointConnections ?? []).filter((c) => c.ServiceId === serviceId);
}

/** A connection as a report names it: `vpce-0abc (444455556666) pendingAcceptance`. */
export function connectionLine(c: VpcEndpointConnection): string {
  return `${c.VpcEndpointId} (${c.VpcEndpointOwner}) ${c.VpcEndpointState}`;
}

/**
 * How the service's connections differ from P6's intent. Each intended
 * endpoint (its consumer VPC, and the endpoint resolved there, if any) must
 * hold an accepted connection, state `available`; any other connection the
 * provider let through — `available`, or `pending` (accepted, being set up:
 * EC2 API Reference, VpcEndpointConnection State) — is named. A connection
 * still `pendingAcceptance` or `rejected` lets nothing through.
 */
export function connectionDiffs(
  connections: readonly VpcEndpointConnection[],
  intended: readonly { vpc: string; endpointId?: string | undefined }[],
): string[] {
  const out: string[] = [];
  const mine = new Set(intended.flatMap((e) => (e.endpointId ? [e.endpointId] : [])));
  for (const e of intended) {
    if (!e.endpointId) {
      out.push(`no endpoint from ${e.vpc}`);
      continue;
    }
    const c = connections.find((x) => x.VpcEndpointId === e.endpointId);
    if (!c) out.push(`no connection from ${e.vpc}'s ${e.endpointId}`);
    else if (stateWord(c.VpcEndpointState) !== 'Available')
      out.push(`${e.vpc}'s ${e.endpointId} is ${c.VpcEndpointState}, not accepted and available`);
  }
  for (const c of connections)
    if (!mine.has(c.VpcEndpointId!) && ['Available', 'Pending'].includes(stateWord(c.VpcEndpointState)))
      out.push(`also accepted: ${connectionLine(c)}`);
  return out;
}

/**
 * Whether the service fronts exactly the intended load balancer: consumers
 * reach whatever NetworkLoadBalancerArns lists (PrivateLink Guide, "Create
 * an endpoint service"), so another one there is another backend.
 */
export function serviceLoadBalancerDiffs(config: ServiceConfiguration, loadBalancerArn: string): string[] {
  const arns = config.NetworkLoadBalancerArns ?? [];
  return [
    ...arns.filter((a) => a !== loadBalancerArn).map((a) => `the service also fronts ${a}`),
    ...(arns.includes(loadBalancerArn) ? [] : [`the service does not front ${loadBalancerArn}`]),
  ];
}
