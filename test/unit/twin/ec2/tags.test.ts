import { describe, expect, test } from 'vitest';
import { networkTwin } from './network-fixture.ts';

describe('CreateTags, DeleteTags, DescribeTags', () => {
  test('tags any resource of the model, found by its id, and DescribeTags filters them', async () => {
    const { call, vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet();
    const { GroupId } = await call('CreateSecurityGroup', {
      VpcId: vpc.VpcId,
      GroupName: 'app',
      Description: 'app',
    });
    const table = model().vpcs.get(vpc.VpcId!)!.mainRouteTableId;
    await call('CreateTags', {
      Resources: [vpc.VpcId, subnet.SubnetId, GroupId, table],
      Tags: [{ Key: 'team', Value: 'net' }],
    });
    const { Tags } = await call('DescribeTags', { Filters: [{ Name: 'key', Values: ['team'] }] });
    expect(Tags.map((t: { ResourceType: string }) => t.ResourceType)).toEqual([
      'vpc',
      'subnet',
      'route-table',
      'security-group',
    ]);
    const subnets = await call('DescribeTags', { Filters: [{ Name: 'resource-type', Values: ['subnet'] }] });
    expect(subnets.Tags).toEqual([
      { Key: 'team', Value: 'net', ResourceId: subnet.SubnetId, ResourceType: 'subnet' },
    ]);
    const { Subnets } = await call('DescribeSubnets', { Filters: [{ Name: 'tag:team', Values: ['n*'] }] });
    expect(Subnets).toHaveLength(1);
  });

  test('finds resources in maps other parts of EC2 own (instances)', async () => {
    const { call, vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet();
    model().instances.set('i-0abc', {
      id: 'i-0abc',
      ownerId: model().accountId,
      subnetId: subnet.SubnetId!,
      vpcId: vpc.VpcId!,
      availabilityZone: 'us-east-1a',
      imageId: 'ami-0abc',
      instanceType: 't3.micro',
      state: 'running',
      launchTime: 0,
      primaryNetworkInterfaceId: 'eni-0abc',
      privateIp: '10.20.1.4',
      tags: {},
    });
    await call('CreateTags', { Resources: ['i-0abc'], Tags: [{ Key: 'Name', Value: 'box' }] });
    const { Tags } = await call('DescribeTags', { Filters: [{ Name: 'resource-id', Values: ['i-0abc'] }] });
    expect(Tags).toEqual([{ Key: 'Name', Value: 'box', ResourceId: 'i-0abc', ResourceType: 'instance' }]);
  });

  test('DeleteTags removes a tag whatever its value, or only when the value matches', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    await call('CreateTags', {
      Resources: [Vpc.VpcId],
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
        { Key: 'c', Value: '' },
      ],
    });
    await call('DeleteTags', { Resources: [Vpc.VpcId], Tags: [{ Key: 'a', Value: 'wrong' }, { Key: 'b' }] });
    const tags = async () => (await call('DescribeVpcs', { VpcIds: [Vpc.VpcId] })).Vpcs[0].Tags;
    expect(await tags()).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'c', Value: '' },
    ]);
    await call('DeleteTags', { Resources: [Vpc.VpcId] });
    expect(await tags()).toBeUndefined();
  });

  test.for([
    ['vpc-0missing', 'InvalidVpcID.NotFound'],
    ['subnet-0missing', 'InvalidSubnetID.NotFound'],
    ['bogus', 'InvalidID'],
  ])('tagging %s is %s', async ([id, code]) => {
    const { call } = networkTwin();
    await expect(
      call('CreateTags', { Resources: [id], Tags: [{ Key: 'k', Value: 'v' }] }),
    ).rejects.toMatchObject({ code });
  });

  test('aws: keys are reserved', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    await expect(
      call('CreateTags', { Resources: [Vpc.VpcId], Tags: [{ Key: 'aws:owner', Value: 'me' }] }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('DescribeTags pages', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    await call('CreateTags', {
      Resources: [Vpc.VpcId],
      Tags: Array.from({ length: 7 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })),
    });
    const first = await call('DescribeTags', { MaxResults: 5 });
    const second = await call('DescribeTags', { MaxResults: 5, NextToken: first.NextToken });
    expect([first.Tags.length, second.Tags.length]).toEqual([5, 2]);
  });
});
