import {
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  ListRolesCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * AssumeRole through the unchanged STS client: trust policies, identity
 * policies, durations, session policies, cross-account roles.
 */
let twin: TestTwin;
let a: string;
let b: string;
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trusting = (AWS: string, extra: object = {}) =>
  doc({ Effect: 'Allow', Principal: { AWS }, Action: 'sts:AssumeRole', ...extra });
type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const iamAs = (credentials: Keys, account?: string) =>
  new IAMClient({ ...twin.clientConfig(account), credentials });
const stsAs = (credentials: Keys) => new STSClient({ ...twin.clientConfig(), credentials });

/** A user in `account` with the given identity policy statements, and its keys. */
async function user(account: string, name: string, ...statements: object[]): Promise<Keys> {
  const iam = new IAMClient(twin.clientConfig(account));
  await iam.send(new CreateUserCommand({ UserName: name }));
  if (statements.length)
    await iam.send(
      new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc(...statements) }),
    );
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function role(
  account: string,
  name: string,
  trust: string,
  maxSessionDuration?: number,
): Promise<string> {
  const iam = new IAMClient(twin.clientConfig(account));
  const { Role } = await iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: trust,
      MaxSessionDuration: maxSessionDuration,
    }),
  );
  return Role!.Arn!;
}

const session = (
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined,
): Keys => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});
const canAssume = { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' };

beforeAll(async () => {
  twin = await startTestTwin();
  [a, b] = twin.server.twin.accounts as [string, string];
});
afterAll(() => twin.close());

describe('STS AssumeRole', () => {
  test('CreateRole → AssumeRole → GetCallerIdentity shows the assumed-role ARN', async () => {
    const roleArn = await role(a, 'sts-app', trusting(`arn:aws:iam::${a}:root`));
    const alice = await user(a, 'sts-alice', canAssume);
    const out = await stsAs(alice).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'alice-session' }),
    );
    expect(out.AssumedRoleUser).toMatchObject({
      Arn: `arn:aws:sts::${a}:assumed-role/sts-app/alice-session`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:alice-session$/),
    });
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.Credentials?.Expiration).toBeInstanceOf(Date);
    const me = await stsAs(session(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Arn: `arn:aws:sts::${a}:assumed-role/sts-app/alice-session`, Account: a });
  });

  test('the session has only the role’s permissions', async () => {
    const roleArn = await role(a, 'sts-empty', trusting(`arn:aws:iam::${a}:root`));
    const bob = await user(a, 'sts-bob', canAssume, { Effect: 'Allow', Action: 'iam:*', Resource: '*' });
    const out = await stsAs(bob).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'bob' }));
    await expect(iamAs(session(out.Credentials)).send(new ListRolesCommand({}))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: arn:aws:sts::${a}:assumed-role/sts-empty/bob is not authorized to perform: iam:ListRoles on resource: * because no identity-based policy allows the iam:ListRoles action`,
    });
  });

  test('denied when the trust policy delegates to the account but the caller’s policy does not allow it', async () => {
    const roleArn = await role(a, 'sts-guarded', trusting(`arn:aws:iam::${a}:root`));
    const carol = await user(a, 'sts-carol');
    await expect(
      stsAs(carol).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'carol' })),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
      message: `User: arn:aws:iam::${a}:user/sts-carol is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    });
  });

  test('a trust policy naming the user directly needs no identity policy (same account)', async () => {
    const dave = await user(a, 'sts-dave');
    const roleArn = await role(a, 'sts-for-dave', trusting(`arn:aws:iam::${a}:user/sts-dave`));
    await expect(
      stsAs(dave).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'dave' })),
    ).resolves.toBeDefined();
  });

  test('an identity policy alone is not enough when the trust policy leaves the caller out', async () => {
    const roleArn = await role(
      a,
      'sts-lambda-only',
      doc({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    );
    const erin = await user(a, 'sts-erin', canAssume);
    await expect(
      stsAs(erin).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'erin' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('an unknown role is AccessDenied, not NoSuchEntity', async () => {
    const frank = await user(a, 'sts-frank', canAssume);
    await expect(
      stsAs(frank).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${a}:role/sts-nowhere`, RoleSessionName: 'frank' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  test('a one-character session name is refused by STS itself (AWS CLI refuses it before sending)', async () => {
    const roleArn = await role(a, 'sts-short', trusting(`arn:aws:iam::${a}:root`));
    const lee = await user(a, 'sts-lee', canAssume);
    await expect(
      stsAs(lee).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x' })),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  test('the root user may not assume roles', async () => {
    const roleArn = await role(a, 'sts-root-target', trusting(`arn:aws:iam::${a}:root`));
    await expect(
      new STSClient(twin.clientConfig()).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'root' }),
      ),
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Roles may not be assumed by root accounts.',
    });
  });

  test('ExternalId conditions in the trust policy', async () => {
    const roleArn = await role(
      a,
      'sts-external',
      trusting(`arn:aws:iam::${a}:root`, { Condition: { StringEquals: { 'sts:ExternalId': 'lab-42' } } }),
    );
    const gina = await user(a, 'sts-gina', canAssume);
    await expect(
      stsAs(gina).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'gina' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      stsAs(gina).send(
        new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'gina', ExternalId: 'lab-42' }),
      ),
    ).resolves.toBeDefined();
  });

  test('DurationSeconds is bounded by MaxSessionDuration, and by one hour when chaining roles', async () => {
    const first = await role(a, 'sts-long', trusting(`arn:aws:iam::${a}:root`), 7200);
    const second = await role(a, 'sts-chained', trusting(`arn:aws:iam::${a}:role/sts-long`), 43200);
    const hank = await user(a, 'sts-hank', canAssume);
    await expect(
      stsAs(hank).send(
        new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'hank', DurationSeconds: 10800 }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    const now = twin.server.twin.clock.now();
    const out = await stsAs(hank).send(
      new AssumeRoleCommand({ RoleArn: first, RoleSessionName: 'hank', DurationSeconds: 7200 }),
    );
    expect(out.Credentials!.Expiration!.getTime() - now).toBeGreaterThanOrEqual(7200 * 1000 - 1000);
    await expect(
      stsAs(session(out.Credentials)).send(
        new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'hank2', DurationSeconds: 7200 }),
      ),
    ).rejects.toMatchObject({
      message:
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
    await expect(
      stsAs(session(out.Credentials)).send(
        new AssumeRoleCommand({ RoleArn: second, RoleSessionName: 'hank2' }),
      ),
    ).resolves.toBeDefined();
  });

  test('a session policy narrows the session', async () => {
    const roleArn = await role(a, 'sts-admin', trusting(`arn:aws:iam::${a}:root`));
    await new IAMClient(twin.clientConfig(a)).send(
      new AttachRolePolicyCommand({
        RoleName: 'sts-admin',
        PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const ivan = await user(a, 'sts-ivan', canAssume);
    const out = await stsAs(ivan).send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: 'narrow',
        Policy: doc({ Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }),
      }),
    );
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    await expect(iamAs(session(out.Credentials)).send(new ListRolesCommand({}))).rejects.toMatchObject({
      message: expect.stringContaining('because no session policy allows the iam:ListRoles action'),
    });
  });

  test('cross-account: the role trusts the other account and the caller’s own policy allows it', async () => {
    const roleArn = await role(b, 'sts-cross', trusting(`arn:aws:iam::${a}:root`));
    const judy = await user(a, 'sts-judy', { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn });
    const out = await stsAs(judy).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'judy' }));
    const me = await stsAs(session(out.Credentials)).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: b, Arn: `arn:aws:sts::${b}:assumed-role/sts-cross/judy` });
    const ken = await user(a, 'sts-ken');
    await expect(
      stsAs(ken).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ken' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
