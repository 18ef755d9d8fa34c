import {
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewaysCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  EC2Client,
  GetTransitGatewayRouteTableAssociationsCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import { cidrContains, explainRoute, longestMatch } from '../../../helpers/path.ts';
import {
  getTgwVpcAttachment,
  getTransitGateway,
  listTgwAssociations,
  listTgwRoutes,
} from '../../../helpers/tgw.ts';
import { awsError, mockedClients } from './support.ts';

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());
const clients = mockedClients();

describe('Transit Gateway reads', () => {
  test('a gateway and an attachment by id; gone is a deviation naming it', async () => {
    ec2.on(DescribeTransitGatewaysCommand, { TransitGatewayIds: ['tgw-1'] }).resolves({
      TransitGateways: [{ TransitGatewayId: 'tgw-1', State: 'available' }],
    });
    await expect(getTransitGateway(clients, 'tgw-1')).resolves.toMatchObject({ State: 'available' });
    ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
    await expect(getTransitGateway(clients, 'tgw-2')).rejects.toThrow(
      new LabDeviationError('Transit Gateway tgw-2 no longer exists'),
    );
    ec2.on(DescribeTransitGatewayVpcAttachmentsCommand).resolves({});
    await expect(getTgwVpcAttachment(clients, 'tgw-attach-1')).rejects.toThrow(
      new LabDeviationError('TGW attachment tgw-attach-1 no longer exists'),
    );
    ec2
      .on(DescribeTransitGatewayVpcAttachmentsCommand, { TransitGatewayAttachmentIds: ['tgw-attach-2'] })
      .resolves({
        TransitGatewayVpcAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-2', VpcId: 'vpc-1' }],
      });
    await expect(getTgwVpcAttachment(clients, 'tgw-attach-2')).resolves.toMatchObject({ VpcId: 'vpc-1' });
  });

  test('a read the runner may not make is cannot-tell', async () => {
    ec2.on(DescribeTransitGatewaysCommand).rejects(awsError('UnauthorizedOperation', 403));
    ec2.on(GetTransitGatewayRouteTableAssociationsCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(getTransitGateway(clients, 'tgw-1')).rejects.toBeInstanceOf(CannotTellError);
    await expect(listTgwAssociations(clients, 'tgw-rtb-1')).rejects.toThrow(/list associations of tgw-rtb-1/);
  });

  test('associations as attachment id and state', async () => {
    ec2
      .on(GetTransitGatewayRouteTableAssociationsCommand, { TransitGatewayRouteTableId: 'tgw-rtb-1' })
      .resolves({
        Associations: [{ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'associated' }, {}],
      });
    await expect(listTgwAssociations(clients, 'tgw-rtb-1')).resolves.toEqual([
      { attachmentId: 'tgw-attach-1', state: 'associated' },
      { attachmentId: '', state: '' },
    ]);
  });

  test('routes: active and blackhole both asked for; a blackhole has no attachment', async () => {
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [
        {
          DestinationCidrBlock: '10.2.0.0/16',
          State: 'active',
          Type: 'static',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-2' }],
        },
        {
          DestinationCidrBlock: '10.9.0.0/16',
          State: 'blackhole',
          Type: 'static',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-9' }],
        },
        { DestinationCidrBlock: '10.3.0.0/16', State: 'active', Type: 'propagated' },
      ],
    });
    await expect(listTgwRoutes(clients, 'tgw-rtb-1')).resolves.toEqual([
      { cidr: '10.2.0.0/16', attachment: 'tgw-attach-2', type: 'static', state: 'active' },
      { cidr: '10.9.0.0/16', attachment: 'blackhole', type: 'static', state: 'blackhole' },
      { cidr: '10.3.0.0/16', attachment: 'blackhole', type: 'propagated', state: 'active' },
    ]);
    expect(ec2.commandCalls(SearchTransitGatewayRoutesCommand)[0]!.args[0].input).toEqual({
      TransitGatewayRouteTableId: 'tgw-rtb-1',
      Filters: [{ Name: 'state', Values: ['active', 'blackhole'] }],
      MaxResults: 1000,
    });
  });

  test('a route table with more routes than one answer holds is cannot-tell, never a partial list', async () => {
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [], AdditionalRoutesAvailable: true });
    await expect(listTgwRoutes(clients, 'tgw-rtb-1')).rejects.toThrow(
      new CannotTellError('tgw-rtb-1 has more than 1000 routes; the suite read only the first 1000'),
    );
  });
});

describe('route arithmetic for explanations', () => {
  test('cidrContains: the block, its edges, and not one past them', () => {
    expect(cidrContains('10.2.0.0/16', '10.2.0.0')).toBe(true);
    expect(cidrContains('10.2.0.0/16', '10.2.255.255')).toBe(true);
    expect(cidrContains('10.2.0.0/16', '10.3.0.0')).toBe(false);
    expect(cidrContains('10.2.0.0/16', '10.1.255.255')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '192.168.1.10')).toBe(true);
    expect(cidrContains('10.2.1.10/32', '10.2.1.10')).toBe(true);
    expect(cidrContains('10.2.1.10/32', '10.2.1.11')).toBe(false);
    expect(cidrContains('10.2.1.10', '10.2.1.10')).toBe(true);
  });

  test('longestMatch: the most specific route wins; prefix-list routes never match an address', () => {
    const routes = [
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' },
      { DestinationCidrBlock: '10.0.0.0/8', TransitGatewayId: 'tgw-1' },
      { DestinationCidrBlock: '10.2.0.0/16', VpcPeeringConnectionId: 'pcx-1' },
      { DestinationPrefixListId: 'pl-1', GatewayId: 'vpce-1' },
    ];
    expect(longestMatch(routes, '10.2.1.10')).toMatchObject({ VpcPeeringConnectionId: 'pcx-1' });
    expect(longestMatch(routes, '10.1.1.10')).toMatchObject({ TransitGatewayId: 'tgw-1' });
    expect(longestMatch(routes, '8.8.8.8')).toMatchObject({ GatewayId: 'igw-1' });
    expect(longestMatch(routes.slice(1, 3), '8.8.8.8')).toBeUndefined();
  });
});

describe('explainRoute: where the route tables send a packet, for failure messages', () => {
  const from = { subnetId: 'subnet-a', vpcId: 'vpc-a' };
  const table = (routes: object[]) => ({ RouteTables: [{ RouteTableId: 'rtb-a', Routes: routes }] });

  test('no route: dropped in the VPC', async () => {
    ec2
      .on(DescribeRouteTablesCommand)
      .resolves(table([{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }]));
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toEqual([
      'rtb-a has no route for 10.2.1.10: dropped in vpc-a',
    ]);
  });

  test('a blackhole route and a local route say so', async () => {
    ec2.on(DescribeRouteTablesCommand).resolves(
      table([
        { DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-1', State: 'blackhole' },
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', State: 'active' },
      ]),
    );
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toEqual([
      'rtb-a sends 10.2.1.10 (10.2.0.0/16) to tgw-1 — a blackhole route',
    ]);
    await expect(explainRoute(clients, from, '10.0.1.10')).resolves.toEqual([
      'rtb-a sends 10.0.1.10 (10.0.0.0/16) to the VPC itself (local)',
    ]);
  });

  test('through the TGW: the attachment, its table, and the next hop', async () => {
    ec2
      .on(DescribeRouteTablesCommand)
      .resolves(table([{ DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-1' }]));
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [
        { TransitGatewayAttachmentId: 'tgw-attach-old', State: 'deleted' },
        {
          TransitGatewayAttachmentId: 'tgw-attach-a',
          State: 'available',
          Association: { TransitGatewayRouteTableId: 'tgw-rtb-a', State: 'associated' },
        },
      ],
    });
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [
        {
          DestinationCidrBlock: '10.0.0.0/8',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-x', ResourceId: 'vpc-x' }],
        },
        {
          DestinationCidrBlock: '10.2.0.0/16',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-s', ResourceId: 'vpc-s' }],
        },
      ],
    });
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toEqual([
      'rtb-a sends 10.2.1.10 (10.2.0.0/16) to tgw-1',
      'tgw-rtb-a sends 10.2.0.0/16 to tgw-attach-s (vpc-s)',
    ]);
    expect(ec2.commandCalls(SearchTransitGatewayRoutesCommand)[0]!.args[0].input).toEqual({
      TransitGatewayRouteTableId: 'tgw-rtb-a',
      Filters: [{ Name: 'route-search.longest-prefix-match', Values: ['10.2.1.10'] }],
    });
  });

  test('dropped at the TGW: no attachment, no association, no route, a blackhole', async () => {
    ec2
      .on(DescribeRouteTablesCommand)
      .resolves(table([{ DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: 'tgw-1' }]));
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({ TransitGatewayAttachments: [] });
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toContain(
      'vpc-a has no available attachment on tgw-1: dropped at the Transit Gateway',
    );
    const attachment = { TransitGatewayAttachmentId: 'tgw-attach-a', State: 'available' as const };
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({ TransitGatewayAttachments: [attachment] });
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toContain(
      'tgw-attach-a is associated with no TGW route table: dropped at the Transit Gateway',
    );
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [
        { ...attachment, Association: { TransitGatewayRouteTableId: 'tgw-rtb-a', State: 'associated' } },
      ],
    });
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [] });
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toContain(
      'tgw-rtb-a (associated with tgw-attach-a) has no route for 10.2.1.10: dropped at the Transit Gateway',
    );
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [{ DestinationCidrBlock: '10.2.0.0/16', State: 'blackhole' }],
    });
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toContain(
      'tgw-rtb-a blackholes 10.2.0.0/16: dropped at the Transit Gateway',
    );
  });

  test('an explanation that cannot be read says so, and never throws over the check it explains', async () => {
    ec2.on(DescribeRouteTablesCommand).rejects(awsError('UnauthorizedOperation', 403));
    const [line] = await explainRoute(clients, from, '10.2.1.10');
    expect(line).toMatch(/^\(could not read the route tables: could not find the route table of subnet-a/);
  });
});

describe('Transit Gateway reads: what each names when it cannot read, and empty fields', () => {
  test('every read names what it tried', async () => {
    const no = awsError('UnauthorizedOperation', 403);
    ec2.on(DescribeTransitGatewaysCommand).rejects(no);
    ec2.on(DescribeTransitGatewayVpcAttachmentsCommand).rejects(no);
    ec2.on(SearchTransitGatewayRoutesCommand).rejects(no);
    const denied = (message: RegExp) =>
      expect.objectContaining({
        name: 'CannotTellError',
        kind: 'denied',
        message: expect.stringMatching(message),
      });
    await expect(getTransitGateway(clients, 'tgw-1')).rejects.toEqual(
      denied(/^could not describe Transit Gateway tgw-1: UnauthorizedOperation \(403\)/),
    );
    await expect(getTgwVpcAttachment(clients, 'tgw-attach-1')).rejects.toEqual(
      denied(/^could not describe TGW attachment tgw-attach-1: /),
    );
    await expect(listTgwRoutes(clients, 'tgw-rtb-1')).rejects.toEqual(
      denied(/^could not search the routes of tgw-rtb-1: /),
    );
  });

  test('a gateway or attachment missing from a present list is gone too', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves({});
    await expect(getTransitGateway(clients, 'tgw-1')).rejects.toThrow(
      new LabDeviationError('Transit Gateway tgw-1 no longer exists'),
    );
    ec2.on(DescribeTransitGatewayVpcAttachmentsCommand).resolves({ TransitGatewayVpcAttachments: [] });
    await expect(getTgwVpcAttachment(clients, 'tgw-attach-1')).rejects.toThrow(
      new LabDeviationError('TGW attachment tgw-attach-1 no longer exists'),
    );
  });

  test('no associations and no routes are empty lists; a route without fields reads as empty strings', async () => {
    ec2.on(GetTransitGatewayRouteTableAssociationsCommand).resolves({});
    await expect(listTgwAssociations(clients, 'tgw-rtb-1')).resolves.toEqual([]);
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({ AdditionalRoutesAvailable: false });
    await expect(listTgwRoutes(clients, 'tgw-rtb-1')).resolves.toEqual([]);
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({ Routes: [{ TransitGatewayAttachments: [] }] });
    await expect(listTgwRoutes(clients, 'tgw-rtb-1')).resolves.toEqual([
      { cidr: '', attachment: 'blackhole', type: '', state: '' },
    ]);
  });
});

describe('explainRoute: every kind of first hop, and the attachment asked for', () => {
  const from = { subnetId: 'subnet-a', vpcId: 'vpc-a' };
  const via = (route: object) => {
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [{ RouteTableId: 'rtb-a', Routes: [{ DestinationCidrBlock: '10.2.0.0/16', ...route }] }],
    });
    return explainRoute(clients, from, '10.2.1.10');
  };

  test.for([
    [{ VpcPeeringConnectionId: 'pcx-1', GatewayId: 'igw-1' }, 'pcx-1'],
    [{ NatGatewayId: 'nat-1', GatewayId: 'igw-1' }, 'nat-1'],
    [{ NetworkInterfaceId: 'eni-1', GatewayId: 'igw-1' }, 'eni-1'],
    [{ InstanceId: 'i-1', GatewayId: 'igw-1' }, 'i-1'],
    [{ GatewayId: 'igw-1' }, 'igw-1'],
    [{}, 'an unknown target'],
  ] as const)('%o is sent to %s, and only that line', async ([route, target]) => {
    await expect(via(route)).resolves.toEqual([`rtb-a sends 10.2.1.10 (10.2.0.0/16) to ${target}`]);
    expect(ec2.commandCalls(DescribeTransitGatewayAttachmentsCommand)).toHaveLength(0);
  });

  test('an active TGW route names the TGW over any other target, and asks for this VPC’s attachment', async () => {
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({});
    await expect(via({ TransitGatewayId: 'tgw-1', GatewayId: 'igw-1', State: 'active' })).resolves.toEqual([
      'rtb-a sends 10.2.1.10 (10.2.0.0/16) to tgw-1',
      'vpc-a has no available attachment on tgw-1: dropped at the Transit Gateway',
    ]);
    expect(ec2.commandCalls(DescribeTransitGatewayAttachmentsCommand)[0]!.args[0].input).toEqual({
      Filters: [
        { Name: 'transit-gateway-id', Values: ['tgw-1'] },
        { Name: 'resource-id', Values: ['vpc-a'] },
      ],
    });
  });

  test('an attachment whose association is still being made is associated with nothing yet', async () => {
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [
        {
          TransitGatewayAttachmentId: 'tgw-attach-a',
          State: 'available',
          Association: { TransitGatewayRouteTableId: 'tgw-rtb-a', State: 'associating' },
        },
      ],
    });
    await expect(via({ TransitGatewayId: 'tgw-1' })).resolves.toEqual([
      'rtb-a sends 10.2.1.10 (10.2.0.0/16) to tgw-1',
      'tgw-attach-a is associated with no TGW route table: dropped at the Transit Gateway',
    ]);
    expect(ec2.commandCalls(SearchTransitGatewayRoutesCommand)).toHaveLength(0);
  });

  test('a TGW read that fails mid-way is said, never thrown', async () => {
    ec2.on(DescribeTransitGatewayAttachmentsCommand).rejects(awsError('UnauthorizedOperation', 403, 'no'));
    await expect(via({ TransitGatewayId: 'tgw-1' })).resolves.toEqual([
      '(could not read the route tables: no)',
    ]);
  });
});

describe('explainRoute: the TGW hop with answers that leave parts out', () => {
  const from = { subnetId: 'subnet-a', vpcId: 'vpc-a' };
  const associated = (association?: object) =>
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [
        {
          TransitGatewayAttachmentId: 'tgw-attach-a',
          State: 'available',
          ...(association && { Association: association }),
        },
      ],
    });
  beforeEach(() => {
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          RouteTableId: 'rtb-a',
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', TransitGatewayId: 'tgw-1' }],
        },
      ],
    });
  });
  const second = async () => (await explainRoute(clients, from, '10.2.1.10'))[1];

  test('an association that names no route table, or none at all, is no association', async () => {
    associated({ State: 'associated' });
    await expect(second()).resolves.toBe(
      'tgw-attach-a is associated with no TGW route table: dropped at the Transit Gateway',
    );
    associated();
    await expect(second()).resolves.toBe(
      'tgw-attach-a is associated with no TGW route table: dropped at the Transit Gateway',
    );
  });

  test('a search answer without routes is no route', async () => {
    associated({ TransitGatewayRouteTableId: 'tgw-rtb-a', State: 'associated' });
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({});
    await expect(second()).resolves.toBe(
      'tgw-rtb-a (associated with tgw-attach-a) has no route for 10.2.1.10: dropped at the Transit Gateway',
    );
  });

  test('a route without a CIDR (a prefix-list route) never wins over a CIDR route, even 0.0.0.0/0', async () => {
    associated({ TransitGatewayRouteTableId: 'tgw-rtb-a', State: 'associated' });
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [
        {
          PrefixListId: 'pl-1',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-p', ResourceId: 'vpc-p' }],
        },
        {
          DestinationCidrBlock: '0.0.0.0/0',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-x', ResourceId: 'vpc-x' }],
        },
      ],
    });
    await expect(second()).resolves.toBe('tgw-rtb-a sends 0.0.0.0/0 to tgw-attach-x (vpc-x)');
  });

  test('a route naming no attachment says so, never "undefined"', async () => {
    associated({ TransitGatewayRouteTableId: 'tgw-rtb-a', State: 'associated' });
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [{ DestinationCidrBlock: '10.2.0.0/16', State: 'active' }],
    });
    await expect(second()).resolves.toBe('tgw-rtb-a has a route for 10.2.0.0/16 that names no attachment');
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [{ DestinationCidrBlock: '10.2.0.0/16', State: 'active', TransitGatewayAttachments: [] }],
    });
    await expect(second()).resolves.toBe('tgw-rtb-a has a route for 10.2.0.0/16 that names no attachment');
  });

  test('a table without routes drops everything in the VPC', async () => {
    ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: 'rtb-a' }] });
    await expect(explainRoute(clients, from, '10.2.1.10')).resolves.toEqual([
      'rtb-a has no route for 10.2.1.10: dropped in vpc-a',
    ]);
  });

  test('a destination without a prefix length is one address', () => {
    expect(cidrContains('10.2.1.10', '10.2.1.11')).toBe(false);
  });
});
