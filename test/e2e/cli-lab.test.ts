import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { findPython } from '../../twin/runtime/python/interpreter.ts';
import { rootCredential } from '../../twin/twin.ts';
import { listenAwsCli } from '../support/aws-cli.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../support/twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * The README's walk-through: an empty twin, a lab built on it with the AWS
 * CLI alone (lab/cli-lab/build.sh), then `validate --targets` with that
 * lab's targets — it conforms; one change made with the CLI, and exactly the
 * item it touches fails. Its application is seed 000's: the event writer,
 * deployed with the CLI in Python, writes its item and object when invoked
 * (the twin runs it with a local python3 and boto3; without them those
 * tests are skipped, saying why).
 */
const run = promisify(execFile);
const targets = join(ROOT, 'lab/cli-lab/targets.json');
/** The region build.sh builds in by default, as its targets say. */
const REGION = 'us-west-2';
let twin: TestTwin;
let root: { accessKeyId: string; secretAccessKey: string };
/** The runner build.sh makes: policies/runner.json, and the right to assume the archive's meshcheck-runner. */
let runner: { accessKeyId: string; secretAccessKey: string };
const python = await findPython();
const NO_PYTHON =
  'no python3 with boto3 on PATH: the twin cannot run the Python writer (apt-get install python3-boto3)';

describe.runIf(hasAwsCli)('a lab built with the AWS CLI on an empty twin', () => {
  beforeAll(async () => {
    twin = await startTestTwin();
    const r = rootCredential(twin.server.twin.accounts[0]!);
    root = { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey };
    const a = rootCredential(twin.server.twin.accounts[1]!);
    const archiveRoot = { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey };
    // The script's `aws` is the CLI, run in one session for the whole build (test/support/aws-cli-session.py).
    const cli = await listenAwsCli();
    const { stdout } = await run('bash', [join(ROOT, 'lab/cli-lab/build.sh')], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        ...cli.env,
        ENDPOINT: twin.endpoint,
        AWS_ACCESS_KEY_ID: root.accessKeyId,
        AWS_SECRET_ACCESS_KEY: root.secretAccessKey,
        ARCHIVE_ACCESS_KEY_ID: archiveRoot.accessKeyId,
        ARCHIVE_SECRET_ACCESS_KEY: archiveRoot.secretAccessKey,
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    // The script ends by naming the runner it made (root may not assume the archive's role).
    const [, accessKeyId, secretAccessKey] = /AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)/.exec(
      stdout,
    )!;
    runner = { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! };
    cli.close();
    // About 130 AWS CLI calls in one CLI session: about a minute, several on a loaded two-core machine.
  }, 600_000);
  afterAll(() => twin?.close());

  test('conforms to its targets: every network check passes, the absent slices say so', async ({
    expect,
  }) => {
    // Without a python3 with boto3 the twin cannot run the Python writer: the application is left out.
    const only = python
      ? []
      : ['--only', 'network', '--only', 'endpoints', '--only', 'observability', '--only', 'privatelink'];
    const result = await runValidate(['--targets', targets, ...only], twinEnv(twin.endpoint, runner));
    expect(result.results, result.stderr.slice(-1500)).toBeDefined();
    const { tests } = result.results!;
    expect(tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error').map((t) => t.name)).toEqual([]);
    // The seed's writer, deployed with the CLI in Python: invoked by the suite, its item and object found (S10–S12).
    if (python)
      expect(
        tests
          .filter((t) => ['S10', 'S11', 'S12'].includes(t.id) && t.verdict === 'pass')
          .map((t) => t.id)
          .sort(),
      ).toEqual(['S10', 'S11', 'S12']);
    expect(tests.filter((t) => t.id === 'N13' && t.verdict === 'pass').length).toBe(4);
    // The trail and both flow logs, made with the CLI alone, are checked and show this run's own evidence.
    const passed = (id: string) => tests.filter((t) => t.id === id && t.verdict === 'pass').length;
    expect([passed('O1'), passed('O11'), passed('O20'), passed('O21')]).toEqual([1, 2, 1, 2]);
    // The PrivateLink service, endpoint and zone made with elbv2, ec2 and route53 commands: every
    // configuration check passes, and the archive, which the service does not allow, cannot see it.
    expect(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P12'].map((id) => [id, passed(id)])).toEqual(
      ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P12'].map((id) => [id, 1]),
    );
    const skipped = new Set(tests.filter((t) => t.verdict === 'skip').map((t) => t.message));
    expect(skipped).toContain('no dataProtection in targets');
    expect(result.code).toBe(0);
  });

  test('a spoke propagating into the spokes’ table, made with the CLI, fails that table’s check only', async ({
    expect,
  }) => {
    const ids = async (args: string[]) => {
      const out = await aws(twin, [...args, '--region', REGION], root);
      return out.json as Record<string, { [k: string]: string }[]>;
    };
    const tables = await ids([
      'ec2',
      'describe-transit-gateway-route-tables',
      '--filters',
      'Name=tag:Name,Values=spokes-rt',
    ]);
    const attachments = await ids([
      'ec2',
      'describe-transit-gateway-attachments',
      '--filters',
      'Name=tag:Name,Values=green-att',
    ]);
    const changed = await aws(
      twin,
      [
        'ec2',
        'enable-transit-gateway-route-table-propagation',
        '--transit-gateway-route-table-id',
        tables.TransitGatewayRouteTables![0]!.TransitGatewayRouteTableId!,
        '--transit-gateway-attachment-id',
        attachments.TransitGatewayAttachments![0]!.TransitGatewayAttachmentId!,
        '--region',
        REGION,
      ],
      root,
    );
    expect(changed.code, changed.stderr).toBe(0);
    // The network area: a propagation reaches nothing the other areas look at.
    const result = await runValidate(
      ['--targets', targets, '--only', 'network'],
      twinEnv(twin.endpoint, runner),
    );
    const notPassing = result.results!.tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error');
    expect(notPassing.map((t) => `${t.verdict} ${t.name}`)).toEqual([
      'fail N8 TGW route table spokes-rt holds exactly its intended routes',
    ]);
    expect(notPassing[0]!.message).toContain('a route that joins VPCs which must not talk');
    expect(result.code).toBe(1);
  });
  test('the seed’s event writer, deployed with the CLI in Python, writes one item and its object when invoked', async ({
    expect,
    skip,
  }) => {
    skip(!python, NO_PYTHON);
    const cli = (args: string[]) => aws(twin, [...args, '--region', REGION], root);
    const items = async () => {
      const out = await cli(['dynamodb', 'scan', '--table-name', 'AppEvents']);
      expect(out.code, out.stderr).toBe(0);
      return (out.json as { Items: { EventID: { S: string }; Message: { S: string } }[] }).Items;
    };
    const keys = async () => {
      const out = await cli([
        's3api',
        'list-objects-v2',
        '--bucket',
        'cli-lab-app-123456789012',
        '--prefix',
        'logs/',
      ]);
      expect(out.code, out.stderr).toBe(0);
      return ((out.json as { Contents?: { Key: string }[] } | undefined)?.Contents ?? []).map((o) => o.Key);
    };
    const [itemsBefore, keysBefore] = [await items(), await keys()];
    const dir = await mkdtemp(join(tmpdir(), 'cli-lab-writer-'));
    try {
      const invoked = await cli([
        'lambda',
        'invoke',
        '--function-name',
        'EventWriterLambda',
        join(dir, 'out.json'),
      ]);
      expect(invoked.code, invoked.stderr).toBe(0);
      expect(invoked.json).toMatchObject({ StatusCode: 200 });
      expect((invoked.json as { FunctionError?: string }).FunctionError).toBeUndefined();
      expect(JSON.parse(await readFile(join(dir, 'out.json'), 'utf8'))).toEqual({
        statusCode: 200,
        body: '"Event written to DynamoDB and uploaded to S3!"',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const newItems = (await items()).filter((i) => !itemsBefore.some((b) => b.EventID.S === i.EventID.S));
    expect(newItems.map((i) => i.Message.S)).toEqual(['Test Event']);
    const newKeys = (await keys()).filter((k) => !keysBefore.includes(k));
    expect(newKeys).toEqual([`logs/event-${newItems[0]!.EventID.S}.json`]);
  }, 120_000);
});
