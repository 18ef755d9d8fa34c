import { DescribeRouteTablesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../../helpers/clients.ts';
import type { ResolvedTargets } from '../../../../helpers/targets/index.ts';
import {
  allowRowsTouching,
  attachmentOf,
  covers,
  denyPairsAcrossTgw,
  hostsIn,
  hubAttachment,
  spokeOfHub,
  subnetsSharingTable,
  vpcOf,
  vpcOfSubnet,
  vpcRoutesToTgw,
  vpcsOnTable,
} from '../../../../helpers/targets/view.ts';

/**
 * The questions the suite and the drifts ask of a lab's targets, on a lab
 * that is not the reference lab: a hub with two spokes on a TGW (east's
 * table sends a summary of 172.16.0.0/12 to the hub) and a VPC off the TGW.
 */
const vpc = (name: string, cidr: string, subnets: string[], routes: { cidr: string }[] = []) => ({
  name,
  account: name === 'side' ? 'other' : 'lab',
  cidr,
  subnets: subnets.map((s) => ({ name: s })),
  routes: routes.map((r) => ({ ...r, via: 'transit-gateway' })),
});
const row = (from: string, to: string, expect: 'allow' | 'deny', protocol: unknown = 'icmp') => ({
  from,
  to,
  expect,
  protocol,
});

function lab(): ResolvedTargets {
  return {
    region: 'eu-west-1',
    network: {
      vpcs: [
        vpc('hub', '172.16.0.0/16', ['hub-1'], [{ cidr: '172.17.0.0/16' }, { cidr: '172.18.0.0/16' }]),
        vpc('east', '172.17.0.0/16', ['east-1', 'east-2', 'east-3'], [{ cidr: '172.16.0.0/12' }]),
        vpc('west', '172.18.0.0/16', ['west-1'], [{ cidr: '172.16.0.0/16' }]),
        vpc('side', '10.9.0.0/16', ['side-1']),
      ],
      hosts: [
        { name: 'gate', subnet: 'hub-1' },
        { name: 'e1', subnet: 'east-1' },
        { name: 'e2', subnet: 'east-2' },
        { name: 'w1', subnet: 'west-1' },
        { name: 's1', subnet: 'side-1' },
      ],
      transitGateway: {
        name: 'tgw',
        attachments: [
          { name: 'east-att', vpc: 'east', routeTable: 'east-rt' },
          { name: 'hub-att', vpc: 'hub', routeTable: 'hub-rt' },
          { name: 'west-att', vpc: 'west', routeTable: 'west-rt' },
        ],
        routeTables: [
          {
            name: 'hub-rt',
            routes: [
              { cidr: '172.17.0.0/16', attachment: 'east-att' },
              { cidr: '172.18.0.0/16', attachment: 'west-att' },
            ],
          },
          { name: 'east-rt', routes: [{ cidr: '172.16.0.0/12', attachment: 'hub-att' }] },
          { name: 'west-rt', routes: [{ cidr: '172.16.0.0/16', attachment: 'hub-att' }] },
        ],
      },
      reachability: [
        row('e1', 'gate', 'allow'),
        row('gate', 'w1', 'allow', { tcp: 443 }),
        row('e1', 'e2', 'allow'),
        row('e1', 'w1', 'deny'),
        row('w1', 'e2', 'deny', { tcp: 22 }),
        row('gate', 's1', 'deny'),
        row('e2', 'gate', 'deny', { tcp: 22 }),
      ],
    },
    ids: {
      vpc: { hub: 'vpc-0h', east: 'vpc-0e', west: 'vpc-0w', side: 'vpc-0s' },
      subnet: { 'east-1': 'subnet-0e1', 'east-2': 'subnet-0e2', 'east-3': 'subnet-0e3' },
    },
  } as unknown as ResolvedTargets;
}

describe('where things live', () => {
  test('a subnet and a host know their VPC; a name not in targets has none', () => {
    expect(vpcOfSubnet(lab(), 'east-2')?.name).toBe('east');
    expect(vpcOfSubnet(lab(), 'nowhere')).toBeUndefined();
    expect(vpcOf(lab(), 'w1')).toBe('west');
    expect(vpcOf(lab(), 'nobody')).toBeUndefined();
    expect(vpcOf({ ...lab(), network: undefined }, 'w1')).toBeUndefined();
  });

  test('the hosts in a VPC, in the targets order', () => {
    expect(hostsIn(lab(), 'east')).toEqual(['e1', 'e2']);
    expect(hostsIn(lab(), 'hub')).toEqual(['gate']);
    expect(hostsIn(lab(), 'empty')).toEqual([]);
  });

  test("a VPC's TGW attachment, none for a VPC off the TGW", () => {
    expect(attachmentOf(lab(), 'west')?.name).toBe('west-att');
    expect(attachmentOf(lab(), 'side')).toBeUndefined();
  });

  test('the VPCs on a TGW route table', () => {
    const shared = lab();
    shared.network!.transitGateway!.attachments[2]!.routeTable = 'east-rt';
    expect(vpcsOnTable(shared, 'east-rt')).toEqual(['east', 'west']);
    expect(vpcsOnTable(lab(), 'hub-rt')).toEqual(['hub']);
    expect(vpcsOnTable(lab(), 'none')).toEqual([]);
  });
});

describe('the shape of the TGW', () => {
  test('the hub is the attachment other tables route to, wherever it is listed', () => {
    expect(hubAttachment(lab())?.name).toBe('hub-att');
    expect(hubAttachment({ ...lab(), network: { ...lab().network!, transitGateway: undefined } })).toBe(
      undefined,
    );
  });

  test('a tie goes to the first attachment listed', () => {
    const flat = lab();
    flat.network!.transitGateway!.routeTables = [{ name: 'hub-rt', routes: [] }];
    expect(hubAttachment(flat)?.name).toBe('east-att');
  });

  test('a route to its own attachment does not make a VPC the hub', () => {
    // Counting east-rt's route to east itself would tie east with the hub, and east is listed first.
    const selfish = lab();
    selfish.network!.transitGateway!.routeTables[1]!.routes.push({
      cidr: '172.17.0.0/16',
      attachment: 'east-att',
    });
    selfish.network!.transitGateway!.routeTables[0]!.routes.pop();
    expect(hubAttachment(selfish)?.name).toBe('hub-att');
  });

  test('a spoke of the hub is the first spoke whose table routes to it, with that route', () => {
    expect(spokeOfHub(lab())).toEqual({
      spoke: { name: 'east-att', vpc: 'east', routeTable: 'east-rt' },
      route: { cidr: '172.16.0.0/12', attachment: 'hub-att' },
    });
    expect(spokeOfHub({ ...lab(), network: { ...lab().network!, transitGateway: undefined } })).toBe(
      undefined,
    );
  });

  test('pairs kept apart by routing: both ends on the TGW, a deny row and no allow row', () => {
    // e1→w1 is denied and nothing allows east↔west; w1→e2 (TCP) is the same pair; gate→s1 is off the TGW;
    // e2→gate is denied on a port but e1→gate allows east↔hub.
    expect(denyPairsAcrossTgw(lab())).toEqual([['west', 'east']]); // as the last deny row of the pair says
  });
});

describe('routes and the rows they carry', () => {
  test('a CIDR covers itself and the blocks inside it, not the blocks beside or around it', () => {
    expect(covers('172.16.0.0/12', '172.18.0.0/16')).toBe(true);
    expect(covers('172.18.0.0/16', '172.18.0.0/16')).toBe(true);
    expect(covers('172.18.0.0/16', '172.16.0.0/12')).toBe(false);
    expect(covers('172.16.0.0/16', '172.17.0.0/16')).toBe(false);
    expect(covers('0.0.0.0/0', '10.9.0.0/16')).toBe(true);
    expect(covers('172.16.0.0/12', '')).toBe(false);
  });

  test("a VPC routes another to the TGW when one of its TGW routes covers that VPC's CIDR", () => {
    expect(vpcRoutesToTgw(lab(), 'east', 'hub')).toBe(true);
    expect(vpcRoutesToTgw(lab(), 'east', 'west')).toBe(true); // the summary carries west too
    expect(vpcRoutesToTgw(lab(), 'west', 'east')).toBe(false);
    expect(vpcRoutesToTgw(lab(), 'hub', 'side')).toBe(false);
    expect(vpcRoutesToTgw(lab(), 'side', 'hub')).toBe(false);
    expect(vpcRoutesToTgw(lab(), 'east', 'nowhere')).toBe(false);
  });

  test('allow rows with exactly one end inside, either direction, any protocol', () => {
    const rows = allowRowsTouching(lab(), 'hub', { acrossTgw: true }).map((r) => `${r.from}→${r.to}`);
    expect(rows).toEqual(['e1→gate', 'gate→w1']);
    // A row inside the set (e1→e2 within east) is not cut by a broken route out of it.
    expect(allowRowsTouching(lab(), 'east', { acrossTgw: true }).map((r) => r.to)).toEqual(['gate']);
    expect(allowRowsTouching(lab(), ['east', 'hub'], { acrossTgw: true }).map((r) => r.to)).toEqual(['w1']);
  });

  test('allow rows to a VPC off the TGW count only when not asked across the TGW; `other` filters the far end', () => {
    const withSide = lab();
    withSide.network!.reachability.push(row('s1', 'gate', 'allow') as never);
    expect(allowRowsTouching(withSide, 'hub', { acrossTgw: true }).map((r) => r.from)).toEqual([
      'e1',
      'gate',
    ]);
    expect(allowRowsTouching(withSide, 'hub', { acrossTgw: false }).map((r) => r.from)).toEqual([
      'e1',
      'gate',
      's1',
    ]);
    expect(
      allowRowsTouching(withSide, 'hub', { acrossTgw: false, other: (v) => v === 'west' }).map((r) => r.to),
    ).toEqual(['w1']);
  });
});

describe('which subnets share a route table (asked of AWS)', () => {
  const ec2 = mockClient(EC2Client);
  const clients = { ec2: new EC2Client({ region: 'eu-west-1' }) } as unknown as AwsClients;
  beforeEach(() => ec2.reset());

  test("the subnets on the first subnet's table, a subnet on the main table included when that is the table", async () => {
    const explicit: Record<string, string> = { 'subnet-0e1': 'rtb-main', 'subnet-0e3': 'rtb-other' };
    ec2.on(DescribeRouteTablesCommand).callsFake((input) => {
      const filter = input.Filters?.[0];
      if (filter?.Name === 'association.subnet-id') {
        const table = explicit[filter.Values![0]!];
        return { RouteTables: table ? [{ RouteTableId: table }] : [] };
      }
      return { RouteTables: [{ RouteTableId: 'rtb-main' }] };
    });
    const asked: string[] = [];
    const shared = await subnetsSharingTable(
      lab(),
      (account) => {
        asked.push(account);
        return clients;
      },
      'east',
    );
    expect(shared).toEqual(['east-1', 'east-2']);
    expect(new Set(asked)).toEqual(new Set(['lab']));
  });
});
