import {
  DescribeVpcEndpointsCommand,
  EC2Client,
  type State,
  type Vpc,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { CannotTellError } from '../../../../helpers/errors.ts';
import {
  endpointDiffs,
  findConsumerEndpoint,
  ingressDiffs,
  ownCidrBlocks,
  regionalDnsName,
} from '../../../../helpers/privatelink/endpoint.ts';
import type { IngressSource } from '../../../../helpers/vpc.ts';
import { awsError, mockedClients } from '../support.ts';

/** P4 and P5's readings: the consumer endpoint's shape and what its groups admit; its DNS names for P8. */

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

/** EC2 answers states in lower case on the wire, whatever the SDK's enum spells. */
const wire = (state: string) => state as State;
const endpoint: VpcEndpoint = {
  VpcEndpointId: 'vpce-1',
  VpcEndpointType: 'Interface',
  State: wire('available'),
  SubnetIds: ['subnet-a', 'subnet-b'],
  Groups: [{ GroupId: 'sg-1', GroupName: 'client-sg' }],
  DnsEntries: [
    { DnsName: 'vpce-1-abcd-eu-west-1a.vpce-svc-1.eu-west-1.vpce.amazonaws.com' },
    { DnsName: 'vpce-1-abcd.vpce-svc-1.eu-west-1.vpce.amazonaws.com' },
  ],
};
const intended = {
  vpc: 'client-vpc',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupIds: { 'client-sg': 'sg-1' },
};

describe('the consumer endpoint (P4)', () => {
  test('an available interface endpoint in exactly the intended subnets and groups is no difference', () => {
    expect(endpointDiffs(endpoint, intended)).toEqual([]);
  });

  test('no endpoint, a rejected one, and a subnet or group too many or too few are named', () => {
    expect(endpointDiffs(undefined, intended)).toEqual(['client-vpc has no endpoint to the service']);
    expect(
      endpointDiffs(
        { ...endpoint, State: wire('rejected'), SubnetIds: ['subnet-a'], Groups: [{ GroupId: 'sg-2' }] },
        intended,
      ),
    ).toEqual([
      'state rejected, not available',
      'not in subnets subnet-b',
      'also in security groups sg-2',
      'not in security groups client-sg (sg-1)',
    ]);
  });

  test('an endpoint EC2 lists as deleted, or no longer knows, is absent; an unreadable one cannot-tell', async () => {
    ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [{ ...endpoint, State: wire('deleted') }] });
    expect(await findConsumerEndpoint(mockedClients(), 'vpce-1')).toBeUndefined();
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('InvalidVpcEndpointId.NotFound', 400));
    expect(await findConsumerEndpoint(mockedClients(), 'vpce-1')).toBeUndefined();
    ec2.on(DescribeVpcEndpointsCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(findConsumerEndpoint(mockedClients(), 'vpce-1')).rejects.toBeInstanceOf(CannotTellError);
  });

  test('the Regional DNS name is the one without an Availability Zone, wherever EC2 lists it', () => {
    expect(regionalDnsName(endpoint)).toBe('vpce-1-abcd.vpce-svc-1.eu-west-1.vpce.amazonaws.com');
  });
});

describe("the endpoint's groups (P5)", () => {
  const rule = (over: Partial<IngressSource>): IngressSource => ({
    groupId: 'sg-1',
    protocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    source: '10.9.0.0/16',
    cidrs: ['10.9.0.0/16'],
    ...over,
  });
  const blocks = ['10.9.0.0/16', '100.64.0.0/24'];

  test("the port from the VPC's own blocks, or a narrower block inside them, is no difference", () => {
    expect(
      ingressDiffs(
        [
          rule({}),
          rule({ source: '100.64.0.0/24', cidrs: ['100.64.0.0/24'] }),
          rule({ source: '10.9.1.0/24', cidrs: ['10.9.1.0/24'] }),
        ],
        blocks,
        443,
      ),
    ).toEqual([]);
  });

  test('the world, another port, a range, all traffic and a group reference are each named', () => {
    expect(
      ingressDiffs(
        [
          rule({}),
          rule({ source: '0.0.0.0/0', cidrs: ['0.0.0.0/0'] }),
          rule({ fromPort: 22, toPort: 22 }),
          rule({ fromPort: 0, toPort: 65535 }),
          rule({ protocol: '-1', fromPort: undefined, toPort: undefined }),
          rule({ source: 'sg-7', cidrs: [] }),
        ],
        blocks,
        443,
      ),
    ).toEqual([
      'also admits tcp 443-443 from 0.0.0.0/0 on sg-1',
      'also admits tcp 22-22 from 10.9.0.0/16 on sg-1',
      'also admits tcp 0-65535 from 10.9.0.0/16 on sg-1',
      'also admits all traffic from 10.9.0.0/16 on sg-1',
      'also admits tcp 443-443 from sg-7 on sg-1',
    ]);
  });

  test('nothing admitting the port from the VPC is itself the difference', () => {
    expect(ingressDiffs([], blocks, 443)).toEqual(['nothing admits tcp/443 from 10.9.0.0/16, 100.64.0.0/24']);
  });

  test("a VPC's own blocks are its associated ones, both families", () => {
    const vpc: Vpc = {
      CidrBlock: '10.9.0.0/16',
      CidrBlockAssociationSet: [
        { CidrBlock: '10.9.0.0/16', CidrBlockState: { State: 'associated' } },
        { CidrBlock: '10.10.0.0/16', CidrBlockState: { State: 'disassociated' } },
      ],
      Ipv6CidrBlockAssociationSet: [
        { Ipv6CidrBlock: '2001:db8::/56', Ipv6CidrBlockState: { State: 'associated' } },
      ],
    };
    expect(ownCidrBlocks(vpc)).toEqual(['10.9.0.0/16', '2001:db8::/56']);
  });
});
