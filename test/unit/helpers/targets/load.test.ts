import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, test } from 'vitest';
import { TargetsError } from '../../../../helpers/errors.ts';
import { loadTargets } from '../../../../helpers/targets/index.ts';
import { PROBE_ROLE } from '../../../../helpers/targets/rules.ts';
import { type File, lab, problemsOf } from './small-lab.ts';

/**
 * A bad targets file is refused by loadTargets, before any AWS call, with
 * the field at fault and why. One small lab, broken one way per row.
 */
type Row = { says: string; field: string; why: RegExp; edit: (t: File) => void };

const rows: Record<string, Row[]> = {
  'contradictions inside the file': [
    {
      says: 'a subnet outside its VPC',
      field: 'network.vpcs[0].subnets[1].cidr',
      why: /10\.99\.2\.0\/24 lies outside its VPC a-vpc/,
      edit: (t) => {
        t.network.vpcs[0].subnets[1].cidr = '10.99.2.0/24';
      },
    },
    {
      says: 'a host address outside its subnet',
      field: 'network.hosts[0].privateIp',
      why: /outside its subnet a-1/,
      edit: (t) => {
        t.network.hosts[0].privateIp = '10.10.2.10';
      },
    },
    {
      says: 'a host on an address AWS reserves',
      field: 'network.hosts[0].privateIp',
      why: /reserves/,
      edit: (t) => {
        t.network.hosts[0].privateIp = '10.10.1.255';
      },
    },
    {
      says: 'host bits set in a VPC CIDR',
      field: 'network.vpcs[0].cidr',
      why: /host bits set.*10\.10\.0\.0\/16/,
      edit: (t) => {
        t.network.vpcs[0].cidr = '10.10.7.0/16';
      },
    },
    {
      says: 'host bits set in a route',
      field: 'network.transitGateway.routeTables[0].routes[1].cidr',
      why: /host bits set/,
      edit: (t) => {
        t.network.transitGateway.routeTables[0].routes[1].cidr = '10.20.0.1/16';
      },
    },
    {
      says: 'host bits set in icmpFrom',
      field: 'network.hosts[1].icmpFrom[0]',
      why: /host bits set/,
      edit: (t) => {
        t.network.hosts[1].icmpFrom = ['10.10.1.10/24'];
      },
    },
    {
      says: 'overlapping subnets in one VPC',
      field: 'network.vpcs[0].subnets[1].cidr',
      why: /overlaps subnet a-1/,
      edit: (t) => {
        t.network.vpcs[0].subnets[1].cidr = '10.10.1.128/25';
      },
    },
    {
      says: 'overlapping VPCs on one Transit Gateway',
      field: 'network.vpcs[1].cidr',
      why: /overlaps a-vpc .*must route to each other \(both attached to the Transit Gateway\)/,
      edit: (t) => {
        Object.assign(t.network.vpcs[1], {
          cidr: '10.10.0.0/16',
          subnets: [{ name: 'b-1', cidr: '10.10.9.0/24' }],
          routes: [],
        });
        t.network.hosts[1].privateIp = '10.10.9.10';
      },
    },
    {
      says: 'overlapping peered VPCs',
      field: 'network.vpcs[2].cidr',
      why: /overlaps a-vpc .*peering "a-c"/,
      edit: (t) => {
        t.network.peerings = [{ name: 'a-c', requester: 'a-vpc', accepter: 'c-vpc' }];
      },
    },
    {
      says: 'a duplicate VPC name',
      field: 'network.vpcs[1].name',
      why: /duplicate VPC name "a-vpc"/,
      edit: (t) => {
        t.network.vpcs[1].name = 'a-vpc';
      },
    },
    {
      says: 'a duplicate subnet name across VPCs',
      field: 'network.vpcs[2].subnets[0].name',
      why: /duplicate subnet name "a-1"/,
      edit: (t) => {
        t.network.vpcs[2].subnets[0].name = 'a-1';
      },
    },
    {
      says: 'a duplicate host name',
      field: 'network.hosts[1].name',
      why: /duplicate host name/,
      edit: (t) => {
        t.network.hosts[1] = { ...t.network.hosts[0] };
      },
    },
    {
      says: 'a duplicate attachment name',
      field: 'network.transitGateway.attachments[1].name',
      why: /duplicate attachment name/,
      edit: (t) => {
        t.network.transitGateway.attachments[1].name = 'a-att';
      },
    },
    {
      says: 'a duplicate placement name',
      field: 'endpoints.probe.placements[1].name',
      why: /duplicate placement name/,
      edit: (t) => {
        t.endpoints.probe.placements.push({ ...t.endpoints.probe.placements[0] });
      },
    },
    {
      says: 'a duplicate key alias',
      field: 'dataProtection.keys[1].alias',
      why: /duplicate key alias/,
      edit: (t) => {
        t.dataProtection.keys.push({ alias: 'alias/receipts' });
      },
    },
    {
      says: 'a duplicate order',
      field: 'dataProtection.orders[1].name',
      why: /duplicate order "kiwi"/,
      edit: (t) => {
        t.dataProtection.orders = [
          { name: 'kiwi', quantity: 1, price: 1 },
          { name: 'kiwi', quantity: 2, price: 1 },
        ];
      },
    },
    {
      says: 'one reachability row with both answers',
      field: 'network.reachability[1].expect',
      why: /"deny" here and "allow" at reachability\[0\]/,
      edit: (t) => {
        t.network.reachability.push({ from: 'a-host', to: 'b-host', expect: 'deny' });
      },
    },
    {
      says: 'a repeated reachability row',
      field: 'network.reachability[1]',
      why: /repeats reachability\[0\]/,
      edit: (t) => {
        t.network.reachability.push({ from: 'a-host', to: 'b-host', expect: 'allow' });
      },
    },
    {
      says: 'a row from a host to itself',
      field: 'network.reachability[0].to',
      why: /to itself/,
      edit: (t) => {
        t.network.reachability[0].to = 'a-host';
      },
    },
    {
      says: 'a duplicate VPC route',
      field: 'network.vpcs[0].routes[1].cidr',
      why: /duplicate route for "10\.20\.0\.0\/16"/,
      edit: (t) => {
        t.network.vpcs[0].routes.push({ cidr: '10.20.0.0/16', via: 'transit-gateway' });
      },
    },
    {
      says: 'a duplicate Transit Gateway route',
      field: 'network.transitGateway.routeTables[0].routes[2].cidr',
      why: /duplicate route for/,
      edit: (t) => {
        t.network.transitGateway.routeTables[0].routes.push({
          cidr: '10.20.0.0/16',
          attachment: 'blackhole',
        });
      },
    },
    {
      says: 'a zone of another Region',
      field: 'network.vpcs[0].subnets[0].availabilityZone',
      why: /not a zone of eu-west-1/,
      edit: (t) => {
        t.network.vpcs[0].subnets[0].availabilityZone = 'us-east-1a';
      },
    },
    {
      says: 'more free addresses than the subnet holds',
      field: 'network.vpcs[0].subnets[0].minFreeAddresses',
      why: /251 usable/,
      edit: (t) => {
        t.network.vpcs[0].subnets[0].minFreeAddresses = 300;
      },
    },
    {
      says: 'a principal both allowed and denied',
      field: 'dataProtection.keys[0].decrypt.deny[0]',
      why: /both allowed and denied/,
      edit: (t) => {
        t.dataProtection.keys[0].decrypt.deny = ['role:AuditRole'];
      },
    },
  ],
  'names are literal': [
    {
      says: 'a wildcard in a Transit Gateway name',
      field: 'network.transitGateway.name',
      why: /wildcards/,
      edit: (t) => {
        t.network.transitGateway.name = 'hub*';
      },
    },
    {
      says: 'a wildcard in an instance name',
      field: 'network.hosts[0].instance',
      why: /wildcards/,
      edit: (t) => {
        t.network.hosts[0].instance = 'app-?';
      },
    },
    {
      says: 'a wildcard in a security group',
      field: 'endpoints.probe.placements[0].securityGroups[0]',
      why: /wildcards/,
      edit: (t) => {
        t.endpoints.probe.placements[0].securityGroups = ['*-fn'];
      },
    },
    {
      says: 'a filter escape in a subnet name',
      field: 'network.vpcs[2].subnets[0].name',
      why: /escape/,
      edit: (t) => {
        t.network.vpcs[2].subnets[0].name = 'c\\1';
      },
    },
  ],
  'a file that describes nothing': [
    {
      says: 'no section at all',
      field: '(root)',
      why: /describes nothing to check/,
      edit: (t) => {
        delete t.network;
        delete t.endpoints;
        delete t.dataProtection;
      },
    },
    {
      says: 'an empty endpoints section',
      field: 'endpoints',
      why: /names no VPC and no probe/,
      edit: (t) => {
        t.endpoints = {};
      },
    },
  ],
  'values AWS would refuse': [
    {
      says: 'a role name over 64 characters',
      field: 'dataProtection.readers[0]',
      why: /at most 64/,
      edit: (t) => {
        t.dataProtection.readers = ['R'.repeat(65)];
      },
    },
    {
      says: 'a principal role over 64 characters',
      field: 'dataProtection.keys[0].decrypt.allow[0]',
      why: /at most 64/,
      edit: (t) => {
        t.dataProtection.keys[0].decrypt.allow = [`role:${'R'.repeat(65)}`];
      },
    },
    {
      says: 'a bucket name with capitals',
      field: 'endpoints.probe.bucket',
      why: /S3 bucket name/,
      edit: (t) => {
        t.endpoints.probe.bucket = 'Probe_Scratch';
      },
    },
    {
      says: 'a bucket named like an IP address',
      field: 'dataProtection.receiptBucket',
      why: /IP address/,
      edit: (t) => {
        t.dataProtection.receiptBucket = '192.168.5.4';
      },
    },
    {
      says: 'a bucket with a reserved suffix',
      field: 'dataProtection.receiptBucket',
      why: /reserved suffix/,
      edit: (t) => {
        t.dataProtection.receiptBucket = 'receipts-s3alias';
      },
    },
    {
      says: 'a key without alias/',
      field: 'dataProtection.eventsKey',
      why: /alias\//,
      edit: (t) => {
        t.dataProtection.eventsKey = 'orders';
      },
    },
    {
      says: 'a queue name over 80 characters',
      field: 'dataProtection.queue',
      why: /at most 80/,
      edit: (t) => {
        t.dataProtection.queue = 'q'.repeat(81);
      },
    },
    {
      says: 'a topic name with a dot',
      field: 'dataProtection.topic',
      why: /SNS topic name/,
      edit: (t) => {
        t.dataProtection.topic = 'orders.events';
      },
    },
    {
      says: 'a Name tag over 256 characters',
      field: 'network.transitGateway.name',
      why: /at most 256/,
      edit: (t) => {
        t.network.transitGateway.name = 'n'.repeat(257);
      },
    },
    {
      says: 'a VPC larger than /16',
      field: 'network.vpcs[2].cidr',
      why: /\/16 to \/28/,
      edit: (t) => {
        t.network.vpcs[2].cidr = '10.0.0.0/8';
      },
    },
    {
      says: 'a probe role the runner may not pass',
      field: 'endpoints.probe.role',
      why: /pass only the role "meshcheck-probe"/,
      edit: (t) => {
        t.endpoints.probe.role = 'lab-probe-role';
      },
    },
    {
      says: 'a probe role behind a path',
      field: 'endpoints.probe.role',
      why: /pass only the role/,
      edit: (t) => {
        t.endpoints.probe.role = `arn:aws:iam::123456789012:role/team/${PROBE_ROLE}`;
      },
    },
    {
      says: 'a probe role in another account',
      field: 'endpoints.probe.role',
      why: /not the lab account/,
      edit: (t) => {
        t.endpoints.probe.role = `arn:aws:iam::999999999999:role/${PROBE_ROLE}`;
      },
    },
    {
      says: 'a deployed probe in another Region',
      field: 'endpoints.probe.placements[0].deployed',
      why: /in us-east-1/,
      edit: (t) => {
        t.endpoints.probe.placements[0].deployed =
          'arn:aws:lambda:us-east-1:123456789012:function:meshcheck-a';
      },
    },
    {
      says: 'a runner role in another account',
      field: 'accounts.lab.assumeRoleArn',
      why: /account 999999999999/,
      edit: (t) => {
        t.accounts.lab.assumeRoleArn = 'arn:aws:iam::999999999999:role/runner';
      },
    },
  ],
};

describe('loadTargets refuses a bad file before any AWS call, naming the field and why', () => {
  test('the unbroken lab is accepted', ({ expect }) => {
    expect(problemsOf(lab())).toEqual([]);
  });

  for (const [kind, table] of Object.entries(rows))
    describe(kind, () => {
      test.for(table)('$says → $field', (row, { expect }) => {
        const file = lab();
        row.edit(file);
        const problems = problemsOf(file);
        const mine = problems.filter((p) => p.startsWith(`${row.field}: `));
        expect(mine, problems.join('\n')).not.toEqual([]);
        expect(mine.join('\n')).toMatch(row.why);
      });
    });

  test('overlapping VPCs that never route to each other are fine, as are other roles for deployed probes', ({
    expect,
  }) => {
    const file = lab();
    file.endpoints.probe.role = 'lab-probe-role';
    file.endpoints.probe.placements[0].deployed = 'meshcheck-standing';
    expect(problemsOf(file)).toEqual([]);
  });

  test('names are data: a VPC name holding a line break, escapes and NUL is checked, not crashed on', ({
    expect,
  }) => {
    const file = JSON.parse(
      JSON.stringify(lab()).replaceAll('"a-vpc"', JSON.stringify('a\nvpc\u001b[2J\u0000')),
    );
    expect(problemsOf(file)).toEqual([]);
    file.network.vpcs[1].cidr = '10.10.0.0/16';
    expect(problemsOf(file).join('\n')).toContain('network.vpcs[1].cidr: 10.10.0.0/16 overlaps a\nvpc');
  });
});

describe('reading the file', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });
  const dir = mkdtemp(join(tmpdir(), 'meshcheck-targets-'));
  const within = <T>(ms: number, work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, no) => setTimeout(() => no(new Error(`still reading after ${ms} ms`)), ms)),
    ]);
  const refusal = (path: string) =>
    within(2_000, loadTargets(path)).then(
      () => 'accepted',
      (e: Error) => (e instanceof TargetsError ? e.message : `${e.name}: ${e.message}`),
    );

  test('a FIFO with no writer is refused at once, not read', async ({ expect }) => {
    const fifo = join(await dir, 'targets.fifo');
    execFileSync('mkfifo', [fifo]);
    // Old code blocks in open(2) on a worker thread: release it so the test process can end.
    cleanups.push(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // no reader waiting
      }
    });
    expect(await refusal(fifo)).toMatch(/FIFO .*not a regular file/);
  });

  test('a directory is refused as not a regular file', async ({ expect }) => {
    const sub = join(await dir, 'a-dir');
    await mkdir(sub);
    expect(await refusal(sub)).toMatch(/a directory, not a regular file/);
  });

  test.for([
    {
      says: 'a key given twice at the top',
      field: 'region',
      text: (s: string) => s.replace('{', '{"region": "us-east-1", '),
    },
    {
      says: 'an account given twice',
      field: 'accounts.lab',
      text: (s: string) => s.replace('"accounts":{', '"accounts":{"lab":{},'),
    },
    {
      says: 'a key twice inside an array item',
      field: 'network.hosts[1].privateIp',
      text: (s: string) =>
        s.replace('"privateIp":"10.20.1.10"', '"privateIp":"10.20.1.11","privateIp":"10.20.1.10"'),
    },
  ])('duplicate keys are reported, not resolved: $says', async ({ text, field }, { expect }) => {
    const path = join(await dir, `${field}.json`);
    const json = text(JSON.stringify(lab()));
    expect(json).not.toBe(JSON.stringify(lab()));
    await writeFile(path, json);
    expect(await refusal(path)).toContain(`${field}: duplicate key`);
  });

  const problemsFrom = (path: string) =>
    loadTargets(path).then(
      () => ['accepted'],
      (e: TargetsError) => e.problems,
    );

  test("a file that is not JSON is refused with the parser's words, naming the file", async ({ expect }) => {
    const path = join(await dir, 'broken.json');
    await writeFile(path, '{"region": ');
    expect(await refusal(path)).toMatch(new RegExp(`^${path.replaceAll('.', '\\.')} is not valid JSON: \\S`));
  });

  test("every duplicate key is listed, each on its own line under the file's name", async ({ expect }) => {
    const path = join(await dir, 'twice.json');
    await writeFile(
      path,
      '{"region": "eu-west-1", "region": "eu-west-2", "accounts": {"lab": {}, "lab": {}}}',
    );
    expect(await refusal(path)).toBe(
      `${path} is not a valid targets file:\n  region: duplicate key (JSON keeps the last one)\n  accounts.lab: duplicate key (JSON keeps the last one)`,
    );
    expect(await problemsFrom(path)).toEqual([
      'region: duplicate key (JSON keeps the last one)',
      'accounts.lab: duplicate key (JSON keeps the last one)',
    ]);
  });

  test('a file that breaks the schema is named in the refusal', async ({ expect }) => {
    const path = join(await dir, 'nothing.json');
    await writeFile(path, JSON.stringify({ region: 'eu-west-1', accounts: { lab: {} } }));
    expect(await refusal(path)).toBe(
      `${path} is not a valid targets file:\n  (root): describes nothing to check: give network, endpoints or dataProtection`,
    );
  });

  test('a file that is not there is refused with why', async ({ expect }) => {
    const path = join(await dir, 'absent.json');
    expect(await refusal(path)).toMatch(
      new RegExp(`^cannot read targets file ${path.replaceAll('.', '\\.')}: ENOENT`),
    );
  });

  test('a device and a socket are refused as what they are, not read', async ({ expect }) => {
    expect(await refusal('/dev/null')).toBe(
      'cannot read targets file /dev/null: a device, not a regular file',
    );
    const socket = join(await dir, 'targets.sock');
    const server = createServer();
    await new Promise<void>((done) => server.listen(socket, done));
    try {
      expect(await refusal(socket)).toBe(`cannot read targets file ${socket}: a socket, not a regular file`);
    } finally {
      server.close();
    }
  });

  test('a file of 4 MiB is read; one byte more is refused unread', async ({ expect }) => {
    const limit = 4 * 1024 * 1024;
    // Not JSON from its first byte, so reading it is the only work: the parser's words prove it was read.
    const atLimit = join(await dir, 'at-limit.json');
    await writeFile(atLimit, 'x'.padEnd(limit, ' '));
    expect(await refusal(atLimit)).toMatch(/ is not valid JSON: /);
    const over = join(await dir, 'over.json');
    await writeFile(over, 'x'.padEnd(limit + 1, ' '));
    expect(await refusal(over)).toBe(
      `cannot read targets file ${over}: ${limit + 1} bytes; a targets file is at most ${limit}`,
    );
  });

  test('targets.example.json reads without a problem', async ({ expect }) => {
    const path = join(__dirname, '../../../../targets.example.json');
    expect(JSON.parse(await readFile(path, 'utf8')).region).toBeTruthy();
    expect(await refusal(path).catch(String)).toBe('accepted');
  });
});
