import { spawn } from 'node:child_process';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { clientsFor } from '../../helpers/clients.ts';
import { eventually } from '../../helpers/eventually.ts';
import { rootCredential } from '../../twin/twin.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate, twinEnv } from './support/validate.ts';

/**
 * Everything a run creates is removed: at its end, and when it is
 * interrupted half-way. Looked at through the public API as an operator.
 */
let lab: ReferenceTwin;
const example = `${ROOT}/targets.example.json`;
const LAB = '111111111111';

beforeAll(async () => {
  lab = await serveReferenceLab();
});
afterAll(() => lab.server.close());

function operator() {
  const root = rootCredential(LAB);
  return clientsFor({
    region: 'us-east-1',
    endpoint: lab.server.endpoint,
    credentials: { accessKeyId: root.accessKeyId, secretAccessKey: root.secretAccessKey },
  });
}

async function leftovers() {
  const { lambda, s3, ec2 } = operator();
  const functions = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? [])
    .map((f) => f.FunctionName!)
    .filter((n) => n.startsWith('meshcheck-'));
  const objects = await s3.send(
    new ListObjectVersionsCommand({ Bucket: 'cloud-app-data', Prefix: 'meshcheck/' }),
  );
  const versions = [...(objects.Versions ?? []), ...(objects.DeleteMarkers ?? [])].map(
    (v) => `${v.Key}#${v.VersionId}`,
  );
  const enis =
    (
      await ec2.send(
        new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'interface-type', Values: ['lambda'] }] }),
      )
    ).NetworkInterfaces ?? [];
  return { functions, versions, enis: enis.map((e) => e.NetworkInterfaceId!) };
}

/**
 * Lambda releases a deleted function's ENIs a while later (aws-fidelity.md); wait for that, bounded.
 * ENIs the lab's own functions held before the run stay: Lambda shares an ENI among functions with the
 * same subnet and security groups, so a probe placed beside the lab's consumer reuses the consumer's.
 */
async function waitForNoLeftovers(before: string[]) {
  const left = await eventually('no probe functions, objects or new Lambda ENIs left', leftovers, {
    timeoutMs: 30_000,
    until: (l) => !l.functions.length && !l.versions.length && l.enis.every((e) => before.includes(e)),
  });
  return { ...left, enis: left.enis.filter((e) => !before.includes(e)) };
}

/** A clean lab, and the Lambda ENIs its own functions hold. */
async function cleanLab(): Promise<string[]> {
  await lab.server.reset();
  return (await leftovers()).enis;
}

describe('cleanup', () => {
  test('a finished run leaves no probe function, object or ENI behind', async ({ expect }) => {
    const before = await cleanLab();
    const run = await runValidate(['--targets', example], twinEnv(lab.server.endpoint, lab.runner()));
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(await waitForNoLeftovers(before)).toEqual({ functions: [], versions: [], enis: [] });
  });

  test('a run interrupted with SIGINT mid-way removes what it had created', async ({ expect }) => {
    const before = await cleanLab();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        `${ROOT}/cli/main.ts`,
        'validate',
        '--targets',
        example,
        '--reports',
        `${ROOT}/reports/out/interrupted`,
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...twinEnv(lab.server.endpoint, lab.runner()),
        },
      },
    );
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    const during = await eventually('a probe function to exist', leftovers, {
      timeoutMs: 60_000,
      until: (l) => l.functions.length > 0,
      minIntervalMs: 50,
      maxIntervalMs: 200,
    });
    child.kill('SIGINT');
    const code = await exited;
    expect(during.functions.length).toBeGreaterThan(0);
    expect(code, stderr.slice(-1500)).toBe(130);
    expect(stderr).toContain('interrupted');
    // The probes' own afterAll may already have removed them; the sweep takes whatever is left.
    expect(stdout + stderr).not.toMatch(/could not remove everything/);
    expect(await waitForNoLeftovers(before)).toEqual({ functions: [], versions: [], enis: [] });
  });
});
