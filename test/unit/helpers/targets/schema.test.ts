import { describe, test } from 'vitest';
import type { TargetsError } from '../../../../helpers/errors.ts';
import { parseTargets, targetsSchema } from '../../../../helpers/targets/index.ts';
import { type File, lab, problemsOf } from './small-lab.ts';

/**
 * What the schema itself checks before the rules: every name a section uses
 * is declared where it belongs, receipts are found one way, and the defaults
 * a user leaves out are the ones the docs promise.
 */

type Row = { says: string; edit: (t: File) => void; problems: string[] };

const rows: Record<string, Row[]> = {
  'every name used is declared': [
    {
      says: 'a VPC in an account that is not declared',
      edit: (t) => {
        t.network.vpcs[2].account = 'audit';
      },
      problems: ['network.vpcs[2].account: no account "audit" in accounts'],
    },
    {
      says: "a host's subnet and account",
      edit: (t) => {
        t.network.hosts[1].subnet = 'z-9';
        t.network.hosts[1].account = 'audit';
      },
      problems: [
        'network.hosts[1].subnet: no subnet "z-9" in network.vpcs',
        'network.hosts[1].account: no account "audit" in accounts',
      ],
    },
    {
      says: 'both ends of a reachability row',
      edit: (t) => {
        t.network.reachability[0] = { from: 'x-host', to: 'y-host', expect: 'deny' };
      },
      problems: [
        'network.reachability[0].from: no host "x-host" in network.hosts',
        'network.reachability[0].to: no host "y-host" in network.hosts',
      ],
    },
    {
      says: 'a route through a peering that is not declared',
      edit: (t) => {
        t.network.vpcs[1].routes.push({ cidr: '10.30.0.0/16', via: { peering: 'b-c' } });
      },
      problems: ['network.vpcs[1].routes[1].via.peering: no peering "b-c" in network.peerings'],
    },
    {
      says: 'a route through a Transit Gateway the network has not',
      edit: (t) => {
        delete t.network.transitGateway;
        t.network.reachability = [];
      },
      problems: [
        'network.vpcs[0].routes[0].via: no transitGateway in network',
        'network.vpcs[1].routes[0].via: no transitGateway in network',
      ],
    },
    {
      says: 'both VPCs of a peering',
      edit: (t) => {
        t.network.peerings = [{ name: 'p', requester: 'r-vpc', accepter: 'q-vpc' }];
      },
      problems: [
        'network.peerings[0].requester: no VPC "r-vpc" in network.vpcs',
        'network.peerings[0].accepter: no VPC "q-vpc" in network.vpcs',
      ],
    },
    {
      says: "an attachment's VPC and route table",
      edit: (t) => {
        t.network.transitGateway.attachments[1].vpc = 'z-vpc';
        t.network.transitGateway.attachments[1].routeTable = 'rt-z';
      },
      problems: [
        'network.transitGateway.attachments[1].vpc: no VPC "z-vpc" in network.vpcs',
        'network.transitGateway.attachments[1].routeTable: no route table "rt-z" in transitGateway.routeTables',
      ],
    },
    {
      says: "a Transit Gateway route's attachment",
      edit: (t) => {
        t.network.transitGateway.routeTables[0].routes.push({ cidr: '10.30.0.0/16', attachment: 'c-att' });
      },
      problems: [
        'network.transitGateway.routeTables[0].routes[2].attachment: no attachment "c-att" in transitGateway.attachments',
      ],
    },
    {
      says: "an endpoint entry's VPC and its S3 policy accounts",
      edit: (t) => {
        t.endpoints.vpcs.push({ vpc: 'z-vpc', s3PolicyAccounts: ['lab', 'audit'] });
      },
      problems: [
        'endpoints.vpcs[1].vpc: no VPC "z-vpc" in network.vpcs',
        'endpoints.vpcs[1].s3PolicyAccounts[1]: no account "audit" in accounts',
      ],
    },
    {
      says: "a placement's VPC (its subnets are then not looked at)",
      edit: (t) => {
        t.endpoints.probe.placements[0].vpc = 'z-vpc';
      },
      problems: ['endpoints.probe.placements[0].vpc: no VPC "z-vpc" in network.vpcs'],
    },
    {
      says: "a placement's subnet of another VPC",
      edit: (t) => {
        t.endpoints.probe.placements[0].subnets = ['a-1', 'b-1'];
      },
      problems: ['endpoints.probe.placements[0].subnets[1]: no subnet "b-1" in a-vpc'],
    },
    {
      says: 'endpoints with no network to name their VPCs',
      edit: (t) => {
        delete t.network;
      },
      problems: [
        'endpoints.vpcs[0].vpc: no VPC "a-vpc" in network.vpcs',
        'endpoints.probe.placements[0].vpc: no VPC "a-vpc" in network.vpcs',
      ],
    },
    {
      says: 'accounts without the lab, with functions and roles named by ARN (no lab id to compare them with)',
      edit: (t) => {
        t.accounts = { audit: { id: '123456789012' } };
        t.network.vpcs.forEach((v: File) => {
          v.account = 'audit';
        });
        t.network.hosts.forEach((h: File) => {
          h.account = 'audit';
        });
        t.endpoints.probe.role = 'arn:aws:iam::999999999999:role/meshcheck-probe';
        t.endpoints.probe.placements[0].deployed =
          'arn:aws:lambda:eu-west-1:999999999999:function:meshcheck-a';
        delete t.dataProtection;
      },
      problems: ['accounts: must name the "lab" account'],
    },
    {
      says: 'accounts without the lab',
      edit: (t) => {
        t.accounts = { audit: {} };
        delete t.network;
        delete t.endpoints;
      },
      problems: ['accounts: must name the "lab" account'],
    },
  ],
  'receipts are found one way': [
    {
      says: 'a key template and a search prefix both',
      edit: (t) => {
        t.dataProtection.receiptKeyTemplate = 'r/{messageId}.txt';
        t.dataProtection.receiptSearchPrefix = 'r/';
      },
      problems: [
        'dataProtection.receiptSearchPrefix: name receipts by receiptKeyTemplate or find them by receiptSearchPrefix, not both',
      ],
    },
    {
      says: 'a search with no reader to read as',
      edit: (t) => {
        t.dataProtection.receiptSearchPrefix = 'r/';
        t.dataProtection.readers = [];
      },
      problems: [
        'dataProtection.receiptSearchPrefix: receipts found by search are read as a reader: name one in dataProtection.readers',
      ],
    },
    {
      says: 'a template that names no order',
      edit: (t) => {
        t.dataProtection.receiptKeyTemplate = 'receipts/{fruit}.txt';
      },
      problems: [
        'dataProtection.receiptKeyTemplate: a key naming {messageId} or {reference}, so each order has its own',
      ],
    },
    {
      says: 'a template with a field the suite cannot know',
      edit: (t) => {
        t.dataProtection.receiptKeyTemplate = 'receipts/{reference}-{queueMessageId}.txt';
      },
      problems: ['dataProtection.receiptKeyTemplate: only {messageId}, {reference} and {fruit}'],
    },
  ],
};

describe('the schema refuses what a section cannot mean, word for word', () => {
  for (const [kind, table] of Object.entries(rows))
    describe(kind, () => {
      test.for(table)('$says', (row, { expect }) => {
        const file = lab();
        row.edit(file);
        expect(problemsOf(file)).toEqual(row.problems);
      });
    });

  test.for(['receipts/{messageId}.txt', 'r/{reference}/{fruit}.json', '{fruit}-{messageId}'])(
    'a template of known fields is taken: %s',
    (template, { expect }) => {
      const file = lab();
      file.dataProtection.receiptKeyTemplate = template;
      expect(problemsOf(file)).toEqual([]);
    },
  );

  test('a search prefix with a reader and no template is taken', ({ expect }) => {
    const file = lab();
    file.dataProtection.receiptSearchPrefix = '';
    expect(problemsOf(file)).toEqual([]);
  });

  test('no readers is fine while receipts are found by key', ({ expect }) => {
    const file = lab();
    file.dataProtection.readers = [];
    expect(problemsOf(file)).toEqual([]);
  });

  test('a route over a peering needs no Transit Gateway', ({ expect }) => {
    const file = lab();
    delete file.network.transitGateway;
    file.network.peerings = [{ name: 'a-b', requester: 'a-vpc', accepter: 'b-vpc' }];
    file.network.vpcs[0].routes = [{ cidr: '10.20.0.0/16', via: { peering: 'a-b' } }];
    file.network.vpcs[1].routes = [{ cidr: '10.10.0.0/16', via: { peering: 'a-b' } }];
    expect(problemsOf(file)).toEqual([]);
  });

  test('a blackhole route names no attachment, and a TGW route over a peering is fine', ({ expect }) => {
    const file = lab();
    file.network.transitGateway.routeTables[0].routes.push({ cidr: '10.30.0.0/16', attachment: 'blackhole' });
    file.network.peerings = [{ name: 'a-b', requester: 'a-vpc', accepter: 'b-vpc' }];
    file.network.vpcs[0].routes.push({ cidr: '10.21.0.0/16', via: { peering: 'a-b' } });
    expect(problemsOf(file)).toEqual([]);
  });
});

describe('what a user may leave out', () => {
  test('accounts default to the lab, lists to empty, the Transit Gateway to isolated tables', ({
    expect,
  }) => {
    const file = lab();
    delete file.network.vpcs[0].routes;
    const t = parseTargets(file);
    const net = t.network!;
    expect(net.vpcs.map((v) => v.account)).toEqual(['lab', 'lab', 'lab']);
    expect(net.vpcs[0]!.routes).toEqual([]);
    expect(net.hosts[0]).toMatchObject({ account: 'lab', icmpFrom: [] });
    expect(net.peerings).toEqual([]);
    expect(net.transitGateway!.options).toEqual({
      dnsSupport: true,
      autoAcceptSharedAttachments: false,
      defaultRouteTableAssociation: false,
      defaultRouteTablePropagation: false,
    });
    expect(net.ping).toEqual({ count: 3, timeoutSeconds: 1 });
    expect(net.reachability[0]!.protocol).toBe('icmp');
  });

  test('the probe: no internet, 3 s to connect, 2 s for an answer', ({ expect }) => {
    const probe = parseTargets(lab()).endpoints!.probe!;
    expect(probe).toMatchObject({
      internetHost: 'checkip.amazonaws.com',
      attemptTimeoutMs: 3_000,
      answerTimeoutMs: 2_000,
    });
    expect(probe.placements[0]!.expect).toEqual({ s3: 'ok', internet: 'timeout' });
  });

  test("data protection: the write-up's seven fruits, 180 s for a receipt, 20 min for CloudTrail", ({
    expect,
  }) => {
    const dp = parseTargets(lab()).dataProtection!;
    expect(dp.orders.map((o) => `${o.name} ${o.quantity} × ${o.price}`)).toEqual([
      'apple 3 × 2',
      'orange 4 × 3',
      'banana 5 × 4',
      'grape 3 × 5',
      'plum 4 × 6',
      'pineapple 5 × 7',
      'mango 3 × 8',
    ]);
    expect(dp).toMatchObject({ receiptTimeoutSeconds: 180, cloudTrailTimeoutSeconds: 1200 });
    expect(dp.keys[0]!.generateDataKey).toEqual({ allow: [], deny: [] });
  });
});

describe('the exported schema, as tools that call it see it', () => {
  test('problems the checks add are zod "custom" issues, each at its field', ({ expect }) => {
    const file = lab();
    file.dataProtection.receiptKeyTemplate = 'r/{messageId}';
    file.dataProtection.receiptSearchPrefix = 'r/';
    file.dataProtection.readers = [];
    file.network.hosts[0].subnet = 'z-9';
    file.endpoints.vpcs[0].vpc = 'z-vpc';
    file.dataProtection.receiptBucket = 'receipts-s3alias';
    file.network.vpcs[0].cidr = '10.10.7.0/16';
    file.network.reachability[0].to = 'a-host';
    const result = targetsSchema.safeParse(file);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.code, i.path.join('.')])).toEqual([
      ['custom', 'network.vpcs.0.cidr'],
      ['custom', 'dataProtection.receiptBucket'],
      ['custom', 'dataProtection.receiptSearchPrefix'],
      ['custom', 'dataProtection.receiptSearchPrefix'],
      ['custom', 'endpoints.vpcs.0.vpc'],
      ['custom', 'network.hosts.0.subnet'],
      ['custom', 'network.reachability.0.to'],
    ]);
  });

  test('parseTargets names its source, "targets" when none is given', ({ expect }) => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as TargetsError).message;
      }
      return 'accepted';
    };
    expect(refusal(() => parseTargets({ region: 'eu-west-1', accounts: { lab: {} } }))).toBe(
      'targets is not a valid targets file:\n  (root): describes nothing to check: give network, endpoints or dataProtection',
    );
    expect(refusal(() => parseTargets({}, 'lab.json'))).toMatch(/\n {2}region: .*\n {2}accounts: /);
    expect(refusal(() => parseTargets({}, 'lab.json'))).toMatch(
      /^lab\.json is not a valid targets file:\n {2}region: /,
    );
  });
});
