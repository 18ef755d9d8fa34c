import { beforeEach, describe, expect, test } from 'vitest';
import { ACCT, allow, iamTwin, policy, trustAccount, trustService } from './support.ts';

/** Role rules of the IAM API Reference, through invoke(). */
let t: ReturnType<typeof iamTwin>;
beforeEach(() => {
  t = iamTwin();
});

describe('CreateRole / GetRole / ListRoles', () => {
  test('a role gets an AROA id, its ARN with its path, and the trust policy URL-encoded', async () => {
    const { Role } = await t.root('CreateRole', {
      RoleName: 'app',
      Path: '/svc/',
      AssumeRolePolicyDocument: trustService(),
    });
    expect(Role).toMatchObject({
      RoleName: 'app',
      Path: '/svc/',
      Arn: `arn:aws:iam::${ACCT}:role/svc/app`,
      MaxSessionDuration: 3600,
    });
    expect(Role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(decodeURIComponent(Role.AssumeRolePolicyDocument)).toBe(trustService());
    const got = await t.root('GetRole', { RoleName: 'app' });
    expect(got.Role.RoleLastUsed).toEqual({});
  });

  test('names are unique regardless of case', async () => {
    await t.root('CreateRole', { RoleName: 'App', AssumeRolePolicyDocument: trustService() });
    await expect(
      t.root('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: trustService() }),
    ).rejects.toMatchObject({
      code: 'EntityAlreadyExistsException',
      message: 'Role with name app already exists.',
    });
    await expect(t.root('GetRole', { RoleName: 'APP' })).resolves.toMatchObject({
      Role: { RoleName: 'App' },
    });
  });

  test('an unknown role is NoSuchEntity', async () => {
    await expect(t.root('GetRole', { RoleName: 'nope' })).rejects.toMatchObject({
      code: 'NoSuchEntityException',
      message: 'The role with name nope cannot be found.',
    });
  });

  test('MaxSessionDuration is bounded to 1–12 hours', async () => {
    await expect(
      t.root('CreateRole', {
        RoleName: 'r',
        AssumeRolePolicyDocument: trustService(),
        MaxSessionDuration: 60,
      }),
    ).rejects.toMatchObject({ code: 'ValidationError' });
    await t.root('CreateRole', {
      RoleName: 'r',
      AssumeRolePolicyDocument: trustService(),
      MaxSessionDuration: 43200,
    });
    await t.root('UpdateRole', { RoleName: 'r', MaxSessionDuration: 7200, Description: 'two hours' });
    expect((await t.root('GetRole', { RoleName: 'r' })).Role).toMatchObject({
      MaxSessionDuration: 7200,
      Description: 'two hours',
    });
  });

  test('ListRoles pages with Marker, MaxItems and IsTruncated', async () => {
    for (const n of ['a', 'b', 'c'])
      await t.root('CreateRole', { RoleName: n, AssumeRolePolicyDocument: trustService() });
    const first = await t.root('ListRoles', { MaxItems: 2 });
    expect(first.Roles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['a', 'b']);
    expect(first.IsTruncated).toBe(true);
    const second = await t.root('ListRoles', { MaxItems: 2, Marker: first.Marker });
    expect(second).toMatchObject({ Roles: [{ RoleName: 'c' }], IsTruncated: false });
  });
});

describe('trust policies', () => {
  test('a malformed trust policy is MalformedPolicyDocument', async () => {
    await expect(
      t.root('CreateRole', {
        RoleName: 'r',
        AssumeRolePolicyDocument: policy({ Effect: 'Allow', Action: 'sts:AssumeRole' }),
      }),
    ).rejects.toMatchObject({
      code: 'MalformedPolicyDocumentException',
      message: expect.stringContaining('no principals'),
    });
  });

  test('a trust policy naming a role that does not exist is refused', async () => {
    const ghost = `arn:aws:iam::${ACCT}:role/ghost`;
    const doc = policy({ Effect: 'Allow', Principal: { AWS: ghost }, Action: 'sts:AssumeRole' });
    await expect(
      t.root('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: doc }),
    ).rejects.toMatchObject({
      message: `Invalid principal in policy: "AWS":"${ghost}"`,
    });
    await t.root('CreateRole', { RoleName: 'ghost', AssumeRolePolicyDocument: trustService() });
    await expect(
      t.root('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: doc }),
    ).resolves.toBeDefined();
  });

  test('UpdateAssumeRolePolicy replaces the trust policy', async () => {
    await t.root('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustService() });
    await t.root('UpdateAssumeRolePolicy', { RoleName: 'r', PolicyDocument: trustAccount('444455556666') });
    const { Role } = await t.root('GetRole', { RoleName: 'r' });
    expect(decodeURIComponent(Role.AssumeRolePolicyDocument)).toContain('444455556666');
  });
});

describe('inline and managed policies of a role', () => {
  beforeEach(async () => {
    await t.root('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustService() });
  });

  test('PutRolePolicy / GetRolePolicy (URL-encoded) / ListRolePolicies / DeleteRolePolicy', async () => {
    const doc = policy(allow('s3:GetObject', 'arn:aws:s3:::b/*'));
    await t.root('PutRolePolicy', { RoleName: 'r', PolicyName: 'read', PolicyDocument: doc });
    const got = await t.root('GetRolePolicy', { RoleName: 'r', PolicyName: 'read' });
    expect(got.PolicyDocument).not.toContain('{');
    expect(decodeURIComponent(got.PolicyDocument)).toBe(doc);
    expect((await t.root('ListRolePolicies', { RoleName: 'r' })).PolicyNames).toEqual(['read']);
    await t.root('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'read' });
    await expect(t.root('GetRolePolicy', { RoleName: 'r', PolicyName: 'read' })).rejects.toMatchObject({
      message: 'The role policy with name read cannot be found.',
    });
  });

  test('an inline policy without resources is refused', async () => {
    await expect(
      t.root('PutRolePolicy', {
        RoleName: 'r',
        PolicyName: 'p',
        PolicyDocument: policy({ Effect: 'Allow', Action: 's3:*' }),
      }),
    ).rejects.toMatchObject({
      code: 'MalformedPolicyDocumentException',
      message: 'Policy statement must contain resources.',
    });
  });

  test('attaching an unknown policy is NoSuchEntity; attached ones are listed', async () => {
    await expect(
      t.root('AttachRolePolicy', { RoleName: 'r', PolicyArn: `arn:aws:iam::${ACCT}:policy/nope` }),
    ).rejects.toMatchObject({ code: 'NoSuchEntityException' });
    await t.root('AttachRolePolicy', {
      RoleName: 'r',
      PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    });
    expect((await t.root('ListAttachedRolePolicies', { RoleName: 'r' })).AttachedPolicies).toEqual([
      {
        PolicyName: 'AWSLambdaBasicExecutionRole',
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      },
    ]);
  });

  test('DeleteRole is a DeleteConflict while policies are attached or inline, or the role is in a profile', async () => {
    await t.root('AttachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await expect(t.root('DeleteRole', { RoleName: 'r' })).rejects.toMatchObject({
      code: 'DeleteConflictException',
      message: 'Cannot delete entity, must detach all policies first.',
    });
    await t.root('DetachRolePolicy', { RoleName: 'r', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await t.root('PutRolePolicy', { RoleName: 'r', PolicyName: 'p', PolicyDocument: policy(allow('s3:*')) });
    await expect(t.root('DeleteRole', { RoleName: 'r' })).rejects.toMatchObject({
      message: 'Cannot delete entity, must delete policies first.',
    });
    await t.root('DeleteRolePolicy', { RoleName: 'r', PolicyName: 'p' });
    await t.root('CreateInstanceProfile', { InstanceProfileName: 'ip' });
    await t.root('AddRoleToInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r' });
    await expect(t.root('DeleteRole', { RoleName: 'r' })).rejects.toMatchObject({
      message: 'Cannot delete entity, must remove roles from instance profile first.',
    });
    await t.root('RemoveRoleFromInstanceProfile', { InstanceProfileName: 'ip', RoleName: 'r' });
    await t.root('DeleteRole', { RoleName: 'r' });
    await expect(t.root('GetRole', { RoleName: 'r' })).rejects.toMatchObject({
      code: 'NoSuchEntityException',
    });
  });

  test('tags: TagRole merges, UntagRole removes, ListRoleTags lists', async () => {
    await t.root('TagRole', {
      RoleName: 'r',
      Tags: [
        { Key: 'team', Value: 'a' },
        { Key: 'env', Value: 'dev' },
      ],
    });
    await t.root('TagRole', { RoleName: 'r', Tags: [{ Key: 'team', Value: 'b' }] });
    await t.root('UntagRole', { RoleName: 'r', TagKeys: ['env'] });
    expect((await t.root('ListRoleTags', { RoleName: 'r' })).Tags).toEqual([{ Key: 'team', Value: 'b' }]);
  });
});
