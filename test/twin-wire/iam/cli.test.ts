import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * What an operator types: /usr/bin/aws (2.9) against the twin, with policy
 * documents from files (`file://…`), as the AWS CLI docs show them.
 */
let twin: TestTwin;
let account: string;
let dir: string;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement }, null, 2);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return `file://${path}`;
}

beforeAll(async () => {
  twin = await startTestTwin();
  account = twin.server.twin.accounts[0]!;
  dir = mkdtempSync(join(tmpdir(), 'iam-cli-'));
});
afterAll(() => twin.close());

describe.runIf(hasAwsCli)('IAM and STS with the AWS CLI', () => {
  test('create-role, put-role-policy, attach-role-policy, instance profiles', async ({ expect }) => {
    const trust = file(
      'trust.json',
      doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    );
    const created = await aws(twin, [
      'iam',
      'create-role',
      '--role-name',
      'cli-web',
      '--assume-role-policy-document',
      trust,
    ]);
    expect(created.code, created.stderr).toBe(0);
    // The CLI decodes IAM's URL-encoded documents into JSON.
    expect(created.json).toMatchObject({
      Role: {
        Arn: `arn:aws:iam::${account}:role/cli-web`,
        AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole' }] },
      },
    });
    const inline = file('logs.json', doc({ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }));
    const put = await aws(twin, [
      'iam',
      'put-role-policy',
      '--role-name',
      'cli-web',
      '--policy-name',
      'logs',
      '--policy-document',
      inline,
    ]);
    expect(put.code, put.stderr).toBe(0);
    const got = await aws(twin, [
      'iam',
      'get-role-policy',
      '--role-name',
      'cli-web',
      '--policy-name',
      'logs',
    ]);
    expect(got.json).toMatchObject({ PolicyDocument: { Statement: [{ Action: 'logs:PutLogEvents' }] } });
    const attach = await aws(twin, [
      'iam',
      'attach-role-policy',
      '--role-name',
      'cli-web',
      '--policy-arn',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(attach.code, attach.stderr).toBe(0);
    expect(
      (await aws(twin, ['iam', 'create-instance-profile', '--instance-profile-name', 'cli-web-profile']))
        .code,
    ).toBe(0);
    const add = await aws(twin, [
      'iam',
      'add-role-to-instance-profile',
      '--instance-profile-name',
      'cli-web-profile',
      '--role-name',
      'cli-web',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const profile = await aws(twin, [
      'iam',
      'get-instance-profile',
      '--instance-profile-name',
      'cli-web-profile',
    ]);
    expect(profile.json).toMatchObject({ InstanceProfile: { Roles: [{ RoleName: 'cli-web' }] } });
  });

  test('errors print as the CLI prints AWS errors', async ({ expect }) => {
    const missing = await aws(twin, ['iam', 'get-role', '--role-name', 'cli-nowhere']);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain(
      'An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name cli-nowhere cannot be found.',
    );
    const bad = file('bad.json', doc({ Effect: 'Allow', Action: 's3:GetObject' }));
    const refused = await aws(twin, [
      'iam',
      'create-policy',
      '--policy-name',
      'cli-bad',
      '--policy-document',
      bad,
    ]);
    expect(refused.stderr).toContain('(MalformedPolicyDocument)');
    expect(refused.stderr).toContain('Policy statement must contain resources.');
  });

  test('sts assume-role with a user’s keys, then get-caller-identity as the session', async ({ expect }) => {
    const trust = file(
      'trust-account.json',
      doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }),
    );
    expect(
      (
        await aws(twin, [
          'iam',
          'create-role',
          '--role-name',
          'cli-ops',
          '--assume-role-policy-document',
          trust,
        ])
      ).code,
    ).toBe(0);
    expect((await aws(twin, ['iam', 'create-user', '--user-name', 'cli-operator'])).code).toBe(0);
    const perms = file(
      'assume.json',
      doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${account}:role/cli-ops` }),
    );
    await aws(twin, [
      'iam',
      'put-user-policy',
      '--user-name',
      'cli-operator',
      '--policy-name',
      'assume',
      '--policy-document',
      perms,
    ]);
    const key = (await aws(twin, ['iam', 'create-access-key', '--user-name', 'cli-operator'])).json as {
      AccessKey: { AccessKeyId: string; SecretAccessKey: string };
    };
    const operator = {
      accessKeyId: key.AccessKey.AccessKeyId,
      secretAccessKey: key.AccessKey.SecretAccessKey,
    };
    const assumed = await aws(
      twin,
      [
        'sts',
        'assume-role',
        '--role-arn',
        `arn:aws:iam::${account}:role/cli-ops`,
        '--role-session-name',
        'night-run',
      ],
      operator,
    );
    expect(assumed.code, assumed.stderr).toBe(0);
    const creds = (
      assumed.json as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } }
    ).Credentials;
    const me = await aws(twin, ['sts', 'get-caller-identity'], {
      accessKeyId: creds.AccessKeyId,
      secretAccessKey: creds.SecretAccessKey,
      sessionToken: creds.SessionToken,
    });
    expect(me.json).toMatchObject({ Arn: `arn:aws:sts::${account}:assumed-role/cli-ops/night-run` });
    const denied = await aws(
      twin,
      [
        'sts',
        'assume-role',
        '--role-arn',
        `arn:aws:iam::${account}:role/cli-web`,
        '--role-session-name',
        'nope',
      ],
      operator,
    );
    expect(denied.stderr).toContain(
      'An error occurred (AccessDenied) when calling the AssumeRole operation: User:',
    );
  });

  test('simulate-principal-policy', async ({ expect }) => {
    const out = await aws(twin, [
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      `arn:aws:iam::${account}:role/cli-web`,
      '--action-names',
      'ssm:UpdateInstanceInformation',
      'kms:Decrypt',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json).toMatchObject({
      EvaluationResults: [
        {
          EvalActionName: 'ssm:UpdateInstanceInformation',
          EvalDecision: 'allowed',
          MatchedStatements: [
            {
              SourcePolicyId: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
              SourcePolicyType: 'aws-managed',
            },
          ],
        },
        { EvalActionName: 'kms:Decrypt', EvalDecision: 'implicitDeny' },
      ],
    });
  });
});
