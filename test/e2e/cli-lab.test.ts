import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { rootCredential } from '../../twin/twin.ts';
import { listenAwsCli } from '../support/aws-cli.ts';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../support/twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * The README's walk-through: an empty twin, a lab built on it with the AWS
 * CLI alone (lab/cli-lab/build.sh), then `validate --targets` with that
 * lab's targets — it conforms; one change made with the CLI, and exactly the
 * item it touches fails.
 */
const run = promisify(execFile);
const targets = join(ROOT, 'lab/cli-lab/targets.json');
/** The region build.sh builds in by default, as its targets say. */
const REGION = 'us-west-2';
let twin: TestTwin;
let root: { accessKeyId: string; secretAccessKey: string };
/** The runner build.sh makes: policies/runner.json, and the right to assume the archive's meshcheck-runner. */
let runner: { accessKeyId: string; secretAccessKey: string };

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
  }, 420_000);
  afterAll(() => twin?.close());

  test('conforms to its targets: every network check passes, the absent slices say so', async ({
    expect,
  }) => {
    const result = await runValidate(['--targets', targets], twinEnv(twin.endpoint, runner));
    expect(result.results, result.stderr.slice(-1500)).toBeDefined();
    const { tests } = result.results!;
    expect(tests.filter((t) => t.verdict === 'fail' || t.verdict === 'error').map((t) => t.name)).toEqual([]);
    expect(tests.filter((t) => t.id === 'N13' && t.verdict === 'pass').length).toBe(4);
    // The trail and both flow logs, made with the CLI alone, are checked and show this run's own evidence.
    const passed = (id: string) => tests.filter((t) => t.id === id && t.verdict === 'pass').length;
    expect([passed('O1'), passed('O11'), passed('O20'), passed('O21')]).toEqual([1, 2, 1, 2]);
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
});
