import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { AwsClients } from '../../helpers/clients.ts';
import { eventually } from '../../helpers/eventually.ts';
import { loadTargets, type ResolvedTargets, resolveTargets } from '../../helpers/targets/index.ts';
import { bundleProbe } from '../../probes/bundle.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * A probe the lab keeps deployed, named in targets, is invoked as it is:
 * the checks use it, and the run neither creates a probe for that placement
 * nor deletes the lab's.
 */
const STANDING = 'meshcheck-standing-probe';
let lab: ReferenceTwin;
let targets: ResolvedTargets;
let admin: AwsClients;

beforeAll(async () => {
  lab = await serveReferenceLab();
  Object.assign(process.env, twinEnv(lab.endpoint, lab.runner()));
  targets = await resolveTargets(await loadTargets(join(ROOT, 'targets.example.json')));
  admin = lab.operator(targets)('lab');
});
afterAll(() => lab.close());

/** targets.example.json with the first placement's probe named as deployed. */
async function targetsNaming(functionName: string): Promise<string> {
  const file = JSON.parse(await readFile(join(ROOT, 'targets.example.json'), 'utf8'));
  file.endpoints.probe.placements[0].deployed = functionName;
  const path = join(await mkdtemp(join(tmpdir(), 'meshcheck-deployed-')), 'targets.json');
  await writeFile(path, JSON.stringify(file));
  return path;
}

describe('a deployed probe named in targets', () => {
  test('is invoked for its placement and left in place', async ({ expect }) => {
    const placement = targets.endpoints!.probe!.placements[0]!;
    await admin.lambda.send(
      new CreateFunctionCommand({
        FunctionName: STANDING,
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: targets.ids.probeRoleArn,
        Code: { ZipFile: await bundleProbe('s3-reach') },
        Timeout: 60,
        VpcConfig: {
          SubnetIds: placement.subnets.map((s) => targets.ids.subnet[s]!),
          SecurityGroupIds: placement.securityGroups.map((g) => targets.ids.securityGroup[g]!),
        },
      }),
    );
    await eventually(
      'the standing probe to be Active',
      () => admin.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: STANDING })),
      { timeoutMs: 30_000, until: (c) => c.State === 'Active' },
    );

    const run = await runValidate(
      ['--targets', await targetsNaming(STANDING)],
      twinEnv(lab.endpoint, lab.runner()),
    );
    expect(
      run.results?.tests.filter((t) => t.verdict !== 'pass').map((t) => t.name),
      run.stderr.slice(-1500),
    ).toEqual([]);
    const e6 = run.results!.tests.find((t) => t.id === 'E6' && t.row === placement.name) as unknown as {
      evidence: { value: { function: string } }[];
    };
    expect(e6.evidence[0]!.value.function).toBe(STANDING);
    const still = await admin.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: STANDING }));
    expect(still.State).toBe('Active');
    expect(run.code).toBe(0);
  });

  test('that does not exist stops the run before any check, naming the field (exit 2)', async ({
    expect,
  }) => {
    const run = await runValidate(
      ['--targets', await targetsNaming('meshcheck-no-such-probe')],
      twinEnv(lab.endpoint, lab.runner()),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /endpoints\.probe\.placements\[0\]\.deployed: no Lambda function .*meshcheck-no-such-probe/,
    );
  });
});
