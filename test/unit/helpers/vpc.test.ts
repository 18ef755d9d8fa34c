import {
  DescribeNetworkInterfacesCommand,
  DescribeSubnetsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  type NetworkInterface,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import {
  getSubnetHeadroom,
  isSuiteProbeInterface,
  isWorld,
  listIngressSources,
} from '../../../helpers/vpc.ts';

const ec2 = mockClient(EC2Client);
const clients = { ec2: new EC2Client({ region: 'us-east-1' }) } as unknown as AwsClients;
beforeEach(() => ec2.reset());

const eni = (id: string, ips: string[], description = ''): NetworkInterface => ({
  NetworkInterfaceId: id,
  Description: description,
  PrivateIpAddresses: ips.map((PrivateIpAddress) => ({ PrivateIpAddress })),
});
const labEni = eni('eni-lab', ['10.9.1.10']);
const probeEni = eni('eni-probe', ['10.9.1.20'], 'AWS Lambda VPC ENI-meshcheck-r1-prod-0f3a');

describe('getSubnetHeadroom: what the lab leaves free, the suite’s own probes aside', () => {
  test('adds back the addresses of the suite’s probe ENIs', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [labEni, probeEni] });
    ec2
      .on(DescribeSubnetsCommand)
      .resolves({ Subnets: [{ SubnetId: 'subnet-1', AvailableIpAddressCount: 200 }] });
    expect(await getSubnetHeadroom(clients, 'subnet-1')).toEqual({
      subnetId: 'subnet-1',
      available: 200,
      heldBySuite: ['10.9.1.20'],
      free: 201,
    });
  });

  test('a probe ENI that appears between the reads is read again, never counted half', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [labEni] })
      .resolvesOnce({ NetworkInterfaces: [labEni, probeEni] })
      .resolves({ NetworkInterfaces: [labEni, probeEni] });
    ec2
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: [{ SubnetId: 'subnet-1', AvailableIpAddressCount: 201 }] })
      .resolves({ Subnets: [{ SubnetId: 'subnet-1', AvailableIpAddressCount: 200 }] });
    const room = await getSubnetHeadroom(clients, 'subnet-1');
    expect(room.free).toBe(201);
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2);
  });

  test('interfaces that never hold still are cannot-tell', async () => {
    let n = 0;
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(async () => ({
      NetworkInterfaces: [eni(`eni-${n++}`, ['10.9.1.30'])],
    }));
    ec2
      .on(DescribeSubnetsCommand)
      .resolves({ Subnets: [{ SubnetId: 'subnet-1', AvailableIpAddressCount: 9 }] });
    await expect(getSubnetHeadroom(clients, 'subnet-1', { timeoutMs: 500 })).rejects.toBeInstanceOf(
      CannotTellError,
    );
  });

  test('only Lambda ENIs of meshcheck probes are the suite’s', () => {
    expect(isSuiteProbeInterface(probeEni)).toBe(true);
    expect(isSuiteProbeInterface(eni('e', [], 'AWS Lambda VPC ENI-EventWriterLambda-1'))).toBe(false);
    expect(isSuiteProbeInterface(eni('e', [], 'meshcheck-something'))).toBe(false);
    expect(isSuiteProbeInterface({})).toBe(false);
  });
});

describe('listIngressSources: every family and kind of source', () => {
  const group: SecurityGroup = {
    GroupId: 'sg-1',
    IpPermissions: [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '10.9.0.0/16' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [{ PrefixListId: 'pl-1' }],
        UserIdGroupPairs: [{ GroupId: 'sg-2' }],
      },
      { IpProtocol: '-1', PrefixListIds: [{ PrefixListId: 'pl-1' }] },
    ],
  };

  test('IPv4, IPv6, groups and prefix lists, lists read once with their entries', async () => {
    ec2
      .on(GetManagedPrefixListEntriesCommand)
      .resolves({ Entries: [{ Cidr: '0.0.0.0/0' }, { Cidr: '52.0.0.0/8' }] });
    const sources = await listIngressSources(clients, [group]);
    expect(sources.map((s) => [s.protocol, s.source, s.cidrs])).toEqual([
      ['tcp', '10.9.0.0/16', ['10.9.0.0/16']],
      ['tcp', '::/0', ['::/0']],
      ['tcp', 'sg-2', []],
      ['tcp', 'pl-1', ['0.0.0.0/0', '52.0.0.0/8']],
      ['-1', 'pl-1', ['0.0.0.0/0', '52.0.0.0/8']],
    ]);
    expect(sources[0]).toMatchObject({ groupId: 'sg-1', fromPort: 443, toPort: 443 });
    expect(ec2.commandCalls(GetManagedPrefixListEntriesCommand)).toHaveLength(1);
  });

  test('a prefix list that cannot be read is cannot-tell', async () => {
    ec2
      .on(GetManagedPrefixListEntriesCommand)
      .rejects(
        Object.assign(new Error('no'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }),
      );
    await expect(listIngressSources(clients, [group])).rejects.toMatchObject({ kind: 'denied' });
  });

  test.for([
    ['0.0.0.0/0', true],
    ['::/0', true],
    ['::0/0', true],
    ['10.0.0.0/8', false],
    ['2001:db8::/32', false],
    ['0.0.0.0/1', false],
  ] as const)('isWorld(%s) is %s', ([cidr, world]) => {
    expect(isWorld(cidr)).toBe(world);
  });
});
