import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointServiceConfigurationsCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  type ServiceDetail,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../clients.ts';
import { CannotTellError, cannotTell, reading } from '../errors.ts';
import type { PrivateLinkServiceTarget } from '../targets/schema-privatelink.ts';

/**
 * What the live PrivateLink checks (P9–P12) read from AWS besides the
 * probe's answers: the endpoint service's name as consumers use it, the
 * addresses of the intended consumer endpoint's network interfaces, and
 * whether an account can see the service at all.
 */

/**
 * The service's name as consumers ask for it (`com.amazonaws.vpce.REGION.vpce-svc-…`), read in the
 * provider account by its id or its Name tag. None, or several, is a deviation the config checks
 * (P3) name; here it means the live checks cannot tell what to look for.
 *
 * @example await getServiceName(clients, 'ZeroTrustEndpointService') // 'com.amazonaws.vpce.us-east-1.vpce-svc-0ab…'
 */
export async function getServiceName(provider: AwsClients, name: string): Promise<string> {
  const byId = /^vpce-svc-[0-9a-f]+$/.test(name);
  const out = await reading(`describe endpoint service ${name}`, () =>
    provider.ec2.send(
      new DescribeVpcEndpointServiceConfigurationsCommand(
        byId ? { ServiceIds: [name] } : { Filters: [{ Name: 'tag:Name', Values: [name] }] },
      ),
    ),
  );
  const found = out.ServiceConfigurations ?? [];
  if (found.length !== 1 || !found[0]!.ServiceName)
    throw new CannotTellError(
      `endpoint service ${name}: ${found.length} configurations in the provider account, not one (see P3)`,
    );
  return found[0]!.ServiceName;
}

/** The intended consumer endpoint to a service, and the private addresses of its network interfaces. */
export interface ConsumerEndpointAddresses {
  /** The endpoint's id, or undefined when the VPC has no endpoint to the service. */
  endpointId: string | undefined;
  addresses: string[];
}

/**
 * The addresses of the interface endpoint to `serviceName` in `vpcId`, as its network interfaces
 * hold them (DescribeNetworkInterfaces of the endpoint's NetworkInterfaceIds): what the endpoint's
 * DNS names answer (PrivateLink Guide, "DNS hostnames": the regional name resolves to the endpoint's
 * network interfaces' addresses). No endpoint: no addresses, which no answer can match.
 *
 * @example await getEndpointAddresses(clients, 'vpc-1', 'com.amazonaws.vpce.us-east-1.vpce-svc-1')
 */
export async function getEndpointAddresses(
  consumer: AwsClients,
  vpcId: string,
  serviceName: string,
): Promise<ConsumerEndpointAddresses> {
  const out = await reading(`describe the endpoint to ${serviceName} in ${vpcId}`, () =>
    consumer.ec2.send(
      new DescribeVpcEndpointsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'service-name', Values: [serviceName] },
        ],
      }),
    ),
  );
  // A deleted endpoint lingers as `deleted` for a while; it has no interfaces that answer. AWS writes the
  // states in lower camel case (`pendingAcceptance`), the SDK's enum capitalised: compared either way.
  const live = (out.VpcEndpoints ?? []).filter(
    (e) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()),
  );
  if (live.length > 1)
    throw new CannotTellError(
      `${live.length} endpoints to ${serviceName} in ${vpcId} (${live.map((e) => e.VpcEndpointId).join(', ')}): the live checks cannot tell which is intended (see P4)`,
    );
  const endpoint = live[0];
  const ids = endpoint?.NetworkInterfaceIds ?? [];
  if (!endpoint || !ids.length) return { endpointId: endpoint?.VpcEndpointId, addresses: [] };
  const enis = await reading(`describe the network interfaces of ${endpoint.VpcEndpointId}`, () =>
    consumer.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ids })),
  );
  const addresses = (enis.NetworkInterfaces ?? []).flatMap((n) =>
    (n.PrivateIpAddresses?.length
      ? n.PrivateIpAddresses.map((a) => a.PrivateIpAddress)
      : [n.PrivateIpAddress]
    ).filter((a): a is string => !!a),
  );
  return { endpointId: endpoint.VpcEndpointId, addresses };
}

/**
 * Whether the caller's account sees the service among those it may request an endpoint to. AWS
 * answers a service the caller may not use with `InvalidServiceName` ("The Vpc Endpoint Service '…'
 * does not exist"), as for one that does not exist — seen by tools that describe cross-account
 * services they lost access to (cloud-custodian/cloud-custodian#10741); so that error is "not
 * listed". A denial (UnauthorizedOperation) says nothing about the service: cannot tell.
 *
 * @example await findVisibleService(clientsOf('log-archive'), 'com.amazonaws.vpce.us-east-1.vpce-svc-1') // undefined
 */
export async function findVisibleService(
  caller: AwsClients,
  serviceName: string,
): Promise<ServiceDetail | undefined> {
  try {
    const out = await caller.ec2.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: [serviceName] }),
    );
    return (out.ServiceDetails ?? []).find((s) => s.ServiceName === serviceName);
  } catch (error) {
    if ((error as { name?: string })?.name === 'InvalidServiceName') return undefined;
    throw cannotTell(`describe endpoint service ${serviceName}`, error);
  }
}

/**
 * The full name of the service's record: a label under the zone (`api` → `api.zone`), or a full name
 * already in it; lower case, without the trailing dot (Route 53 treats them alike).
 *
 * @example recordName({ zone: 'svc.internal', record: { name: 'api' } }) // 'api.svc.internal'
 */
export function recordName(
  dns: Pick<NonNullable<PrivateLinkServiceTarget['dns']>, 'zone' | 'record'>,
): string {
  const trim = (s: string) => s.toLowerCase().replace(/\.$/, '');
  const zone = trim(dns.zone);
  const record = trim(dns.record.name);
  return record === zone || record.endsWith(`.${zone}`) ? record : `${record}.${zone}`;
}

/** The consumer endpoint the record points at: the one `dns.endpoint` names, else the first. */
export function recordEndpoint(service: PrivateLinkServiceTarget) {
  const vpc = service.dns?.endpoint;
  return service.endpoints.find((e) => e.vpc === vpc) ?? service.endpoints[0]!;
}
