import { beforeEach, describe, expect, test } from 'vitest';
import { ACCT, allow, iamTwin, policy, trustService } from './support.ts';

/** Managed policies: versions, attachments, scopes, the AWS managed catalogue. */
let t: ReturnType<typeof iamTwin>;
const ARN = `arn:aws:iam::${ACCT}:policy/team/read`;
beforeEach(async () => {
  t = iamTwin();
  await t.root('CreatePolicy', {
    PolicyName: 'read',
    Path: '/team/',
    PolicyDocument: policy(allow('s3:Get*')),
    Description: 'reads',
  });
});

describe('customer managed policies', () => {
  test('CreatePolicy gives an ANPA id and version v1; GetPolicyVersion returns the document URL-encoded', async () => {
    const { Policy } = await t.root('GetPolicy', { PolicyArn: ARN });
    expect(Policy).toMatchObject({
      PolicyName: 'read',
      Arn: ARN,
      DefaultVersionId: 'v1',
      AttachmentCount: 0,
      IsAttachable: true,
      Description: 'reads',
    });
    expect(Policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
    const { PolicyVersion } = await t.root('GetPolicyVersion', { PolicyArn: ARN, VersionId: 'v1' });
    expect(decodeURIComponent(PolicyVersion.Document)).toBe(policy(allow('s3:Get*')));
    expect(PolicyVersion.IsDefaultVersion).toBe(true);
  });

  test('a duplicate name is EntityAlreadyExists', async () => {
    await expect(
      t.root('CreatePolicy', { PolicyName: 'read', PolicyDocument: policy(allow('s3:*')) }),
    ).rejects.toMatchObject({
      code: 'EntityAlreadyExistsException',
      message: 'A policy called read already exists. Duplicate names are not allowed.',
    });
  });

  test('versions: SetAsDefault, at most five, the default cannot be deleted', async () => {
    const v2 = await t.root('CreatePolicyVersion', {
      PolicyArn: ARN,
      PolicyDocument: policy(allow('s3:*')),
      SetAsDefault: true,
    });
    expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    for (let i = 0; i < 3; i++)
      await t.root('CreatePolicyVersion', { PolicyArn: ARN, PolicyDocument: policy(allow('s3:*')) });
    await expect(
      t.root('CreatePolicyVersion', { PolicyArn: ARN, PolicyDocument: policy(allow('s3:*')) }),
    ).rejects.toMatchObject({
      code: 'LimitExceededException',
    });
    await expect(t.root('DeletePolicyVersion', { PolicyArn: ARN, VersionId: 'v2' })).rejects.toMatchObject({
      code: 'DeleteConflictException',
      message: 'Cannot delete the default version of a policy.',
    });
    await t.root('DeletePolicyVersion', { PolicyArn: ARN, VersionId: 'v1' });
    const { Versions } = await t.root('ListPolicyVersions', { PolicyArn: ARN });
    expect(Versions.map((v: { VersionId: string }) => v.VersionId)).toEqual(['v5', 'v4', 'v3', 'v2']);
  });

  test('DeletePolicy: refused while attached or with other versions', async () => {
    await t.root('CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: trustService() });
    await t.root('AttachRolePolicy', { RoleName: 'r', PolicyArn: ARN });
    expect((await t.root('GetPolicy', { PolicyArn: ARN })).Policy.AttachmentCount).toBe(1);
    expect((await t.root('ListEntitiesForPolicy', { PolicyArn: ARN })).PolicyRoles).toEqual([
      { RoleName: 'r', RoleId: expect.stringMatching(/^AROA/) },
    ]);
    await expect(t.root('DeletePolicy', { PolicyArn: ARN })).rejects.toMatchObject({
      message: 'Cannot delete a policy attached to entities.',
    });
    await t.root('DetachRolePolicy', { RoleName: 'r', PolicyArn: ARN });
    await t.root('CreatePolicyVersion', { PolicyArn: ARN, PolicyDocument: policy(allow('s3:*')) });
    await expect(t.root('DeletePolicy', { PolicyArn: ARN })).rejects.toMatchObject({
      code: 'DeleteConflictException',
    });
    await t.root('DeletePolicyVersion', { PolicyArn: ARN, VersionId: 'v2' });
    await t.root('DeletePolicy', { PolicyArn: ARN });
    await expect(t.root('GetPolicy', { PolicyArn: ARN })).rejects.toMatchObject({
      code: 'NoSuchEntityException',
    });
  });
});

describe('AWS managed policies', () => {
  test.for([
    'arn:aws:iam::aws:policy/AdministratorAccess',
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
    'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
    'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
    'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
  ])('%s is in the catalogue with its published document', async (arn) => {
    const { Policy } = await t.root('GetPolicy', { PolicyArn: arn });
    const { PolicyVersion } = await t.root('GetPolicyVersion', {
      PolicyArn: arn,
      VersionId: Policy.DefaultVersionId,
    });
    expect(JSON.parse(decodeURIComponent(PolicyVersion.Document)).Statement.length).toBeGreaterThan(0);
  });

  test('ListPolicies scopes: Local, AWS, All', async () => {
    const names = async (Scope: string) =>
      (await t.root('ListPolicies', { Scope, MaxItems: 1000 })).Policies.map(
        (p: { PolicyName: string }) => p.PolicyName,
      );
    expect(await names('Local')).toEqual(['read']);
    expect(await names('AWS')).toContain('AmazonSSMManagedInstanceCore');
    expect(await names('All')).toEqual(expect.arrayContaining(['read', 'AdministratorAccess']));
  });

  test('an AWS managed policy cannot be changed', async () => {
    await expect(
      t.root('CreatePolicyVersion', {
        PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        PolicyDocument: policy(allow('*')),
      }),
    ).rejects.toMatchObject({ code: 'InvalidInputException' });
  });
});
