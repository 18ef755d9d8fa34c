import { DescribeVpcEndpointServicesCommand, type ServiceDetail } from '@aws-sdk/client-ec2';
import type { AwsClients } from '../clients.ts';
import { cannotTell } from '../errors.ts';
import { findConsumerEndpoint, listEndpointAddresses } from './endpoint.ts';

/**
 * What the live PrivateLink checks (P9–P12) read from AWS besides the
 * probe's answers: the addresses of the intended consumer endpoint's network
 * interfaces, and whether an account can see the service at all. The
 * service's name and the endpoint's id come from the run's resolution
 * (helpers/targets/privatelink.ts).
 */

/** The intended consumer endpoint, and the private addresses of its network interfaces. */
export interface ConsumerEndpointAddresses {
  /** The endpoint's id, or undefined when the VPC has no live endpoint to the service. */
  endpointId: string | undefined;
  addresses: string[];
}

/**
 * The addresses of the consumer endpoint `endpointId` (DescribeNetworkInterfaces of its
 * NetworkInterfaceIds): what the endpoint's DNS names answer (PrivateLink Guide, "DNS names for
 * interface endpoints": the Regional name resolves to the endpoint's network interfaces' addresses).
 * No endpoint (none resolved, or deleted since): no addresses, which no answer can match.
 *
 * @example await getEndpointAddresses(lab.clients(), 'vpce-0123') // { endpointId: 'vpce-0123', addresses: ['10.0.1.25'] }
 */
export async function getEndpointAddresses(
  consumer: AwsClients,
  endpointId: string | undefined,
): Promise<ConsumerEndpointAddresses> {
  const endpoint = await findConsumerEndpoint(consumer, endpointId);
  if (!endpoint) return { endpointId: undefined, addresses: [] };
  return { endpointId: endpoint.VpcEndpointId, addresses: await listEndpointAddresses(consumer, endpoint) };
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
