import {
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  type NetworkInterface,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients.ts';
import { reading } from './errors.ts';
import { cidrContains } from './path.ts';
import { getSubnet } from './vpc.ts';

/** Endpoint states that mean gone (EC2 answers them in lower case; the SDK's enum capitalises them). */
const GONE = new Set<string | undefined>(['deleted', 'deleting']);

/** The endpoints of a VPC, every type and state (a deleted one is simply absent). */
export async function listVpcEndpoints({ ec2 }: AwsClients, vpcId: string): Promise<VpcEndpoint[]> {
  const out = await reading(`list the VPC endpoints of ${vpcId}`, () =>
    ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] })),
  );
  return (out.VpcEndpoints ?? []).filter((e) => !GONE.has(e.State?.toLowerCase()));
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

export interface EndpointCoverage {
  endpointId: string;
  enis: {
    eni: string;
    status: string | undefined;
    ip: string;
    subnet: string;
    cidr: string;
    availabilityZone: string;
    inside: boolean;
  }[];
  /** AZs of the planned subnets where the endpoint has no ENI in one of them. */
  missingZones: string[];
}

/**
 * Where an interface endpoint's ENIs sit, against the subnets the lab
 * plans: an interface endpoint takes one subnet per AZ
 * (privatelink/create-interface-endpoint.html), so each AZ of the planned
 * subnets needs an ENI in one of them.
 *
 * @example
 *   const { missingZones } = await getEndpointCoverage(clients, endpoint, ['subnet-0a', 'subnet-0b']);
 */
export async function getEndpointCoverage(
  clients: AwsClients,
  endpoint: VpcEndpoint,
  plannedSubnetIds: string[],
): Promise<EndpointCoverage> {
  const planned = await Promise.all(plannedSubnetIds.map((id) => getSubnet(clients, id)));
  const interfaces = await listNetworkInterfaces(clients, endpoint.NetworkInterfaceIds ?? []);
  const enis = await Promise.all(
    interfaces.map(async (eni) => {
      const subnet =
        planned.find((s) => s.SubnetId === eni.SubnetId) ?? (await getSubnet(clients, eni.SubnetId!));
      return {
        eni: eni.NetworkInterfaceId!,
        status: eni.Status,
        ip: eni.PrivateIpAddress!,
        subnet: subnet.SubnetId!,
        cidr: subnet.CidrBlock!,
        availabilityZone: subnet.AvailabilityZone!,
        inside: cidrContains(subnet.CidrBlock!, eni.PrivateIpAddress!),
      };
    }),
  );
  const covered = new Set(
    enis.filter((e) => plannedSubnetIds.includes(e.subnet)).map((e) => e.availabilityZone),
  );
  const missingZones = [...new Set(planned.map((s) => s.AvailabilityZone!))]
    .filter((az) => !covered.has(az))
    .sort();
  return { endpointId: endpoint.VpcEndpointId!, enis, missingZones };
}
