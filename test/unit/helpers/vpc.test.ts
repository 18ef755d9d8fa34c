import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  type NetworkInterface,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import {
  getInstance,
  getPeeringConnection,
  getRouteTableFor,
  getSubnet,
  getSubnetHeadroom,
  getVpc,
  isSuiteProbeInterface,
  isWorld,
  listIngressSources,
  listPrefixListCidrs,
  listSecurityGroups,
  listSubnetInterfaces,
  routesOf,
} from '../../../helpers/vpc.ts';
import { awsError } from './support.ts';

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

describe('get… by id: the call made, the thing returned, gone is a deviation naming it', () => {
  const inputOf = (command: Parameters<typeof ec2.commandCalls>[0]) =>
    ec2.commandCalls(command)[0]!.args[0].input;

  test('getVpc', async () => {
    ec2.on(DescribeVpcsCommand).resolvesOnce({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.9.0.0/16' }] });
    await expect(getVpc(clients, 'vpc-1')).resolves.toEqual({ VpcId: 'vpc-1', CidrBlock: '10.9.0.0/16' });
    expect(inputOf(DescribeVpcsCommand)).toEqual({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] });
    ec2.on(DescribeVpcsCommand).resolves({});
    await expect(getVpc(clients, 'vpc-2')).rejects.toThrow(
      new LabDeviationError('VPC vpc-2 no longer exists'),
    );
  });

  test('getSubnet', async () => {
    ec2.on(DescribeSubnetsCommand).resolvesOnce({ Subnets: [{ SubnetId: 'subnet-1', VpcId: 'vpc-1' }] });
    await expect(getSubnet(clients, 'subnet-1')).resolves.toEqual({ SubnetId: 'subnet-1', VpcId: 'vpc-1' });
    expect(inputOf(DescribeSubnetsCommand)).toEqual({
      Filters: [{ Name: 'subnet-id', Values: ['subnet-1'] }],
    });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    await expect(getSubnet(clients, 'subnet-2')).rejects.toThrow(
      new LabDeviationError('subnet subnet-2 no longer exists'),
    );
  });

  test('getInstance: the first instance of any reservation', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce({
      Reservations: [{}, { Instances: [{ InstanceId: 'i-1', State: { Name: 'running' } }] }],
    });
    await expect(getInstance(clients, 'i-1')).resolves.toEqual({
      InstanceId: 'i-1',
      State: { Name: 'running' },
    });
    expect(inputOf(DescribeInstancesCommand)).toEqual({
      Filters: [{ Name: 'instance-id', Values: ['i-1'] }],
    });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [] }] });
    await expect(getInstance(clients, 'i-2')).rejects.toThrow(
      new LabDeviationError('instance i-2 no longer exists'),
    );
    ec2.on(DescribeInstancesCommand).resolves({});
    await expect(getInstance(clients, 'i-3')).rejects.toThrow(
      new LabDeviationError('instance i-3 no longer exists'),
    );
  });

  test('getPeeringConnection', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolvesOnce({
      VpcPeeringConnections: [{ VpcPeeringConnectionId: 'pcx-1', Status: { Code: 'active' } }],
    });
    await expect(getPeeringConnection(clients, 'pcx-1')).resolves.toEqual({
      VpcPeeringConnectionId: 'pcx-1',
      Status: { Code: 'active' },
    });
    expect(inputOf(DescribeVpcPeeringConnectionsCommand)).toEqual({
      Filters: [{ Name: 'vpc-peering-connection-id', Values: ['pcx-1'] }],
    });
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({});
    await expect(getPeeringConnection(clients, 'pcx-2')).rejects.toThrow(
      new LabDeviationError('VPC peering connection pcx-2 no longer exists'),
    );
  });

  test('a read the runner may not make is cannot-tell, naming what it tried', async () => {
    const no = awsError('UnauthorizedOperation', 403);
    ec2.on(DescribeVpcsCommand).rejects(no);
    ec2.on(DescribeSubnetsCommand).rejects(no);
    ec2.on(DescribeInstancesCommand).rejects(no);
    ec2.on(DescribeVpcPeeringConnectionsCommand).rejects(no);
    ec2.on(DescribeSecurityGroupsCommand).rejects(no);
    ec2.on(DescribeNetworkInterfacesCommand).rejects(no);
    ec2.on(DescribeRouteTablesCommand).rejects(no);
    ec2.on(GetManagedPrefixListEntriesCommand).rejects(no);
    const denied = (message: RegExp) =>
      expect.objectContaining({
        name: 'CannotTellError',
        kind: 'denied',
        message: expect.stringMatching(message),
      });
    await expect(getVpc(clients, 'vpc-1')).rejects.toEqual(
      denied(/^could not describe VPC vpc-1: UnauthorizedOperation \(403\)/),
    );
    await expect(getSubnet(clients, 'subnet-1')).rejects.toEqual(
      denied(/^could not describe subnet subnet-1: /),
    );
    await expect(getInstance(clients, 'i-1')).rejects.toEqual(denied(/^could not describe instance i-1: /));
    await expect(getPeeringConnection(clients, 'pcx-1')).rejects.toEqual(
      denied(/^could not describe peering pcx-1: /),
    );
    await expect(listSecurityGroups(clients, ['sg-1', 'sg-2'])).rejects.toEqual(
      denied(/^could not describe security groups sg-1, sg-2: /),
    );
    await expect(listSubnetInterfaces(clients, 'subnet-1')).rejects.toEqual(
      denied(/^could not list network interfaces in subnet-1: /),
    );
    await expect(listPrefixListCidrs(clients, 'pl-1')).rejects.toEqual(
      denied(/^could not read the entries of prefix list pl-1: /),
    );
    await expect(getRouteTableFor(clients, { subnetId: 'subnet-1', vpcId: 'vpc-1' })).rejects.toEqual(
      denied(/^could not find the route table of subnet-1: /),
    );
    ec2.reset();
    ec2.on(DescribeRouteTablesCommand).resolvesOnce({ RouteTables: [] }).rejects(no);
    await expect(getRouteTableFor(clients, { subnetId: 'subnet-1', vpcId: 'vpc-1' })).rejects.toEqual(
      denied(/^could not find the main route table of vpc-1: /),
    );
  });
});

describe('lists: every page, and nothing asked for when nothing is wanted', () => {
  test('listSubnetInterfaces follows NextToken and filters on the subnet', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [labEni], NextToken: 't2' })
      .resolvesOnce({ NetworkInterfaces: [probeEni] });
    await expect(listSubnetInterfaces(clients, 'subnet-1')).resolves.toEqual([labEni, probeEni]);
    // The paginator reuses one input object, so the calls are counted and the filter read from it.
    const calls = ec2.commandCalls(DescribeNetworkInterfacesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input).toMatchObject({
      Filters: [{ Name: 'subnet-id', Values: ['subnet-1'] }],
      NextToken: 't2',
    });
  });

  test('listSubnetInterfaces: a page without interfaces adds none', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({});
    await expect(listSubnetInterfaces(clients, 'subnet-1')).resolves.toEqual([]);
  });

  test('listSecurityGroups: by id; no ids asks nothing', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolvesOnce({ SecurityGroups: [{ GroupId: 'sg-1' }] });
    await expect(listSecurityGroups(clients, ['sg-1'])).resolves.toEqual([{ GroupId: 'sg-1' }]);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input).toEqual({ GroupIds: ['sg-1'] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({});
    await expect(listSecurityGroups(clients, ['sg-2'])).resolves.toEqual([]);
    ec2.resetHistory();
    await expect(listSecurityGroups(clients, [])).resolves.toEqual([]);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(0);
  });

  test('listPrefixListCidrs follows NextToken and skips entries without a CIDR', async () => {
    ec2
      .on(GetManagedPrefixListEntriesCommand)
      .resolvesOnce({ Entries: [{ Cidr: '0.0.0.0/0' }, { Cidr: '' }, {}], NextToken: 't2' })
      .resolvesOnce({ Entries: [{ Cidr: '52.0.0.0/8' }] })
      .resolves({});
    await expect(listPrefixListCidrs(clients, 'pl-1')).resolves.toEqual(['0.0.0.0/0', '52.0.0.0/8']);
    const calls = ec2.commandCalls(GetManagedPrefixListEntriesCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input).toMatchObject({ PrefixListId: 'pl-1', NextToken: 't2' });
    await expect(listPrefixListCidrs(clients, 'pl-2')).resolves.toEqual([]);
  });
});

describe('getRouteTableFor: the explicit association, else the VPC’s main table', () => {
  const subnet = { subnetId: 'subnet-1', vpcId: 'vpc-1' };
  const explicitFilter = { Filters: [{ Name: 'association.subnet-id', Values: ['subnet-1'] }] };
  const mainFilter = {
    Filters: [
      { Name: 'vpc-id', Values: ['vpc-1'] },
      { Name: 'association.main', Values: ['true'] },
    ],
  };
  const inputs = () => ec2.commandCalls(DescribeRouteTablesCommand).map((c) => c.args[0].input);

  test('an explicit association wins, and the main table is not asked for', async () => {
    ec2
      .on(DescribeRouteTablesCommand)
      .resolvesOnce({ RouteTables: [{ RouteTableId: 'rtb-own' }] })
      .resolves({ RouteTables: [{ RouteTableId: 'rtb-main' }] });
    await expect(getRouteTableFor(clients, subnet)).resolves.toEqual({ RouteTableId: 'rtb-own' });
    expect(inputs()).toEqual([explicitFilter]);
  });

  test('no explicit association: the VPC’s main table', async () => {
    ec2
      .on(DescribeRouteTablesCommand)
      .resolvesOnce({})
      .resolvesOnce({ RouteTables: [{ RouteTableId: 'rtb-main' }] });
    await expect(getRouteTableFor(clients, subnet)).resolves.toEqual({ RouteTableId: 'rtb-main' });
    expect(inputs()).toEqual([explicitFilter, mainFilter]);
  });

  test('neither: the subnet has no route table, a deviation', async () => {
    ec2.on(DescribeRouteTablesCommand).resolvesOnce({ RouteTables: [] }).resolvesOnce({});
    await expect(getRouteTableFor(clients, subnet)).rejects.toThrow(
      new LabDeviationError('subnet subnet-1 has no route table'),
    );
    ec2.reset();
    ec2.on(DescribeRouteTablesCommand).resolvesOnce({ RouteTables: [] }).resolvesOnce({ RouteTables: [] });
    await expect(getRouteTableFor(clients, subnet)).rejects.toThrow(
      new LabDeviationError('subnet subnet-1 has no route table'),
    );
  });
});

describe('routesOf: destination, target and state of every route', () => {
  test('each family and each target kind', () => {
    expect(
      routesOf({
        Routes: [
          { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
          { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-1', State: 'active' },
          { DestinationPrefixListId: 'pl-1', GatewayId: 'vpce-1', State: 'active' },
          { DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-1', State: 'blackhole' },
          { DestinationCidrBlock: '10.3.0.0/16', VpcPeeringConnectionId: 'pcx-1' },
          { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' },
          { DestinationCidrBlock: '10.4.0.0/16', NetworkInterfaceId: 'eni-1' },
          { DestinationCidrBlock: '10.5.0.0/16' },
        ],
      }),
    ).toEqual([
      { cidr: '10.0.0.0/16', target: 'local', state: 'active' },
      { cidr: '::/0', target: 'eigw-1', state: 'active' },
      { cidr: 'pl-1', target: 'vpce-1', state: 'active' },
      { cidr: '10.2.0.0/16', target: 'tgw-1', state: 'blackhole' },
      { cidr: '10.3.0.0/16', target: 'pcx-1', state: undefined },
      { cidr: '0.0.0.0/0', target: 'nat-1', state: undefined },
      { cidr: '10.4.0.0/16', target: 'eni-1', state: undefined },
      { cidr: '10.5.0.0/16', target: undefined, state: undefined },
    ]);
    expect(routesOf({})).toEqual([]);
  });

  test('the TGW or peering a route names wins over a gateway also named', () => {
    const routes = routesOf({
      Routes: [
        { DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-1', VpcPeeringConnectionId: 'pcx-1' },
        { DestinationCidrBlock: '10.3.0.0/16', VpcPeeringConnectionId: 'pcx-1', GatewayId: 'igw-1' },
        { DestinationCidrBlock: '10.4.0.0/16', GatewayId: 'igw-1', NatGatewayId: 'nat-1' },
        { DestinationCidrBlock: '10.5.0.0/16', NatGatewayId: 'nat-1', EgressOnlyInternetGatewayId: 'eigw-1' },
        {
          DestinationCidrBlock: '10.6.0.0/16',
          EgressOnlyInternetGatewayId: 'eigw-1',
          NetworkInterfaceId: 'eni-1',
        },
        {
          DestinationCidrBlock: '10.7.0.0/16',
          DestinationIpv6CidrBlock: '::/0',
          DestinationPrefixListId: 'pl-1',
        },
        { DestinationIpv6CidrBlock: '::/0', DestinationPrefixListId: 'pl-1' },
      ],
    });
    expect(routes.map((r) => `${r.cidr} ${r.target}`)).toEqual([
      '10.2.0.0/16 tgw-1',
      '10.3.0.0/16 pcx-1',
      '10.4.0.0/16 igw-1',
      '10.5.0.0/16 nat-1',
      '10.6.0.0/16 eigw-1',
      '10.7.0.0/16 undefined',
      '::/0 undefined',
    ]);
  });
});

describe('getSubnetHeadroom: what counts as holding still, and what a wait that runs out says', () => {
  const subnet = { Subnets: [{ SubnetId: 'subnet-1', AvailableIpAddressCount: 50 }] };
  const other = eni('eni-other', ['10.9.1.11']);

  test('the same interfaces listed in another order hold still: one read of the subnet', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [labEni, other] })
      .resolvesOnce({ NetworkInterfaces: [other, labEni] });
    ec2.on(DescribeSubnetsCommand).resolves(subnet);
    await expect(getSubnetHeadroom(clients, 'subnet-1')).resolves.toMatchObject({ available: 50, free: 50 });
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(1);
  });

  test('an interface that gains an address between the reads is read again', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [labEni] })
      .resolvesOnce({ NetworkInterfaces: [eni('eni-lab', ['10.9.1.10', '10.9.1.12'])] })
      .resolves({ NetworkInterfaces: [eni('eni-lab', ['10.9.1.10', '10.9.1.12'])] });
    ec2.on(DescribeSubnetsCommand).resolves(subnet);
    await getSubnetHeadroom(clients, 'subnet-1');
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2);
  });

  test('interfaces and a subnet without the optional fields: nothing held, nothing available', async () => {
    const bare = { NetworkInterfaceId: 'eni-bare', Description: 'AWS Lambda VPC ENI-meshcheck-r1' };
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolvesOnce({ NetworkInterfaces: [bare] })
      .resolvesOnce({
        NetworkInterfaces: [{ ...bare, PrivateIpAddresses: [{ PrivateIpAddress: '10.9.1.40' }] }],
      })
      .resolves({ NetworkInterfaces: [bare] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-1' }] });
    await expect(getSubnetHeadroom(clients, 'subnet-1')).resolves.toEqual({
      subnetId: 'subnet-1',
      available: 0,
      heldBySuite: [],
      free: 0,
    });
    // An address that comes and goes is a change, even on an interface that listed none.
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(2);
  });

  test('a wait that runs out says what it waited for, what it saw and how to look', async () => {
    let n = 0;
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(async () => ({
      NetworkInterfaces: [eni(`eni-${n++}`, ['10.9.1.30']), labEni],
    }));
    ec2.on(DescribeSubnetsCommand).resolves(subnet);
    const error = await getSubnetHeadroom(clients, 'subnet-1', { timeoutMs: 300 }).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(
      /for the interfaces of subnet-1 to hold still while its free addresses are read; last saw: 2 interfaces, still changing\n {2}look yourself: aws ec2 describe-network-interfaces --filters Name=subnet-id,Values=subnet-1$/,
    );
  });

  test('a cancelled run stops waiting', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [labEni] });
    ec2.on(DescribeSubnetsCommand).resolves(subnet);
    await expect(getSubnetHeadroom(clients, 'subnet-1', { signal: AbortSignal.abort() })).rejects.toThrow();
    await expect(getSubnetHeadroom(clients, 'subnet-1', {})).resolves.toMatchObject({ free: 50 });
  });
});

describe('listIngressSources: groups and rules with parts left out', () => {
  test('a group without rules and a rule without lists add nothing, and read no prefix list', async () => {
    const sources = await listIngressSources(clients, [
      { GroupId: 'sg-0' },
      { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }] },
      { GroupId: 'sg-2', IpPermissions: [{ IpProtocol: 'udp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] },
    ]);
    expect(sources).toEqual([
      {
        groupId: 'sg-2',
        protocol: 'udp',
        fromPort: undefined,
        toPort: undefined,
        source: '10.0.0.0/8',
        cidrs: ['10.0.0.0/8'],
      },
    ]);
    expect(ec2.commandCalls(GetManagedPrefixListEntriesCommand)).toHaveLength(0);
  });
});
