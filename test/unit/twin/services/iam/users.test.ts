import { beforeEach, describe, expect, test } from 'vitest';
import { invoke } from '../../../../../twin/core/invoke.ts';
import { sts } from '../../../../../twin/services/sts/api.ts';
import { ACCT, allow, iamTwin, policy, userWithKey } from './support.ts';

/** Users, their policies and access keys. */
let t: ReturnType<typeof iamTwin>;
beforeEach(() => {
  t = iamTwin();
});

describe('users and access keys', () => {
  test('CreateAccessKey registers a credential that signs as the user', async () => {
    const { credential } = await userWithKey(t, 'alice');
    expect(credential.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    const me = await invoke<object, { Arn: string }>(
      t.twin,
      sts,
      'GetCallerIdentity',
      {},
      { credential, region: 'us-east-1' },
    );
    expect(me.Arn).toBe(`arn:aws:iam::${ACCT}:user/alice`);
  });

  test('at most two access keys; DeleteAccessKey revokes the credential', async () => {
    const { credential } = await userWithKey(t, 'alice');
    await t.root('CreateAccessKey', { UserName: 'alice' });
    await expect(t.root('CreateAccessKey', { UserName: 'alice' })).rejects.toMatchObject({
      code: 'LimitExceededException',
    });
    expect((await t.root('ListAccessKeys', { UserName: 'alice' })).AccessKeyMetadata).toHaveLength(2);
    await t.root('DeleteAccessKey', { UserName: 'alice', AccessKeyId: credential.accessKeyId });
    expect(t.twin.credentials.has(credential.accessKeyId)).toBe(false);
  });

  test('a user without UserName acts on itself', async () => {
    const { call } = await userWithKey(t, 'alice', allow('iam:*'));
    expect((await call('GetUser')).User.UserName).toBe('alice');
    expect((await call('ListAccessKeys')).AccessKeyMetadata).toHaveLength(1);
  });

  test('DeleteUser: access keys, inline and attached policies must go first', async () => {
    const { credential } = await userWithKey(t, 'alice');
    await expect(t.root('DeleteUser', { UserName: 'alice' })).rejects.toMatchObject({
      code: 'DeleteConflictException',
      message: 'Cannot delete entity, must delete access keys first.',
    });
    await t.root('DeleteAccessKey', { UserName: 'alice', AccessKeyId: credential.accessKeyId });
    await t.root('PutUserPolicy', {
      UserName: 'alice',
      PolicyName: 'p',
      PolicyDocument: policy(allow('s3:*')),
    });
    await expect(t.root('DeleteUser', { UserName: 'alice' })).rejects.toMatchObject({
      message: 'Cannot delete entity, must delete policies first.',
    });
    await t.root('DeleteUserPolicy', { UserName: 'alice', PolicyName: 'p' });
    await t.root('AttachUserPolicy', {
      UserName: 'alice',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    expect((await t.root('ListAttachedUserPolicies', { UserName: 'alice' })).AttachedPolicies).toHaveLength(
      1,
    );
    await expect(t.root('DeleteUser', { UserName: 'alice' })).rejects.toMatchObject({
      message: 'Cannot delete entity, must detach all policies first.',
    });
    await t.root('DetachUserPolicy', {
      UserName: 'alice',
      PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
    });
    await t.root('DeleteUser', { UserName: 'alice' });
  });
});

describe('IAM operations go through the authorization chain', () => {
  test('a user without IAM permissions is denied with the action and the role ARN', async () => {
    const { call } = await userWithKey(t, 'bob');
    await expect(call('CreateRole', { RoleName: 'x', AssumeRolePolicyDocument: '{}' })).rejects.toMatchObject(
      {
        code: 'AccessDenied',
        message: `User: arn:aws:iam::${ACCT}:user/bob is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::${ACCT}:role/x because no identity-based policy allows the iam:CreateRole action`,
      },
    );
  });

  test('permissions scoped to a role path', async () => {
    const { call } = await userWithKey(t, 'carol', allow('iam:*Role*', `arn:aws:iam::${ACCT}:role/apps/*`));
    const trust = policy({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    await call('CreateRole', { RoleName: 'web', Path: '/apps/', AssumeRolePolicyDocument: trust });
    await expect(
      call('CreateRole', { RoleName: 'admin', AssumeRolePolicyDocument: trust }),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(call('GetRole', { RoleName: 'web' })).resolves.toBeDefined();
  });

  test('adding a role to an instance profile also needs iam:PassRole on the role', async () => {
    const { call } = await userWithKey(
      t,
      'dave',
      allow(['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:CreateRole']),
    );
    await call('CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: policy({
        Effect: 'Allow',
        Principal: { Service: 'ec2.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    });
    await call('CreateInstanceProfile', { InstanceProfileName: 'ip' });
    await expect(
      call('AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('iam:PassRole on resource: arn:aws:iam::123456789012:role/r'),
    });
  });
});
