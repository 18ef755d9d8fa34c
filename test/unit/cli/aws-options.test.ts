import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test, vi } from 'vitest';
import { TargetsError } from '../../../helpers/errors.ts';
import { loadTargets } from '../../../helpers/targets/index.ts';

/**
 * The command line speaks the AWS CLI's language: `--profile NAME` is an AWS
 * profile, `--region` overrides every other region, what runs is `--mode`.
 * Every refusal here comes before any AWS call, with exit 2 and a line that
 * says what to write instead.
 */
const root = new URL('../../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'meshcheck-aws-options-'));
const example = JSON.parse(readFileSync(join(root, 'targets.example.json'), 'utf8'));

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** The example without its region, nor the zones that tie it to one. */
const withoutRegion = file(
  'no-region.json',
  JSON.stringify({ ...example, region: undefined }, (key, value) =>
    key === 'availabilityZone' ? undefined : value,
  ),
);
const config = file('config', '[profile lab]\nregion = eu-west-1\n\n[default]\nregion = ap-south-1\n');

/** The CLI in its own process, with only the environment given (no AWS settings of this machine). */
function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), ...args], {
    cwd: root,
    // A regression that starts a run or a twin instead of refusing must not outlive the test.
    timeout: 25_000,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: work,
      AWS_CONFIG_FILE: config,
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      // Nothing here may reach a network: an endpoint nobody listens on.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  // What it printed before the usage text.
  return new Promise<{ code: number | null; line: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, line: stderr.split('\nusage:')[0] ?? '' })),
  );
}

describe('refused before any call, saying what to write instead (exit 2)', () => {
  // One at a time: each is a process loading the CLI, on a machine the other test files share.
  test.for([
    {
      says: '`validate --profile gate` (what runs is --mode now)',
      args: ['validate', '--profile', 'gate'],
      line: /--profile gate: --profile now names an AWS profile.*--mode gate.*AWS_PROFILE=gate/,
    },
    {
      says: '`validate --profile nightly`, with targets too',
      args: ['validate', '--targets', withoutRegion, '--profile', 'nightly'],
      line: /--profile nightly: .*--mode nightly/,
    },
    {
      says: '`twin --profile realistic` (the twin is not AWS)',
      args: ['twin', '--profile', 'realistic'],
      line: /the twin is not AWS.*--twin-profile fast\|realistic/,
    },
    {
      says: 'an AWS profile without --targets (the embedded twin would ignore it)',
      args: ['validate', '--profile', 'lab'],
      line: /--profile applies to a run against an account \(--targets FILE\)/,
    },
    {
      says: '--region without --targets',
      args: ['validate', '--region', 'eu-west-1'],
      line: /--region applies to a run against an account/,
    },
    {
      says: 'a profile the config files do not define (the AWS CLI refuses it too)',
      args: ['validate', '--targets', withoutRegion, '--profile', 'nosuch'],
      line: /--profile nosuch: no such profile in the AWS config or credentials file/,
    },
    {
      says: 'a region that is not one',
      args: ['validate', '--targets', withoutRegion, '--region', 'Europe'],
      line: /--region Europe: expected an AWS region such as us-east-1/,
    },
    {
      says: 'an unknown mode',
      args: ['validate', '--mode', 'weekly'],
      line: /--mode weekly: expected one of gate, nightly/,
    },
    {
      says: 'no region anywhere: not in targets, no --region, AWS_REGION or profile region',
      args: ['validate', '--targets', withoutRegion],
      env: { AWS_CONFIG_FILE: '/dev/null', AWS_DEFAULT_REGION: 'eu-west-1' },
      line: /region: no region: .*--region.*AWS_REGION.*AWS_DEFAULT_REGION is set, but the AWS SDK for JavaScript v3 does not read it/,
    },
    {
      says: '--region that the targets contradict (a subnet pinned to another region’s zone)',
      args: ['validate', '--targets', join(root, 'targets.example.json'), '--region', 'eu-west-1'],
      line: /us-east-1[a-f] is not a zone of eu-west-1/,
    },
  ])('$says', { timeout: 30_000 }, async ({ args, env, line }, { expect }) => {
    const run = await cli(args, env);
    expect(run.code, run.line).toBe(2);
    expect(run.line).toMatch(line);
  });
});

test('--help names the AWS options as the AWS CLI does, and meshcheck’s own apart', {
  timeout: 30_000,
}, async ({ expect }) => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), '--help'], {
    cwd: root,
    timeout: 25_000,
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  for (const option of [
    '--mode gate|nightly',
    '--profile NAME',
    '--region REGION',
    '--twin-profile fast|realistic',
    'AWS_MAX_ATTEMPTS',
    'AWS_RETRY_MODE',
    'max_attempts',
  ])
    expect(stdout).toContain(option);
  expect(stdout).not.toMatch(/--profile (gate|fast)/);
});

describe('the targets’ region: --region, else the file, else the SDK’s chain', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function sdkSettings(env: Record<string, string | undefined>): void {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', config);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/dev/null');
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  }

  test('absent from the file: AWS_REGION', async ({ expect }) => {
    sdkSettings({ AWS_REGION: 'us-west-2' });
    expect((await loadTargets(withoutRegion)).region).toBe('us-west-2');
  });

  test('absent from the file and the environment: the profile’s region (AWS_PROFILE, as --profile sets it)', async ({
    expect,
  }) => {
    sdkSettings({ AWS_PROFILE: 'lab' });
    expect((await loadTargets(withoutRegion)).region).toBe('eu-west-1');
    sdkSettings({});
    expect((await loadTargets(withoutRegion)).region).toBe('ap-south-1');
  });

  test('the file’s region wins over the SDK’s chain; --region wins over both', async ({ expect }) => {
    sdkSettings({ AWS_REGION: 'us-west-2' });
    const path = file('in-file.json', JSON.stringify({ ...example, region: 'us-east-1' }));
    expect((await loadTargets(path)).region).toBe('us-east-1');
    expect((await loadTargets(withoutRegion, { region: 'ca-central-1' })).region).toBe('ca-central-1');
  });

  test('a malformed region in the file is named, not replaced by the SDK’s', async ({ expect }) => {
    sdkSettings({ AWS_REGION: 'us-west-2' });
    const path = file('bad-region.json', JSON.stringify({ ...example, region: 42 }));
    const refusal = await loadTargets(path).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TargetsError);
    expect((refusal as TargetsError).problems.some((p) => p.startsWith('region: '))).toBe(true);
  });
});

describe('assumed roles: externalId and durationSeconds in targets', () => {
  const withAccounts = (accounts: unknown) =>
    loadTargets(file(`accounts-${Math.random()}.json`, JSON.stringify({ ...example, accounts })));

  test('are accepted with a role, within what STS allows', async ({ expect }) => {
    const role = 'arn:aws:iam::111111111111:role/meshcheck-runner';
    const t = await withAccounts({
      ...example.accounts,
      audit: { assumeRoleArn: role, externalId: 'meshcheck-7f3a', durationSeconds: 900 },
    });
    expect(t.accounts.audit).toEqual({
      assumeRoleArn: role,
      externalId: 'meshcheck-7f3a',
      durationSeconds: 900,
    });
  });

  test.for([
    { says: 'a session shorter than STS allows', audit: { durationSeconds: 899 }, field: 'durationSeconds' },
    { says: 'a session longer than STS allows', audit: { durationSeconds: 43201 }, field: 'durationSeconds' },
    { says: 'an ExternalId of one character', audit: { externalId: 'x' }, field: 'externalId' },
    { says: 'an ExternalId with a space', audit: { externalId: 'two words' }, field: 'externalId' },
  ])('$says is refused, naming the field', async ({ audit, field }, { expect }) => {
    const refusal = await withAccounts({
      ...example.accounts,
      audit: { assumeRoleArn: 'arn:aws:iam::111111111111:role/r', ...audit },
    }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(TargetsError);
    expect((refusal as TargetsError).problems.some((p) => p.startsWith(`accounts.audit.${field}: `))).toBe(
      true,
    );
  });

  test('without a role to assume they mean nothing, and are refused', async ({ expect }) => {
    const refusal = await withAccounts({
      ...example.accounts,
      audit: { externalId: 'meshcheck-7f3a' },
    }).catch((e: unknown) => e);
    expect((refusal as TargetsError).problems).toContainEqual(
      'accounts.audit: externalId and durationSeconds apply to an assumed role: give assumeRoleArn',
    );
  });
});
