import { describe, expect, test } from 'vitest';
import { networkTwin } from './network-fixture.ts';

describe('CreateVpc', () => {
  test('makes the main route table with only the local route', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    const { RouteTables } = await call('DescribeRouteTables', {
      Filters: [{ Name: 'vpc-id', Values: [Vpc.VpcId] }],
    });
    expect(RouteTables).toHaveLength(1);
    expect(RouteTables[0].Associations).toEqual([
      expect.objectContaining({ Main: true, AssociationState: { State: 'associated' } }),
    ]);
    expect(RouteTables[0].Routes).toEqual([
      {
        DestinationCidrBlock: '10.20.0.0/16',
        GatewayId: 'local',
        Origin: 'CreateRouteTable',
        State: 'active',
      },
    ]);
  });

  test("makes the default network ACL with AWS's rule 100 allow and * deny, both ways", async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    const { NetworkAcls } = await call('DescribeNetworkAcls', {
      Filters: [{ Name: 'vpc-id', Values: [Vpc.VpcId] }],
    });
    expect(NetworkAcls[0].IsDefault).toBe(true);
    const entries = NetworkAcls[0].Entries.map(
      (e: { RuleNumber: number; Egress: boolean; RuleAction: string; Protocol: string }) =>
        [e.Egress ? 'out' : 'in', e.RuleNumber, e.RuleAction, e.Protocol].join(' '),
    );
    expect(entries).toEqual(['out 100 allow -1', 'out 32767 deny -1', 'in 100 allow -1', 'in 32767 deny -1']);
  });

  test('makes the default security group: all inbound from itself, all outbound', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    const { SecurityGroups } = await call('DescribeSecurityGroups', {
      Filters: [{ Name: 'group-name', Values: ['default'] }],
    });
    const [group] = SecurityGroups;
    expect(group.VpcId).toBe(Vpc.VpcId);
    expect(group.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: '-1',
        UserIdGroupPairs: [{ GroupId: group.GroupId, UserId: Vpc.OwnerId }],
      }),
    ]);
    expect(group.IpPermissionsEgress).toEqual([
      expect.objectContaining({ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }),
    ]);
  });

  test('answers pending, then describes available with DNS support on and hostnames off', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    expect(Vpc.State).toBe('pending');
    const { Vpcs } = await call('DescribeVpcs', { VpcIds: [Vpc.VpcId] });
    expect(Vpcs[0]).toMatchObject({ State: 'available', IsDefault: false, CidrBlock: '10.20.0.0/16' });
    expect(
      await call('DescribeVpcAttribute', { VpcId: Vpc.VpcId, Attribute: 'enableDnsSupport' }),
    ).toMatchObject({ EnableDnsSupport: { Value: true } });
    expect(
      await call('DescribeVpcAttribute', { VpcId: Vpc.VpcId, Attribute: 'enableDnsHostnames' }),
    ).toMatchObject({ EnableDnsHostnames: { Value: false } });
  });

  test.for([
    ['10.0.0.0/8', 'InvalidVpc.Range'],
    ['10.0.0.0/29', 'InvalidVpc.Range'],
    ['10.0.0.1/16', 'InvalidVpc.Range'],
    ['10.0.0.0', 'InvalidParameterValue'],
  ])('refuses CIDR %s with %s', async ([cidr, code]) => {
    const { call } = networkTwin();
    await expect(call('CreateVpc', { CidrBlock: cidr })).rejects.toMatchObject({ code });
  });

  test('takes tags from TagSpecifications', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', {
      CidrBlock: '10.20.0.0/16',
      TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'edge' }] }],
    });
    expect(Vpc.Tags).toEqual([{ Key: 'Name', Value: 'edge' }]);
  });
});

describe('ModifyVpcAttribute', () => {
  test('turns DNS hostnames on, one attribute per call', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    await call('ModifyVpcAttribute', { VpcId: Vpc.VpcId, EnableDnsHostnames: { Value: true } });
    expect(
      await call('DescribeVpcAttribute', { VpcId: Vpc.VpcId, Attribute: 'enableDnsHostnames' }),
    ).toMatchObject({ EnableDnsHostnames: { Value: true } });
    await expect(
      call('ModifyVpcAttribute', {
        VpcId: Vpc.VpcId,
        EnableDnsHostnames: { Value: true },
        EnableDnsSupport: { Value: true },
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterCombination' });
  });
});

describe('DeleteVpc', () => {
  test('is a DependencyViolation while a subnet remains, and succeeds once it is gone', async () => {
    const { call, vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet();
    await expect(call('DeleteVpc', { VpcId: vpc.VpcId })).rejects.toMatchObject({
      code: 'DependencyViolation',
      message: `The vpc '${vpc.VpcId}' has dependencies and cannot be deleted.`,
    });
    await call('DeleteSubnet', { SubnetId: subnet.SubnetId });
    await call('DeleteVpc', { VpcId: vpc.VpcId });
    expect(model().routeTables.size + model().networkAcls.size + model().securityGroups.size).toBe(0);
    await expect(call('DescribeVpcs', { VpcIds: [vpc.VpcId] })).rejects.toMatchObject({
      code: 'InvalidVpcID.NotFound',
    });
  });

  test('is a DependencyViolation while an internet gateway is attached or a custom security group remains', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    const { InternetGateway } = await call('CreateInternetGateway');
    await call('AttachInternetGateway', {
      InternetGatewayId: InternetGateway.InternetGatewayId,
      VpcId: Vpc.VpcId,
    });
    await expect(call('DeleteVpc', { VpcId: Vpc.VpcId })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
    await call('DetachInternetGateway', {
      InternetGatewayId: InternetGateway.InternetGatewayId,
      VpcId: Vpc.VpcId,
    });
    const { GroupId } = await call('CreateSecurityGroup', {
      VpcId: Vpc.VpcId,
      GroupName: 'app',
      Description: 'app',
    });
    await expect(call('DeleteVpc', { VpcId: Vpc.VpcId })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
    await call('DeleteSecurityGroup', { GroupId });
    await call('DeleteVpc', { VpcId: Vpc.VpcId });
  });
});

describe('DescribeVpcs', () => {
  test('filters with wildcards, ORs values and ANDs filters', async () => {
    const { call } = networkTwin();
    const tagged = (name: string) => [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: name }] }];
    await call('CreateVpc', { CidrBlock: '10.1.0.0/16', TagSpecifications: tagged('prod-a') });
    await call('CreateVpc', { CidrBlock: '10.2.0.0/16', TagSpecifications: tagged('prod-b') });
    await call('CreateVpc', { CidrBlock: '10.3.0.0/16', TagSpecifications: tagged('dev') });
    const names = async (Filters: object[]) =>
      (await call('DescribeVpcs', { Filters })).Vpcs.map((v: { CidrBlock: string }) => v.CidrBlock);
    expect(await names([{ Name: 'tag:Name', Values: ['prod-*'] }])).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(
      await names([
        { Name: 'tag:Name', Values: ['prod-?', 'dev'] },
        { Name: 'cidr', Values: ['10.3.0.0/16'] },
      ]),
    ).toEqual(['10.3.0.0/16']);
    await expect(names([{ Name: 'no-such-filter', Values: ['x'] }])).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('pages with MaxResults and NextToken, and refuses MaxResults below 5', async () => {
    const { call } = networkTwin();
    for (let i = 1; i <= 7; i++) await call('CreateVpc', { CidrBlock: `10.${i}.0.0/16` });
    const first = await call('DescribeVpcs', { MaxResults: 5 });
    const second = await call('DescribeVpcs', { MaxResults: 5, NextToken: first.NextToken });
    expect([first.Vpcs.length, second.Vpcs.length, second.NextToken]).toEqual([5, 2, undefined]);
    await expect(call('DescribeVpcs', { MaxResults: 2 })).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('answers DryRunOperation (412) for a caller who may call it', async () => {
    const { call } = networkTwin();
    await expect(call('CreateVpc', { CidrBlock: '10.20.0.0/16', DryRun: true })).rejects.toMatchObject({
      code: 'DryRunOperation',
      status: 412,
    });
    expect((await call('DescribeVpcs')).Vpcs).toEqual([]);
  });
});
