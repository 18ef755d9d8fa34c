import { describe, expect, test } from 'vitest';
import { networkAclFor } from '../../../../twin/services/ec2/model/network-acls.ts';
import { networkTwin } from './network-fixture.ts';

async function withAcl() {
  const t = networkTwin();
  const { vpc, subnet } = await t.vpcWithSubnet();
  const { NetworkAcl } = await t.call('CreateNetworkAcl', { VpcId: vpc.VpcId });
  const aclId = NetworkAcl.NetworkAclId as string;
  const entries = async () =>
    (await t.call('DescribeNetworkAcls', { NetworkAclIds: [aclId] })).NetworkAcls[0].Entries;
  return { ...t, vpc, subnet, aclId, created: NetworkAcl, entries };
}

describe('CreateNetworkAcl', () => {
  test('a custom ACL denies everything: only the * rule, in and out', async () => {
    const { created } = await withAcl();
    expect(created.IsDefault).toBe(false);
    expect(created.Entries).toEqual([
      { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
      { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
    ]);
  });
});

describe('network ACL entries', () => {
  test('protocol names are stored as numbers, with the port range or ICMP type and code', async () => {
    const { call, aclId, entries } = await withAcl();
    await call('CreateNetworkAclEntry', {
      NetworkAclId: aclId,
      RuleNumber: 100,
      Protocol: 'tcp',
      RuleAction: 'allow',
      Egress: false,
      CidrBlock: '10.0.0.0/8',
      PortRange: { From: 443, To: 443 },
    });
    await call('CreateNetworkAclEntry', {
      NetworkAclId: aclId,
      RuleNumber: 110,
      Protocol: '1',
      RuleAction: 'deny',
      Egress: false,
      CidrBlock: '10.9.0.0/16',
      IcmpTypeCode: { Type: -1, Code: -1 },
    });
    const inbound = (await entries()).filter((e: { Egress: boolean }) => !e.Egress);
    expect(inbound).toEqual([
      {
        RuleNumber: 100,
        Egress: false,
        Protocol: '6',
        RuleAction: 'allow',
        CidrBlock: '10.0.0.0/8',
        PortRange: { From: 443, To: 443 },
      },
      {
        RuleNumber: 110,
        Egress: false,
        Protocol: '1',
        RuleAction: 'deny',
        CidrBlock: '10.9.0.0/16',
        IcmpTypeCode: { Type: -1, Code: -1 },
      },
      { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny', CidrBlock: '0.0.0.0/0' },
    ]);
  });

  test('a TCP entry without a port range is refused', async () => {
    const { call, aclId } = await withAcl();
    await expect(
      call('CreateNetworkAclEntry', {
        NetworkAclId: aclId,
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        CidrBlock: '10.0.0.0/8',
      }),
    ).rejects.toMatchObject({ code: 'MissingParameter' });
  });

  test('rule numbers are unique per direction; Replace needs the rule; * cannot be touched', async () => {
    const { call, aclId, entries } = await withAcl();
    const entry = {
      NetworkAclId: aclId,
      RuleNumber: 100,
      Protocol: '-1',
      RuleAction: 'allow',
      CidrBlock: '0.0.0.0/0',
    };
    await call('CreateNetworkAclEntry', { ...entry, Egress: true });
    await call('CreateNetworkAclEntry', { ...entry, Egress: false });
    await expect(call('CreateNetworkAclEntry', { ...entry, Egress: false })).rejects.toMatchObject({
      code: 'NetworkAclEntryAlreadyExists',
      message: 'The network acl entry identified by 100 already exists.',
    });
    await call('ReplaceNetworkAclEntry', { ...entry, Egress: false, RuleAction: 'deny' });
    expect(
      (await entries()).find(
        (e: { Egress: boolean; RuleNumber: number }) => !e.Egress && e.RuleNumber === 100,
      ).RuleAction,
    ).toBe('deny');
    await expect(call('ReplaceNetworkAclEntry', { ...entry, RuleNumber: 200 })).rejects.toMatchObject({
      code: 'InvalidNetworkAclEntry.NotFound',
    });
    await expect(call('ReplaceNetworkAclEntry', { ...entry, RuleNumber: 32767 })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await expect(
      call('DeleteNetworkAclEntry', { NetworkAclId: aclId, RuleNumber: 32767, Egress: false }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await call('DeleteNetworkAclEntry', { NetworkAclId: aclId, RuleNumber: 100, Egress: true });
    expect((await entries()).map((e: { RuleNumber: number }) => e.RuleNumber)).toEqual([32767, 100, 32767]);
  });
});

describe('associations', () => {
  test('ReplaceNetworkAclAssociation moves the subnet; networkAclFor follows it', async () => {
    const { call, model, subnet, aclId } = await withAcl();
    const { NetworkAcls } = await call('DescribeNetworkAcls', {
      Filters: [{ Name: 'association.subnet-id', Values: [subnet.SubnetId] }],
    });
    expect(networkAclFor(model(), subnet.SubnetId!)?.id).toBe(NetworkAcls[0].NetworkAclId);
    const { NewAssociationId } = await call('ReplaceNetworkAclAssociation', {
      AssociationId: NetworkAcls[0].Associations[0].NetworkAclAssociationId,
      NetworkAclId: aclId,
    });
    expect(NewAssociationId).toMatch(/^aclassoc-/);
    expect(networkAclFor(model(), subnet.SubnetId!)?.id).toBe(aclId);
    await expect(call('DeleteNetworkAcl', { NetworkAclId: aclId })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
  });

  test('the default ACL cannot be deleted', async () => {
    const { call } = await withAcl();
    const { NetworkAcls } = await call('DescribeNetworkAcls', {
      Filters: [{ Name: 'default', Values: ['true'] }],
    });
    await expect(
      call('DeleteNetworkAcl', { NetworkAclId: NetworkAcls[0].NetworkAclId }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValue' });
  });

  test('deleting a subnet frees its association', async () => {
    const { call, model, subnet } = await withAcl();
    await call('DeleteSubnet', { SubnetId: subnet.SubnetId });
    expect(networkAclFor(model(), subnet.SubnetId!)).toBeUndefined();
  });
});

describe('DescribeNetworkAcls filters', () => {
  test('entry.rule-number, entry.protocol, entry.rule-action and entry.egress', async () => {
    const { call, aclId } = await withAcl();
    await call('CreateNetworkAclEntry', {
      NetworkAclId: aclId,
      RuleNumber: 120,
      Protocol: 'udp',
      RuleAction: 'allow',
      Egress: true,
      CidrBlock: '10.0.0.0/8',
      PortRange: { From: 53, To: 53 },
    });
    const ids = async (Filters: object[]) =>
      (await call('DescribeNetworkAcls', { Filters })).NetworkAcls.map(
        (a: { NetworkAclId: string }) => a.NetworkAclId,
      );
    expect(await ids([{ Name: 'entry.rule-number', Values: ['120'] }])).toEqual([aclId]);
    expect(
      await ids([
        { Name: 'entry.protocol', Values: ['17'] },
        { Name: 'entry.egress', Values: ['true'] },
      ]),
    ).toEqual([aclId]);
    expect(
      await ids([
        { Name: 'entry.rule-action', Values: ['allow'] },
        { Name: 'default', Values: ['false'] },
      ]),
    ).toEqual([aclId]);
  });
});
