import { describe, test } from 'vitest';
import { PROBE_ROLE } from '../../../../helpers/targets/rules.ts';
import { type File, lab, problemsOf } from './small-lab.ts';

/**
 * The rules a targets file must keep with itself, each broken alone: the
 * whole list of problems a user reads, word for word, so a rule that stops
 * firing, fires elsewhere or names the wrong field is seen.
 */

type Row = { says: string; edit: (t: File) => void; problems: string[] };

const ARN = (account: string, name = PROBE_ROLE) => `arn:aws:iam::${account}:role/${name}`;

const rows: Record<string, Row[]> = {
  'each name once in its kind, the second entry named with the first': [
    {
      says: 'a VPC name',
      edit: (t) => {
        t.network.vpcs.push({
          name: 'c-vpc',
          cidr: '10.30.0.0/16',
          subnets: [{ name: 'd-1', cidr: '10.30.1.0/24' }],
        });
      },
      problems: ['network.vpcs[3].name: duplicate VPC name "c-vpc" (first at network.vpcs[2].name)'],
    },
    {
      says: 'a subnet name within one VPC',
      edit: (t) => {
        t.network.vpcs[0].subnets.push({ name: 'a-2', cidr: '10.10.3.0/24' });
      },
      problems: [
        'network.vpcs[0].subnets[2].name: duplicate subnet name "a-2" (first at network.vpcs[0].subnets[1].name)',
      ],
    },
    {
      says: 'an instance two hosts name',
      edit: (t) => {
        t.network.hosts[1].instance = 'a-host';
      },
      problems: [
        'network.hosts[1].instance: duplicate instance "a-host" (first at network.hosts[0].instance)',
      ],
    },
    {
      says: 'a peering name',
      edit: (t) => {
        t.network.peerings = [
          { name: 'p', requester: 'a-vpc', accepter: 'b-vpc' },
          { name: 'p', requester: 'b-vpc', accepter: 'a-vpc' },
        ];
      },
      problems: ['network.peerings[1].name: duplicate peering name "p" (first at network.peerings[0].name)'],
    },
    {
      says: 'a route table name',
      edit: (t) => {
        t.network.transitGateway.routeTables.push({ name: 'rt', routes: [] });
      },
      problems: [
        'network.transitGateway.routeTables[1].name: duplicate route table name "rt" (first at network.transitGateway.routeTables[0].name)',
      ],
    },
    {
      says: 'a VPC given two endpoint entries',
      edit: (t) => {
        t.endpoints.vpcs.push({ vpc: 'a-vpc' });
      },
      problems: ['endpoints.vpcs[1].vpc: duplicate entry for VPC "a-vpc" (first at endpoints.vpcs[0].vpc)'],
    },
    {
      says: 'a reader',
      edit: (t) => {
        t.dataProtection.readers.push('AuditRole');
      },
      problems: [
        'dataProtection.readers[1]: duplicate reader "AuditRole" (first at dataProtection.readers[0])',
      ],
    },
    {
      says: 'a pipeline role',
      edit: (t) => {
        t.dataProtection.pipelineRoles.push('WriterRole');
      },
      problems: [
        'dataProtection.pipelineRoles[1]: duplicate pipeline role "WriterRole" (first at dataProtection.pipelineRoles[0])',
      ],
    },
    {
      says: 'a gateway endpoint',
      edit: (t) => {
        t.endpoints.vpcs[0].gateway.push('s3');
      },
      problems: [
        'endpoints.vpcs[0].gateway[1]: duplicate gateway endpoint "s3" (first at endpoints.vpcs[0].gateway[0])',
      ],
    },
    {
      says: 'an interface endpoint',
      edit: (t) => {
        t.endpoints.vpcs[0].interface.push('ssm');
      },
      problems: [
        'endpoints.vpcs[0].interface[1]: duplicate interface endpoint "ssm" (first at endpoints.vpcs[0].interface[0])',
      ],
    },
    {
      says: "a placement's subnet",
      edit: (t) => {
        t.endpoints.probe.placements[0].subnets.push('a-1');
      },
      problems: [
        'endpoints.probe.placements[0].subnets[1]: duplicate subnet "a-1" (first at endpoints.probe.placements[0].subnets[0])',
      ],
    },
    {
      says: "a placement's security group",
      edit: (t) => {
        t.endpoints.probe.placements[0].securityGroups.push('a-fn');
      },
      problems: [
        'endpoints.probe.placements[0].securityGroups[1]: duplicate security group "a-fn" (first at endpoints.probe.placements[0].securityGroups[0])',
      ],
    },
    {
      says: 'a route of the second table (each table is its own list)',
      edit: (t) => {
        t.network.transitGateway.routeTables.push({
          name: 'rt2',
          routes: [
            { cidr: '10.10.0.0/16', attachment: 'a-att' },
            { cidr: '10.10.0.0/16', attachment: 'blackhole' },
          ],
        });
      },
      problems: [
        'network.transitGateway.routeTables[1].routes[1].cidr: duplicate route for "10.10.0.0/16" (first at network.transitGateway.routeTables[1].routes[0].cidr)',
      ],
    },
    {
      says: 'a third use of a name is reported against the first',
      edit: (t) => {
        t.dataProtection.readers = ['R', 'R', 'R'];
      },
      problems: [
        'dataProtection.readers[1]: duplicate reader "R" (first at dataProtection.readers[0])',
        'dataProtection.readers[2]: duplicate reader "R" (first at dataProtection.readers[0])',
      ],
    },
  ],
  'accounts and roles': [
    {
      says: 'a runner role in another account than the id given',
      edit: (t) => {
        t.accounts['log-archive'] = { id: '210987654321', assumeRoleArn: ARN('123456789012', 'runner') };
      },
      problems: [
        'accounts.log-archive.assumeRoleArn: is a role in account 123456789012, but accounts.log-archive.id is 210987654321',
      ],
    },
    {
      says: 'a probe role ARN in another account',
      edit: (t) => {
        t.endpoints.probe.role = ARN('999999999999');
      },
      problems: ['endpoints.probe.role: is a role in account 999999999999, not the lab account 123456789012'],
    },
    {
      says: 'a probe role the runner may not pass, by name',
      edit: (t) => {
        t.endpoints.probe.role = 'other-role';
      },
      problems: [
        `endpoints.probe.role: the runner policy lets the suite pass only the role "${PROBE_ROLE}" (no path) to Lambda, so a probe deployed with "other-role" would be refused at CreateFunction`,
      ],
    },
    {
      says: 'a probe role the runner may not pass, by ARN',
      edit: (t) => {
        t.endpoints.probe.role = ARN('123456789012', 'other-role');
      },
      problems: [
        `endpoints.probe.role: the runner policy lets the suite pass only the role "${PROBE_ROLE}" (no path) to Lambda, so a probe deployed with "${ARN('123456789012', 'other-role')}" would be refused at CreateFunction`,
      ],
    },
    {
      says: 'one placement to deploy is enough to need the passable role',
      edit: (t) => {
        t.endpoints.probe.role = 'other-role';
        t.endpoints.probe.placements[0].deployed = 'meshcheck-a';
        t.endpoints.probe.placements.push({
          name: 'b',
          vpc: 'b-vpc',
          subnets: ['b-1'],
          securityGroups: ['b-fn'],
          expect: { s3: 'ok' },
        });
      },
      problems: [
        `endpoints.probe.role: the runner policy lets the suite pass only the role "${PROBE_ROLE}" (no path) to Lambda, so a probe deployed with "other-role" would be refused at CreateFunction`,
      ],
    },
    {
      says: 'a deployed probe in another account',
      edit: (t) => {
        t.endpoints.probe.placements[0].deployed =
          'arn:aws:lambda:eu-west-1:999999999999:function:meshcheck-a';
      },
      problems: [
        'endpoints.probe.placements[0].deployed: is a function in account 999999999999, not the lab account 123456789012',
      ],
    },
    {
      says: 'a deployed probe in another Region',
      edit: (t) => {
        t.endpoints.probe.placements[0].deployed =
          'arn:aws:lambda:us-east-1:123456789012:function:meshcheck-a';
      },
      problems: [
        "endpoints.probe.placements[0].deployed: is a function in us-east-1, but the targets' region is eu-west-1",
      ],
    },
    {
      says: 'a principal both allowed and denied making data keys',
      edit: (t) => {
        t.dataProtection.keys[0].generateDataKey = {
          allow: ['runner', 'role:W'],
          deny: ['role:X', 'role:W'],
        };
      },
      problems: [
        'dataProtection.keys[0].generateDataKey.deny[1]: role:W is both allowed and denied generateDataKey',
      ],
    },
  ],
  addresses: [
    {
      says: 'a subnet outside its VPC',
      edit: (t) => {
        t.network.vpcs[0].subnets[1].cidr = '10.99.2.0/24';
      },
      problems: ['network.vpcs[0].subnets[1].cidr: 10.99.2.0/24 lies outside its VPC a-vpc (10.10.0.0/16)'],
    },
    {
      says: 'overlapping subnets in one VPC',
      edit: (t) => {
        t.network.vpcs[0].subnets.push({ name: 'a-3', cidr: '10.10.0.0/22' });
      },
      problems: [
        'network.vpcs[0].subnets[2].cidr: 10.10.0.0/22 overlaps subnet a-1 (10.10.1.0/24, subnets[0]) of the same VPC',
        'network.vpcs[0].subnets[2].cidr: 10.10.0.0/22 overlaps subnet a-2 (10.10.2.0/24, subnets[1]) of the same VPC',
      ],
    },
    {
      says: 'one free address more than a /24 has',
      edit: (t) => {
        t.network.vpcs[0].subnets[0].minFreeAddresses = 252;
      },
      problems: [
        'network.vpcs[0].subnets[0].minFreeAddresses: 252 can never be free: 10.10.1.0/24 has 251 usable addresses',
      ],
    },
    {
      says: 'a zone of another Region',
      edit: (t) => {
        t.network.vpcs[0].subnets[0].availabilityZone = 'eu-west-2a';
      },
      problems: ['network.vpcs[0].subnets[0].availabilityZone: eu-west-2a is not a zone of eu-west-1'],
    },
    {
      says: 'a host outside its subnet',
      edit: (t) => {
        t.network.hosts[0].privateIp = '10.10.2.10';
      },
      problems: ['network.hosts[0].privateIp: 10.10.2.10 lies outside its subnet a-1 (10.10.1.0/24)'],
    },
    {
      says: 'a host on the address AWS keeps for its router',
      edit: (t) => {
        t.network.hosts[0].privateIp = '10.10.1.1';
      },
      problems: [
        'network.hosts[0].privateIp: 10.10.1.1 is one of the five addresses AWS reserves in 10.10.1.0/24',
      ],
    },
    {
      says: 'two VPCs a reachability row connects, sharing addresses',
      edit: (t) => {
        t.network.transitGateway.attachments.pop();
        t.network.transitGateway.routeTables[0].routes.pop();
        t.network.vpcs[1].routes = [];
        t.network.vpcs[0].routes = [];
        t.network.vpcs[2].subnets[0].name = 'c-1';
        t.network.hosts[1] = { name: 'c-host', subnet: 'c-1', privateIp: '10.10.1.20' };
        t.network.reachability = [{ from: 'c-host', to: 'a-host', expect: 'deny' }];
      },
      problems: [
        'network.vpcs[2].cidr: 10.10.0.0/16 overlaps a-vpc (10.10.0.0/16), and the two must route to each other (reachability c-host → a-host)',
      ],
    },
    {
      says: 'a peering named from the later VPC names the later one at fault',
      edit: (t) => {
        t.network.peerings = [{ name: 'c-a', requester: 'c-vpc', accepter: 'a-vpc' }];
      },
      problems: [
        'network.vpcs[2].cidr: 10.10.0.0/16 overlaps a-vpc (10.10.0.0/16), and the two must route to each other (peering "c-a")',
      ],
    },
    {
      says: 'the VPC listed later is the one at fault, whatever the names sort as',
      edit: (t) => {
        t.network.vpcs[2].name = 'a-early';
        t.network.peerings = [{ name: 'p', requester: 'a-vpc', accepter: 'a-early' }];
      },
      problems: [
        'network.vpcs[2].cidr: 10.10.0.0/16 overlaps a-vpc (10.10.0.0/16), and the two must route to each other (peering "p")',
      ],
    },
    {
      says: 'a pair linked twice is reported once, for the first link',
      edit: (t) => {
        t.network.peerings = [
          { name: 'one', requester: 'a-vpc', accepter: 'c-vpc' },
          { name: 'two', requester: 'c-vpc', accepter: 'a-vpc' },
        ];
      },
      problems: [
        'network.vpcs[2].cidr: 10.10.0.0/16 overlaps a-vpc (10.10.0.0/16), and the two must route to each other (peering "one")',
      ],
    },
  ],
  'reachability rows': [
    {
      says: 'the same pair over TCP with both answers',
      edit: (t) => {
        t.network.reachability = [
          { from: 'a-host', to: 'b-host', expect: 'allow', protocol: { tcp: 443 } },
          { from: 'a-host', to: 'b-host', expect: 'allow' },
          { from: 'a-host', to: 'b-host', expect: 'deny', protocol: { tcp: 443 } },
        ];
      },
      problems: [
        'network.reachability[2].expect: a-host → b-host (tcp 443) is "deny" here and "allow" at reachability[0]',
      ],
    },
    {
      says: 'a repeated row',
      edit: (t) => {
        t.network.reachability.push({ from: 'b-host', to: 'a-host', expect: 'deny' });
        t.network.reachability.push({ from: 'b-host', to: 'a-host', expect: 'deny' });
      },
      problems: ['network.reachability[2]: repeats reachability[1] (b-host → a-host (icmp))'],
    },
    {
      says: 'a row from a host to itself',
      edit: (t) => {
        t.network.reachability[0].to = 'a-host';
      },
      problems: ['network.reachability[0].to: a row from host "a-host" to itself checks no path'],
    },
  ],
  'a file must describe something': [
    {
      says: 'nothing but accounts',
      edit: (t) => {
        delete t.network;
        delete t.endpoints;
        delete t.dataProtection;
      },
      problems: ['(root): describes nothing to check: give network, endpoints or dataProtection'],
    },
    {
      says: 'an endpoints section with no VPC and no probe, and nothing else',
      edit: (t) => {
        delete t.network;
        delete t.dataProtection;
        t.endpoints = { vpcs: [] };
      },
      problems: [
        '(root): describes nothing to check: give network, endpoints or dataProtection',
        'endpoints: names no VPC and no probe, so nothing would be checked: remove it or fill it in',
      ],
    },
  ],
};

describe('targets rules, each broken alone, reported word for word', () => {
  test('the unbroken lab has no problem', ({ expect }) => {
    expect(problemsOf(lab())).toEqual([]);
  });

  for (const [kind, table] of Object.entries(rows))
    describe(kind, () => {
      test.for(table)('$says', (row, { expect }) => {
        const file = lab();
        row.edit(file);
        expect(problemsOf(file)).toEqual(row.problems);
      });
    });
});

describe('what the rules let through', () => {
  test.for<[string, (t: File) => void]>([
    [
      'a file with only data protection',
      (t) => {
        delete t.network;
        delete t.endpoints;
      },
    ],
    [
      'a file with only a network',
      (t) => {
        delete t.endpoints;
        delete t.dataProtection;
      },
    ],
    [
      'a file with only endpoint VPCs (and their network)',
      (t) => {
        delete t.endpoints.probe;
        delete t.dataProtection;
      },
    ],
    [
      'a file with only a probe (and its network)',
      (t) => {
        t.endpoints.vpcs = [];
        delete t.dataProtection;
      },
    ],
    [
      'the probe role given as its ARN in the lab account',
      (t) => {
        t.endpoints.probe.role = ARN('123456789012');
      },
    ],
    [
      'a lab account without an id: roles and functions of any account are left to AWS',
      (t) => {
        delete t.accounts.lab.id;
        t.endpoints.probe.role = ARN('999999999999');
        t.endpoints.probe.placements[0].deployed =
          'arn:aws:lambda:eu-west-1:999999999999:function:meshcheck-a';
      },
    ],
    [
      'a deployed probe by ARN in the lab account and Region',
      (t) => {
        t.endpoints.probe.placements[0].deployed =
          'arn:aws:lambda:eu-west-1:123456789012:function:meshcheck-a';
      },
    ],
    [
      'a runner role in the account it is given for, or in an account without an id',
      (t) => {
        t.accounts.lab.assumeRoleArn = ARN('123456789012', 'runner');
        t.accounts.other = { assumeRoleArn: ARN('999999999999', 'runner') };
      },
    ],
    [
      'exactly as many free addresses as a /24 has (251)',
      (t) => {
        t.network.vpcs[0].subnets[0].minFreeAddresses = 251;
      },
    ],
    [
      'a zone of the Region',
      (t) => {
        t.network.vpcs[0].subnets[1].availabilityZone = 'eu-west-1c';
      },
    ],
    [
      'a host without an address',
      (t) => {
        delete t.network.hosts[0].privateIp;
      },
    ],
    [
      'the first and last addresses a subnet lends',
      (t) => {
        t.network.hosts[0].privateIp = '10.10.1.4';
        t.network.hosts[1].privateIp = '10.20.1.254';
      },
    ],
    [
      'the same pair over ICMP and TCP, and both directions',
      (t) => {
        t.network.reachability.push(
          { from: 'a-host', to: 'b-host', expect: 'deny', protocol: { tcp: 22 } },
          { from: 'b-host', to: 'a-host', expect: 'deny' },
        );
      },
    ],
    [
      'two hosts of one VPC in a row (a VPC does not overlap itself)',
      (t) => {
        t.network.hosts[1] = { name: 'b-host', subnet: 'a-2', privateIp: '10.10.2.10' };
      },
    ],
    [
      'the same principal allowed one action and denied another',
      (t) => {
        t.dataProtection.keys[0].generateDataKey = { allow: ['runner'], deny: ['role:AuditRole'] };
      },
    ],
    [
      'one name in different kinds and different lists',
      (t) => {
        t.network.hosts[0].name = 'a-1';
        t.network.reachability[0].from = 'a-1';
        t.dataProtection.readers = ['Same'];
        t.dataProtection.pipelineRoles = ['Same'];
      },
    ],
  ])('%s', ([, edit], { expect }) => {
    const file = lab();
    edit(file);
    expect(problemsOf(file)).toEqual([]);
  });

  test('names that match no VPC are reported as missing, and not also as overlaps', ({ expect }) => {
    const file = lab();
    file.network.peerings = [{ name: 'ghost', requester: 'a-vpc', accepter: 'nowhere' }];
    file.network.hosts.push({ name: 'lost', subnet: 'no-such-subnet' });
    file.network.reachability.push({ from: 'lost', to: 'a-host', expect: 'deny' });
    expect(problemsOf(file)).toEqual([
      'network.hosts[2].subnet: no subnet "no-such-subnet" in network.vpcs',
      'network.peerings[0].accepter: no VPC "nowhere" in network.vpcs',
    ]);
  });
});
