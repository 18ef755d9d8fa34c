import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateFunctionCommand, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListObjectVersionsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { AwsClients } from '../../helpers/clients.ts';
import { loadTargets, resolveTargets } from '../../helpers/targets/index.ts';
import { bundleProbe } from '../../probes/bundle.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, twinEnv } from './support/validate.ts';

/**
 * `meshcheck cleanup` sweeps what a crashed run left (its tagged probe and
 * its objects) older than the bound, and nothing of the lab's own.
 */
const example = join(ROOT, 'targets.example.json');
/** Its own receipt ledger: a sweep of "everything older than 0 h" must not reach other tests' runs. */
const ledger = mkdtempSync(join(tmpdir(), 'meshcheck-cleanup-ledger-'));
let lab: ReferenceTwin;
let admin: AwsClients;
let bucket: string;
let accountId: string;

beforeAll(async () => {
  lab = await serveReferenceLab();
  Object.assign(process.env, twinEnv(lab.endpoint, lab.runner()));
  const targets = await resolveTargets(await loadTargets(example));
  admin = lab.operator(targets)('lab');
  bucket = targets.endpoints!.probe!.bucket;
  accountId = targets.accountIds.lab!;
});
afterAll(() => lab.close());

/** What a run killed with SIGKILL leaves: its probe function and a run-scoped object. */
async function crashedRun(runId: string): Promise<void> {
  await admin.lambda.send(
    new CreateFunctionCommand({
      FunctionName: `meshcheck-s3-reach-${runId}`,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: `arn:aws:iam::${accountId}:role/meshcheck-probe`,
      Code: { ZipFile: await bundleProbe('s3-reach') },
      Tags: { 'meshcheck:run': runId },
    }),
  );
  await admin.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: `meshcheck/${runId}/probe.txt`, Body: 'x' }),
  );
}

async function leftovers() {
  const { Functions } = await admin.lambda.send(new ListFunctionsCommand({}));
  const { Versions } = await admin.s3.send(
    new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'meshcheck/' }),
  );
  return {
    probes: (Functions ?? []).map((f) => f.FunctionName!).filter((n) => n.startsWith('meshcheck-')),
    others: (Functions ?? []).filter((f) => !f.FunctionName!.startsWith('meshcheck-')).length,
    objects: (Versions ?? []).length,
  };
}

const cleanup = (args: string[], credentials = lab.runner()) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'cli/main.ts'), 'cleanup', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      MESHCHECK_LEDGER_DIR: ledger,
      ...twinEnv(lab.endpoint, credentials),
    },
  });

describe('meshcheck cleanup', () => {
  test('keeps leftovers younger than the bound, then sweeps them, and never the lab’s own functions', async ({
    expect,
  }) => {
    await crashedRun('crashed0001');
    const before = await leftovers();
    expect(before).toMatchObject({ probes: ['meshcheck-s3-reach-crashed0001'], objects: 1 });

    const kept = await cleanup(['--targets', example, '--older-than-hours', '1']);
    expect(kept.stdout).toContain('nothing older than 1 h');
    expect(await leftovers()).toEqual(before);

    const byDefault = await cleanup(['--targets', example]);
    expect(byDefault.stdout, 'the default bound spares a run that may still be going').toContain(
      'nothing older than 2 h',
    );

    const swept = await cleanup(['--targets', example, '--older-than-hours', '0']);
    expect(swept.stdout).toContain('meshcheck-s3-reach-crashed0001 (run crashed0001)');
    expect(await leftovers()).toEqual({ probes: [], others: before.others, objects: 0 });
  });

  test('a malformed targets file exits 2 and sweeps nothing', async ({ expect }) => {
    const failed = await cleanup(['--targets', join(ROOT, 'package.json')]).catch((e) => e);
    expect(failed.code).toBe(2);
  });

  test('credentials AWS refuses make it exit 3 (could not tell), not 2 (bad input)', async ({ expect }) => {
    const refused = await cleanup(['--targets', example], {
      ...lab.runner(),
      secretAccessKey: 'not-the-secret',
    }).catch((e) => e);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/could not sweep what crashed runs left: \w+ \(403\)/);
  });
});
