import {
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import {
  findEndpoint,
  getEndpointCoverage,
  listVpcEndpoints,
  serviceName,
} from '../../../helpers/endpoints.ts';

const ec2 = mockClient(EC2Client);
const clients = { ec2: new EC2Client({ region: 'us-east-1' }) } as unknown as AwsClients;
const subnets = {
  'subnet-a': { SubnetId: 'subnet-a', CidrBlock: '10.9.1.0/24', AvailabilityZone: 'us-east-1a' },
  'subnet-b': { SubnetId: 'subnet-b', CidrBlock: '10.9.2.0/24', AvailabilityZone: 'us-east-1b' },
  'subnet-x': { SubnetId: 'subnet-x', CidrBlock: '10.9.9.0/24', AvailabilityZone: 'us-east-1b' },
} as const;

beforeEach(() => {
  ec2.reset();
  ec2.on(DescribeSubnetsCommand).callsFake(async (input) => ({
    Subnets: [subnets[input.Filters[0].Values[0] as keyof typeof subnets]],
  }));
});

function enis(list: [string, keyof typeof subnets, string, string?][]) {
  ec2.on(DescribeNetworkInterfacesCommand).resolves({
    NetworkInterfaces: list.map(([id, subnet, ip, status]) => ({
      NetworkInterfaceId: id,
      SubnetId: subnet,
      PrivateIpAddress: ip,
      Status: (status ?? 'in-use') as 'in-use',
    })),
  });
}
const endpoint = (ids: string[]) => ({ VpcEndpointId: 'vpce-1', NetworkInterfaceIds: ids });

describe('getEndpointCoverage: judged against the subnets the lab plans', () => {
  test('an ENI in each planned AZ covers them all', async () => {
    enis([
      ['eni-a', 'subnet-a', '10.9.1.5'],
      ['eni-b', 'subnet-b', '10.9.2.5'],
    ]);
    const c = await getEndpointCoverage(clients, endpoint(['eni-a', 'eni-b']), ['subnet-a', 'subnet-b']);
    expect(c.missingZones).toEqual([]);
    expect(c.enis.map((e) => [e.availabilityZone, e.inside])).toEqual([
      ['us-east-1a', true],
      ['us-east-1b', true],
    ]);
  });

  test('an endpoint shrunk to one AZ misses the other, whatever its own subnet list says', async () => {
    enis([['eni-a', 'subnet-a', '10.9.1.5']]);
    const c = await getEndpointCoverage(clients, endpoint(['eni-a']), ['subnet-a', 'subnet-b']);
    expect(c.missingZones).toEqual(['us-east-1b']);
  });

  test('an ENI in a subnet the lab does not plan covers nothing', async () => {
    enis([
      ['eni-a', 'subnet-a', '10.9.1.5'],
      ['eni-x', 'subnet-x', '10.9.9.5'],
    ]);
    const c = await getEndpointCoverage(clients, endpoint(['eni-a', 'eni-x']), ['subnet-a', 'subnet-b']);
    expect(c.missingZones).toEqual(['us-east-1b']);
  });

  test('an address outside its subnet is shown as such', async () => {
    enis([['eni-a', 'subnet-a', '10.9.2.5', 'available']]);
    const c = await getEndpointCoverage(clients, endpoint(['eni-a']), ['subnet-a']);
    expect(c.enis[0]).toMatchObject({ inside: false, status: 'available' });
  });
});

describe('listVpcEndpoints and findEndpoint', () => {
  test('deleted endpoints are absent; the right type and service is found', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        {
          VpcEndpointId: 'vpce-old',
          ServiceName: 'com.amazonaws.us-east-1.s3',
          VpcEndpointType: 'Gateway',
          State: 'Deleted',
        },
        {
          VpcEndpointId: 'vpce-i',
          ServiceName: 'com.amazonaws.us-east-1.s3',
          VpcEndpointType: 'Interface',
          State: 'Available',
        },
        {
          VpcEndpointId: 'vpce-g',
          ServiceName: 'com.amazonaws.us-east-1.s3',
          VpcEndpointType: 'Gateway',
          State: 'Available',
        },
      ],
    });
    const all = await listVpcEndpoints(clients, 'vpc-1');
    expect(all.map((e) => e.VpcEndpointId)).toEqual(['vpce-i', 'vpce-g']);
    expect(findEndpoint(all, serviceName('us-east-1', 's3'), 'Gateway')?.VpcEndpointId).toBe('vpce-g');
    expect(findEndpoint(all, serviceName('us-east-1', 'sts'), 'Interface')).toBeUndefined();
  });
});
