import { beforeEach, describe, expect, test } from 'vitest';
import { findInstanceProfileRole, findRole, rolePolicies } from '../../../../../twin/services/iam/lookups.ts';
import { ACCT, allow, iamTwin, policy, trustService } from './support.ts';

/** Instance profiles, and what other services learn through lookups.ts. */
let t: ReturnType<typeof iamTwin>;
beforeEach(async () => {
  t = iamTwin();
  await t.root('CreateRole', {
    RoleName: 'web',
    AssumeRolePolicyDocument: trustService('ec2.amazonaws.com'),
  });
  await t.root('CreateInstanceProfile', { InstanceProfileName: 'web-profile', Path: '/ec2/' });
});

describe('instance profiles', () => {
  test('one role per profile: a second is LimitExceeded', async () => {
    await t.root('CreateRole', {
      RoleName: 'other',
      AssumeRolePolicyDocument: trustService('ec2.amazonaws.com'),
    });
    await t.root('AddRoleToInstanceProfile', { InstanceProfileName: 'web-profile', RoleName: 'web' });
    await expect(
      t.root('AddRoleToInstanceProfile', { InstanceProfileName: 'web-profile', RoleName: 'other' }),
    ).rejects.toMatchObject({
      code: 'LimitExceededException',
    });
    const { InstanceProfile } = await t.root('GetInstanceProfile', { InstanceProfileName: 'web-profile' });
    expect(InstanceProfile).toMatchObject({
      Arn: `arn:aws:iam::${ACCT}:instance-profile/ec2/web-profile`,
      Roles: [{ RoleName: 'web' }],
    });
    expect(InstanceProfile.InstanceProfileId).toMatch(/^AIPA/);
    expect((await t.root('ListInstanceProfilesForRole', { RoleName: 'web' })).InstanceProfiles).toHaveLength(
      1,
    );
  });

  test('a profile with a role cannot be deleted', async () => {
    await t.root('AddRoleToInstanceProfile', { InstanceProfileName: 'web-profile', RoleName: 'web' });
    await expect(
      t.root('DeleteInstanceProfile', { InstanceProfileName: 'web-profile' }),
    ).rejects.toMatchObject({
      code: 'DeleteConflictException',
    });
    await t.root('RemoveRoleFromInstanceProfile', { InstanceProfileName: 'web-profile', RoleName: 'web' });
    await t.root('DeleteInstanceProfile', { InstanceProfileName: 'web-profile' });
    expect((await t.root('ListInstanceProfiles')).InstanceProfiles).toEqual([]);
  });
});

describe('lookups for other services', () => {
  test('findInstanceProfileRole follows the profile to its current role', async () => {
    const arn = `arn:aws:iam::${ACCT}:instance-profile/ec2/web-profile`;
    expect(findInstanceProfileRole(t.twin, arn)).toBeUndefined();
    await t.root('AddRoleToInstanceProfile', { InstanceProfileName: 'web-profile', RoleName: 'web' });
    expect(findInstanceProfileRole(t.twin, arn)).toMatchObject({
      roleName: 'web',
      roleArn: `arn:aws:iam::${ACCT}:role/web`,
    });
  });

  test('findRole and rolePolicies read the role as it is now', async () => {
    const arn = `arn:aws:iam::${ACCT}:role/web`;
    expect(findRole(t.twin, arn)).toMatchObject({
      roleName: 'web',
      maxSessionDuration: 3600,
      accountId: ACCT,
    });
    expect(findRole(t.twin, `arn:aws:iam::${ACCT}:role/wrong-path/web`)).toBeUndefined();
    await t.root('PutRolePolicy', {
      RoleName: 'web',
      PolicyName: 'p',
      PolicyDocument: policy(allow('s3:*')),
    });
    await t.root('AttachRolePolicy', {
      RoleName: 'web',
      PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    });
    expect(rolePolicies(t.twin, arn).map((p) => [p.id, p.sourceType])).toEqual([
      ['p', 'role'],
      ['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore', 'aws-managed'],
    ]);
  });
});
