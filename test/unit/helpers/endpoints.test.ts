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
import { awsError } from './support.ts';

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

describe('getEndpointCoverage: what it shows of each ENI, and the zones it misses', () => {
  test('each ENI with its address, subnet, CIDR and AZ; the endpoint named', async () => {
    enis([['eni-a', 'subnet-a', '10.9.1.5']]);
    await expect(getEndpointCoverage(clients, endpoint(['eni-a']), ['subnet-a'])).resolves.toEqual({
      endpointId: 'vpce-1',
      enis: [
        {
          eni: 'eni-a',
          status: 'in-use',
          ip: '10.9.1.5',
          subnet: 'subnet-a',
          cidr: '10.9.1.0/24',
          availabilityZone: 'us-east-1a',
          inside: true,
        },
      ],
      missingZones: [],
    });
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]!.args[0].input).toEqual({
      NetworkInterfaceIds: ['eni-a'],
    });
  });

  test('an endpoint with no ENIs asks for none and misses every planned zone, once each, in order', async () => {
    const c = await getEndpointCoverage(clients, { VpcEndpointId: 'vpce-1' }, [
      'subnet-x',
      'subnet-a',
      'subnet-b',
    ]);
    expect(c).toEqual({ endpointId: 'vpce-1', enis: [], missingZones: ['us-east-1a', 'us-east-1b'] });
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)).toHaveLength(0);
  });

  test('an answer without interfaces covers nothing', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({});
    const c = await getEndpointCoverage(clients, endpoint(['eni-a']), ['subnet-a']);
    expect(c).toMatchObject({ enis: [], missingZones: ['us-east-1a'] });
  });

  test('an ENI in an unplanned subnet is read from that subnet, and a planned one is not read twice', async () => {
    enis([
      ['eni-a', 'subnet-a', '10.9.1.5'],
      ['eni-x', 'subnet-x', '10.9.9.5'],
    ]);
    const c = await getEndpointCoverage(clients, endpoint(['eni-a', 'eni-x']), ['subnet-a']);
    expect(c.enis.map((e) => [e.eni, e.subnet, e.cidr, e.availabilityZone])).toEqual([
      ['eni-a', 'subnet-a', '10.9.1.0/24', 'us-east-1a'],
      ['eni-x', 'subnet-x', '10.9.9.0/24', 'us-east-1b'],
    ]);
    const asked = ec2
      .commandCalls(DescribeSubnetsCommand)
      .map((call) => call.args[0].input.Filters?.[0]?.Values);
    expect(asked).toEqual([['subnet-a'], ['subnet-x']]);
  });

  test('ENIs that cannot be read are cannot-tell naming them', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(
      getEndpointCoverage(clients, endpoint(['eni-a', 'eni-b']), ['subnet-a']),
    ).rejects.toMatchObject({
      name: 'CannotTellError',
      message: expect.stringMatching(/^could not describe network interfaces eni-a, eni-b: /),
    });
  });
});

describe('listVpcEndpoints: the call, and every state but gone', () => {
  test('asks for the VPC’s endpoints; deleting ones are gone too, whatever the case; no state is kept', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        // EC2 answers these states in lower case on the wire, though the SDK's enum spells them capitalised.
        { VpcEndpointId: 'vpce-1', State: 'deleting' as 'Deleting' },
        { VpcEndpointId: 'vpce-2', State: 'Deleting' },
        { VpcEndpointId: 'vpce-3', State: 'PendingAcceptance' },
        { VpcEndpointId: 'vpce-4' },
        { VpcEndpointId: 'vpce-5', State: 'deleted' as 'Deleted' },
      ],
    });
    const all = await listVpcEndpoints(clients, 'vpc-1');
    expect(all.map((e) => e.VpcEndpointId)).toEqual(['vpce-3', 'vpce-4']);
    expect(ec2.commandCalls(DescribeVpcEndpointsCommand)[0]!.args[0].input).toEqual({
      Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }],
    });
  });

  test('no endpoints is an empty list; a refused read is cannot-tell naming the VPC', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({});
    await expect(listVpcEndpoints(clients, 'vpc-1')).resolves.toEqual([]);
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(listVpcEndpoints(clients, 'vpc-1')).rejects.toThrow(
      /^could not list the VPC endpoints of vpc-1: /,
    );
  });

  test('findEndpoint wants both the service and the type', () => {
    const list = [
      {
        VpcEndpointId: 'vpce-i',
        ServiceName: 'com.amazonaws.eu-west-1.sts',
        VpcEndpointType: 'Interface' as const,
      },
      {
        VpcEndpointId: 'vpce-g',
        ServiceName: 'com.amazonaws.eu-west-1.s3',
        VpcEndpointType: 'Gateway' as const,
      },
    ];
    expect(serviceName('eu-west-1', 'sts')).toBe('com.amazonaws.eu-west-1.sts');
    expect(findEndpoint(list, 'com.amazonaws.eu-west-1.sts', 'Interface')?.VpcEndpointId).toBe('vpce-i');
    expect(findEndpoint(list, 'com.amazonaws.eu-west-1.sts', 'Gateway')).toBeUndefined();
    expect(findEndpoint(list, 'com.amazonaws.eu-west-1.s3', 'Gateway')?.VpcEndpointId).toBe('vpce-g');
  });
});
