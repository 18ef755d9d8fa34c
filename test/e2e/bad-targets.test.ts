import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { clientsFor } from '../../helpers/clients.ts';
import { TargetsError } from '../../helpers/errors.ts';
import { loadTargets, resolveTargets, type Targets } from '../../helpers/targets/index.ts';
import type { ApiCall } from '../../twin/core/audit.ts';
import { rootCredential } from '../../twin/twin.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * Bad targets never reach AWS. The unit tests in test/unit/helpers/targets/
 * hold one row per case; here one file per class goes through `meshcheck
 * validate --targets` against the reference twin (each run starts a CLI
 * process, so no more than one per class): it exits 2, names the field, and
 * the twin's call log shows no call at all (a fault in the file) or only
 * read-only look-ups (a name AWS does not know). The look-ups themselves
 * are proved in-process with resolveTargets, which is cheap.
 */
let lab: ReferenceTwin;
let dir: string;
const example = join(ROOT, 'targets.example.json');
// biome-ignore lint/suspicious/noExplicitAny: the file is edited as JSON
const exampleFile = async (): Promise<any> => JSON.parse(await readFile(example, 'utf8'));

beforeAll(async () => {
  lab = await serveReferenceLab();
  dir = await mkdtemp(join(tmpdir(), 'meshcheck-bad-targets-'));
});
const fifos: string[] = [];
afterAll(async () => {
  // Release any reader left blocked on a FIFO (the old loader), so its process can end.
  for (const fifo of fifos)
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      // nobody is waiting on it
    }
  await lab?.close();
});

const env = () => twinEnv(lab.endpoint, lab.runner());

/** What the twin served since `from`: the calls a run made. */
const callsSince = (from: number): ApiCall[] => lab.server.twin.calls.slice(from);

/**
 * sts:AssumeRole reaches the second account's role and changes nothing;
 * CloudTrail marks it read-only, the twin's coarse verb rule does not.
 */
const mutating = (calls: ApiCall[]) =>
  calls
    .filter((c) => !c.readOnly && c.eventName !== 'AssumeRole')
    .map((c) => `${c.eventSource} ${c.eventName}`);

async function fileWith(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('a bad targets file exits 2 with no AWS call, naming the field', () => {
  const cases: { kind: string; field: string; make: () => Promise<string> }[] = [
    {
      kind: 'a contradiction inside the file (overlapping subnets)',
      field: 'network.vpcs[0].subnets[1].cidr',
      make: async () => {
        const t = await exampleFile();
        t.network.vpcs[0].subnets[1].cidr = t.network.vpcs[0].subnets[0].cidr;
        return fileWith('overlap.json', JSON.stringify(t));
      },
    },
    {
      kind: 'a name holding an EC2 filter wildcard',
      field: 'network.transitGateway.name',
      make: async () => {
        const t = await exampleFile();
        t.network.transitGateway.name = `${t.network.transitGateway.name.slice(0, -1)}?`;
        return fileWith('wildcard.json', JSON.stringify(t));
      },
    },
    {
      kind: 'a file that describes nothing to check',
      field: '(root)',
      make: async () => {
        const t = await exampleFile();
        return fileWith('nothing.json', JSON.stringify({ region: t.region, accounts: { lab: {} } }));
      },
    },
    {
      kind: 'a value AWS would refuse (a probe role the runner policy cannot pass to Lambda)',
      field: 'endpoints.probe.role',
      make: async () => {
        const t = await exampleFile();
        t.endpoints.probe.role = 'lab-probe-role';
        return fileWith('role.json', JSON.stringify(t));
      },
    },
    {
      kind: 'a key given twice',
      field: 'region',
      make: async () =>
        fileWith('twice.json', (await readFile(example, 'utf8')).replace('{', '{"region": "eu-west-1",')),
    },
    {
      kind: 'a FIFO with no writer',
      field: 'bad.fifo',
      make: async () => {
        const fifo = join(dir, 'bad.fifo');
        execFileSync('mkfifo', [fifo]);
        fifos.push(fifo);
        return fifo;
      },
    },
  ];

  test.concurrent.for(cases)('$kind', async ({ field, make }, { expect }) => {
    const path = await make();
    const before = lab.server.requestCount;
    const run = await runValidate(['--targets', path], env());
    expect(run.code, run.stderr.slice(-1500)).toBe(2);
    expect(run.stderr).toContain(field);
    // The reports are replaced all the same (no stale pass for a dashboard), and say the input was bad.
    expect(run.results?.exitCode, 'results.json of this run').toBe(2);
    expect(run.results?.tests, 'checks run').toEqual([]);
    // Other rows run alongside, but none of them may reach the twin either.
    expect(lab.server.requestCount - before, 'requests the twin received').toBe(0);
  });
});

describe('a name AWS does not know exits 2 after read-only look-ups, before any check', () => {
  test('a receipt bucket that does not exist', async ({ expect }) => {
    const t = await exampleFile();
    t.dataProtection.receiptBucket = 'meshcheck-no-such-receipts';
    const path = await fileWith('no-bucket.json', JSON.stringify(t));
    const from = lab.server.twin.calls.length;
    const run = await runValidate(['--targets', path], env());
    expect(run.code, run.stderr.slice(-1500)).toBe(2);
    expect(run.stderr).toMatch(
      /dataProtection\.receiptBucket: no S3 bucket named "meshcheck-no-such-receipts"/,
    );
    const calls = callsSince(from);
    expect(calls.map((c) => c.eventName)).toContain('HeadBucket');
    expect(mutating(calls), 'mutating calls').toEqual([]);
  });
});

describe('resolveTargets is literal and checks buckets (against the reference twin)', () => {
  beforeAll(() => {
    Object.assign(process.env, env());
  });

  /** The problems resolveTargets reports, and the calls it made. */
  async function resolving(edit: (t: Targets) => void): Promise<{ problems: string[]; calls: ApiCall[] }> {
    const targets = await loadTargets(example);
    edit(targets);
    const from = lab.server.twin.calls.length;
    const problems = await resolveTargets(targets).then(
      () => [],
      (e) => {
        if (e instanceof TargetsError) return e.problems;
        throw e;
      },
    );
    return { problems, calls: callsSince(from) };
  }

  test.for([
    {
      says: 'a missing probe bucket',
      field: 'endpoints.probe.bucket',
      edit: (t: Targets) => {
        t.endpoints!.probe!.bucket = 'meshcheck-no-such-probe-bucket';
      },
    },
    {
      says: 'a missing receipt bucket',
      field: 'dataProtection.receiptBucket',
      edit: (t: Targets) => {
        t.dataProtection!.receiptBucket = 'meshcheck-no-such-receipts';
      },
    },
    {
      says: 'a VPC name that is a pattern, not a name (past the schema)',
      field: 'network.vpcs[1].name',
      edit: (t: Targets) => {
        const vpc = t.network!.vpcs[1]!;
        vpc.name = `${vpc.name.slice(0, -1)}?`; // matches that one VPC only, as a pattern
      },
    },
    {
      says: 'a security group name that is a pattern (past the schema)',
      field: 'endpoints.probe.placements[0].securityGroups[0]',
      edit: (t: Targets) => {
        const p = t.endpoints!.probe!.placements[0]!;
        p.securityGroups = [`${p.securityGroups[0]!.slice(0, -1)}?`];
      },
    },
  ])(
    '$says is a TargetsError naming $field, after read-only calls only',
    async ({ field, edit }, { expect }) => {
      const { problems, calls } = await resolving(edit);
      expect(
        problems.filter((p) => p.startsWith(`${field}: `)),
        problems.join('\n'),
      ).toHaveLength(1);
      expect(calls.length).toBeGreaterThan(0);
      expect(mutating(calls), 'mutating calls').toEqual([]);
    },
  );

  test('a probe bucket in another Region is a TargetsError naming the field', async ({ expect }) => {
    const accountId = (await loadTargets(example)).accounts.lab!.id!;
    const elsewhere = 'meshcheck-bucket-in-eu-west-1';
    const root = rootCredential(accountId);
    await clientsFor({ region: 'eu-west-1', endpoint: lab.endpoint, credentials: root }).s3.send(
      new CreateBucketCommand({
        Bucket: elsewhere,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const { problems, calls } = await resolving((t) => {
      t.endpoints!.probe!.bucket = elsewhere;
    });
    expect(problems).toEqual([
      `endpoints.probe.bucket: bucket "${elsewhere}" is in eu-west-1, not us-east-1`,
    ]);
    expect(mutating(calls), 'mutating calls').toEqual([]);
  });

  test('the reference lab resolves, each bucket it names looked up once', async ({ expect }) => {
    const t = await loadTargets(example);
    const named = new Set([
      t.endpoints!.probe!.bucket,
      t.dataProtection!.receiptBucket,
      ...t.application!.buckets.map((b) => b.name),
    ]);
    const { problems, calls } = await resolving(() => {});
    expect(problems).toEqual([]);
    const looked = calls
      .filter((c) => c.eventName === 'HeadBucket')
      .map((c) => String(c.requestParameters?.bucketName));
    expect(looked.sort()).toEqual([...named].sort());
  });
});
