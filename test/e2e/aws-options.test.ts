import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { clientsFor } from '../../helpers/clients.ts';
import { rootCredential } from '../../twin/twin.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT, runValidate } from './support/validate.ts';

/**
 * A run set up the way AWS users set up every other tool: credentials and
 * region from a named profile of the shared files (`--profile`), nothing in
 * the environment, no region in the targets; and a cross-account role whose
 * trust policy requires an ExternalId ("How to use an external ID when
 * granting access to your AWS resources to a third party", IAM User Guide).
 */
let lab: ReferenceTwin;
const work = mkdtempSync(join(tmpdir(), 'meshcheck-aws-options-e2e-'));
const example = JSON.parse(readFileSync(join(ROOT, 'targets.example.json'), 'utf8'));
const EXTERNAL_ID = 'meshcheck-e2e-7f3a';
let env: Record<string, string>;

beforeAll(async () => {
  lab = await serveReferenceLab();
  // The log-archive account's runner role now trusts the runner only with the ExternalId.
  const archive = example.accounts['log-archive'];
  const roleName = archive.assumeRoleArn.split('/').pop();
  const runnerRoleArn = `arn:aws:iam::${example.accounts.lab.id}:role/WSParticipantRole`;
  await clientsFor({
    region: 'us-east-1',
    endpoint: lab.endpoint,
    credentials: rootCredential(archive.id),
  }).iam.send(
    new UpdateAssumeRolePolicyCommand({
      RoleName: roleName,
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: runnerRoleArn },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
          },
        ],
      }),
    }),
  );
  const runner = lab.runner();
  const credentials = join(work, 'credentials');
  writeFileSync(
    credentials,
    `[lab-runner]\naws_access_key_id = ${runner.accessKeyId}\naws_secret_access_key = ${runner.secretAccessKey}\n${runner.sessionToken ? `aws_session_token = ${runner.sessionToken}\n` : ''}`,
  );
  const config = join(work, 'config');
  writeFileSync(config, '[profile lab-runner]\nregion = us-east-1\n\n[default]\nregion = eu-west-1\n');
  env = {
    AWS_ENDPOINT_URL: lab.endpoint,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}, 120_000);
afterAll(() => lab.server.close());

/** The example, with no region (nor the zones tying it to one) and the log-archive account as given. */
function targets(name: string, archive: object): string {
  const t = {
    ...example,
    region: undefined,
    accounts: { ...example.accounts, 'log-archive': { ...example.accounts['log-archive'], ...archive } },
  };
  const path = join(work, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify(t, (key, value) => (key === 'availabilityZone' ? undefined : value)),
  );
  return path;
}

describe('--profile and a role that requires an ExternalId', () => {
  test('without the ExternalId in targets, the AssumeRole is denied: could not tell (exit 3)', {
    timeout: 120_000,
  }, async ({ expect }) => {
    const run = await runValidate(
      ['--targets', targets('no-external-id', {}), '--profile', 'lab-runner', '--only', 'network'],
      env,
    );
    // AWS answers the same AccessDenied whatever is missing (the ExternalId, the trust, the runner's own
    // permission): the suite cannot tell the targets are wrong, so 3, not 2 (README, exit codes).
    expect(run.code, run.stderr.slice(-1500)).toBe(3);
    expect(run.stderr).toMatch(/log-archive.*AccessDenied/s);
    expect(run.stderr).toContain('sts:AssumeRole');
    expect(run.results?.exitCode).toBe(3);
    expect(run.results?.tests).toEqual([]);
  });

  test('with it (and a 15-minute session), the run conforms, credentials and region from the profile', {
    timeout: 240_000,
  }, async ({ expect }) => {
    const run = await runValidate(
      [
        ...['--targets', targets('external-id', { externalId: EXTERNAL_ID, durationSeconds: 900 })],
        ...['--profile', 'lab-runner', '--only', 'network'],
      ],
      env,
    );
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    // The profile's region, not the default profile's.
    expect(run.results?.run.target).toBe(`account ${example.accounts.lab.id} (us-east-1)`);
    expect(run.results?.summary).toMatchObject({ failed: 0, errored: 0 });
    // The session the suite assumed in log-archive asked for the ExternalId's role, for 900 s.
    const assumed = lab.server.twin.calls.filter(
      (c) => c.eventName === 'AssumeRole' && c.requestParameters?.externalId === EXTERNAL_ID,
    );
    expect(assumed.length).toBeGreaterThan(0);
    expect(assumed.every((c) => Number(c.requestParameters?.durationSeconds) === 900)).toBe(true);
  });
});
