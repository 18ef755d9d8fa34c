import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  type NetworkInterface,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.ts';
import { reading } from './errors.ts';

/** The endpoints of a VPC, every type and state (a deleted one is simply absent). */
export async function listVpcEndpoints({ ec2 }: AwsClients, vpcId: string): Promise<VpcEndpoint[]> {
  const out = await reading(`list the VPC endpoints of ${vpcId}`, () =>
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  );
  return (out.VpcEndpoints ?? []).filter(
    (e) => !['deleted', 'deleting'].includes((e.State ?? '').toLowerCase()),
  );
}

/** `com.amazonaws.<region>.<service>`, the name AWS gives its own endpoint services. */
export function serviceName(region: string, service: string): string {
  return `com.amazonaws.${region}.${service}`;
}

/** The endpoint of a service in a VPC, or undefined when there is none. */
export function findEndpoint(
  endpoints: VpcEndpoint[],
  name: string,
  type: 'Gateway' | 'Interface',
): VpcEndpoint | undefined {
  return endpoints.find((e) => e.ServiceName === name && e.VpcEndpointType === type);
}

export async function listNetworkInterfaces({ ec2 }: AwsClients, ids: string[]): Promise<NetworkInterface[]> {
  if (!ids.length) return [];
  const out = await reading(`describe network interfaces ${ids.join(', ')}`, () =>
    ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ids })),
  );
  return out.NetworkInterfaces ?? [];
}
