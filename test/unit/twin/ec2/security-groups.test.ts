import { describe, expect, test } from 'vitest';
import { networkTwin } from './network-fixture.ts';

async function withGroup() {
  const t = networkTwin();
  const { Vpc } = await t.call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
  const { GroupId } = await t.call('CreateSecurityGroup', {
    VpcId: Vpc.VpcId,
    GroupName: 'app',
    Description: 'app servers',
  });
  const group = async () =>
    (await t.call('DescribeSecurityGroups', { GroupIds: [GroupId] })).SecurityGroups[0];
  return { ...t, vpcId: Vpc.VpcId as string, groupId: GroupId as string, group };
}

describe('CreateSecurityGroup', () => {
  test('a new group allows all outbound and nothing inbound', async () => {
    const { group } = await withGroup();
    const g = await group();
    expect(g.IpPermissions).toEqual([]);
    expect(g.IpPermissionsEgress).toEqual([
      {
        IpProtocol: '-1',
        IpRanges: [{ CidrIp: '0.0.0.0/0' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
  });

  test.for([
    ['app', 'InvalidGroup.Duplicate'],
    ['default', 'InvalidGroup.Reserved'],
    ['sg-123', 'InvalidParameterValue'],
  ])('refuses the name %s with %s', async ([name, code]) => {
    const { call, vpcId } = await withGroup();
    await expect(
      call('CreateSecurityGroup', { VpcId: vpcId, GroupName: name, Description: 'x' }),
    ).rejects.toMatchObject({ code });
  });

  test('without a VPC there is no default VPC to fall back on', async () => {
    const { call } = networkTwin();
    await expect(call('CreateSecurityGroup', { GroupName: 'x', Description: 'x' })).rejects.toMatchObject({
      code: 'VPCIdNotSpecified',
    });
  });
});

describe('AuthorizeSecurityGroupIngress', () => {
  test('takes the top-level CidrIp/IpProtocol/FromPort/ToPort form and normalises ICMP', async () => {
    const { call, groupId, group } = await withGroup();
    const { SecurityGroupRules } = await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpProtocol: '1',
      FromPort: -1,
      ToPort: -1,
      CidrIp: '10.9.0.0/16',
    });
    expect(SecurityGroupRules).toEqual([
      expect.objectContaining({
        IpProtocol: 'icmp',
        FromPort: -1,
        ToPort: -1,
        CidrIpv4: '10.9.0.0/16',
        IsEgress: false,
        GroupId: groupId,
      }),
    ]);
    expect((await group()).IpPermissions).toEqual([
      {
        IpProtocol: 'icmp',
        FromPort: -1,
        ToPort: -1,
        IpRanges: [{ CidrIp: '10.9.0.0/16' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
  });

  test.for([
    ['6', 'tcp'],
    ['TCP', 'tcp'],
    ['17', 'udp'],
    ['all', '-1'],
    ['50', '50'],
  ])('protocol %s is stored as %s', async ([given, stored]) => {
    const { call, groupId } = await withGroup();
    const { SecurityGroupRules } = await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpPermissions: [
        { IpProtocol: given, FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }] },
      ],
    });
    expect(SecurityGroupRules[0].IpProtocol).toBe(stored);
  });

  test('groups sources of the same protocol and ports into one IpPermission', async () => {
    const { call, groupId, group } = await withGroup();
    const perm = (cidr: string, description?: string) => ({
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: cidr, ...(description && { Description: description }) }],
    });
    await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpPermissions: [perm('10.1.0.0/16', 'first')],
    });
    await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpPermissions: [perm('10.2.0.0/16'), { ...perm('10.3.0.0/16'), FromPort: 80, ToPort: 80 }],
    });
    const { IpPermissions } = await group();
    expect(IpPermissions).toHaveLength(2);
    expect(IpPermissions[0]).toMatchObject({
      FromPort: 443,
      IpRanges: [{ CidrIp: '10.1.0.0/16', Description: 'first' }, { CidrIp: '10.2.0.0/16' }],
    });
  });

  test('the same rule twice is InvalidPermission.Duplicate and adds nothing', async () => {
    const { call, groupId, group } = await withGroup();
    const rule = {
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
    };
    await call('AuthorizeSecurityGroupIngress', rule);
    await expect(call('AuthorizeSecurityGroupIngress', rule)).rejects.toMatchObject({
      code: 'InvalidPermission.Duplicate',
      message: 'the specified rule "peer: 10.0.0.0/8, TCP, from port: 22, to port: 22, ALLOW" already exists',
    });
    expect((await group()).IpPermissions[0].IpRanges).toHaveLength(1);
  });

  test('a group of a VPC that is not peered is refused', async () => {
    const { call, groupId } = await withGroup();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.50.0.0/16' });
    const other = await call('CreateSecurityGroup', {
      VpcId: Vpc.VpcId,
      GroupName: 'other',
      Description: 'x',
    });
    await expect(
      call('AuthorizeSecurityGroupIngress', {
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: other.GroupId }] }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidGroup.NotFound' });
  });
});

describe('RevokeSecurityGroupIngress / Egress', () => {
  test('a rule that does not match exactly is InvalidPermission.NotFound and nothing is revoked', async () => {
    const { call, groupId, group } = await withGroup();
    await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      CidrIp: '10.0.0.0/8',
    });
    await expect(
      call('RevokeSecurityGroupIngress', {
        GroupId: groupId,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 23,
        CidrIp: '10.0.0.0/8',
      }),
    ).rejects.toMatchObject({ code: 'InvalidPermission.NotFound' });
    expect((await group()).IpPermissions).toHaveLength(1);
    const { RevokedSecurityGroupRules } = await call('RevokeSecurityGroupIngress', {
      GroupId: groupId,
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      CidrIp: '10.0.0.0/8',
    });
    expect(RevokedSecurityGroupRules).toHaveLength(1);
    expect((await group()).IpPermissions).toEqual([]);
  });

  test('revoking the default egress rule by its id leaves no outbound rule', async () => {
    const { call, groupId, group } = await withGroup();
    const { SecurityGroupRules } = await call('DescribeSecurityGroupRules', {
      Filters: [{ Name: 'group-id', Values: [groupId] }],
    });
    expect(SecurityGroupRules).toEqual([
      expect.objectContaining({
        IsEgress: true,
        IpProtocol: '-1',
        FromPort: -1,
        ToPort: -1,
        CidrIpv4: '0.0.0.0/0',
      }),
    ]);
    await call('RevokeSecurityGroupEgress', {
      GroupId: groupId,
      SecurityGroupRuleIds: [SecurityGroupRules[0].SecurityGroupRuleId],
    });
    expect((await group()).IpPermissionsEgress).toEqual([]);
  });
});

describe('DeleteSecurityGroup', () => {
  test('the default group cannot be deleted', async () => {
    const { call, vpcId } = await withGroup();
    const { SecurityGroups } = await call('DescribeSecurityGroups', {
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: ['default'] },
      ],
    });
    await expect(call('DeleteSecurityGroup', { GroupId: SecurityGroups[0].GroupId })).rejects.toMatchObject({
      code: 'CannotDelete',
    });
  });

  test('a group another group references is a DependencyViolation', async () => {
    const { call, vpcId, groupId } = await withGroup();
    const db = await call('CreateSecurityGroup', { VpcId: vpcId, GroupName: 'db', Description: 'db' });
    await call('AuthorizeSecurityGroupIngress', {
      GroupId: db.GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: groupId }] },
      ],
    });
    await expect(call('DeleteSecurityGroup', { GroupId: groupId })).rejects.toMatchObject({
      code: 'DependencyViolation',
      message: `resource ${groupId} has a dependent object`,
    });
    await call('DeleteSecurityGroup', { GroupId: db.GroupId });
    expect(await call('DeleteSecurityGroup', { GroupId: groupId })).toEqual({
      Return: true,
      GroupId: groupId,
    });
  });
});

describe('DescribeSecurityGroups filters', () => {
  test('ip-permission.cidr, ip-permission.protocol, ip-permission.from-port, ip-permission.group-id and group-name wildcards', async () => {
    const { call, groupId, vpcId } = await withGroup();
    const db = await call('CreateSecurityGroup', { VpcId: vpcId, GroupName: 'db', Description: 'db' });
    await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpProtocol: 'icmp',
      FromPort: -1,
      ToPort: -1,
      CidrIp: '10.9.0.0/16',
    });
    await call('AuthorizeSecurityGroupIngress', {
      GroupId: db.GroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: groupId }] },
      ],
    });
    const names = async (Name: string, value: string) =>
      (await call('DescribeSecurityGroups', { Filters: [{ Name, Values: [value] }] })).SecurityGroups.map(
        (g: { GroupName: string }) => g.GroupName,
      );
    expect(await names('ip-permission.cidr', '10.9.*')).toEqual(['app']);
    expect(await names('ip-permission.protocol', 'icmp')).toEqual(['app']);
    expect(await names('ip-permission.from-port', '5432')).toEqual(['db']);
    expect(await names('ip-permission.group-id', groupId)).toEqual(['db']);
    expect(await names('egress.ip-permission.cidr', '0.0.0.0/0')).toEqual(['default', 'app', 'db']);
    expect(await names('group-name', 'd*')).toEqual(['default', 'db']);
  });
});

describe('IPv6 rules', () => {
  test('an IPv6 source is kept, shown under Ipv6Ranges and revoked like any other', async () => {
    const { call, groupId, group } = await withGroup();
    const { SecurityGroupRules } = await call('AuthorizeSecurityGroupIngress', {
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    });
    expect(SecurityGroupRules[0]).toMatchObject({ CidrIpv6: '::/0', IsEgress: false });
    expect((await group()).IpPermissions).toEqual([
      {
        IpProtocol: '-1',
        IpRanges: [],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ]);
    await expect(
      call('AuthorizeSecurityGroupIngress', {
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
      }),
    ).rejects.toMatchObject({ code: 'InvalidPermission.Duplicate' });
    await call('RevokeSecurityGroupIngress', {
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }],
    });
    expect((await group()).IpPermissions).toEqual([]);
  });

  test('a malformed IPv6 range is refused', async () => {
    const { call, groupId } = await withGroup();
    await expect(
      call('AuthorizeSecurityGroupIngress', {
        GroupId: groupId,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: '10.0.0.0/8' }] },
        ],
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValue' });
  });
});
