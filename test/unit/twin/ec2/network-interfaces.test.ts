import { describe, expect, test } from 'vitest';
import { createServiceEni } from '../../../../twin/services/ec2/model/network-interfaces.ts';
import { ALICE, networkTwin } from './network-fixture.ts';

describe('CreateNetworkInterface / DeleteNetworkInterface', () => {
  test('an ENI gets the VPC default group when none is named, and an address inside its subnet', async () => {
    const t = networkTwin();
    const { vpc, subnet } = await t.vpcWithSubnet();
    const { NetworkInterface } = await t.call('CreateNetworkInterface', {
      SubnetId: subnet.SubnetId,
      Description: 'spare',
    });
    const { SecurityGroups } = await t.call('DescribeSecurityGroups', {
      Filters: [
        { Name: 'vpc-id', Values: [vpc.VpcId] },
        { Name: 'group-name', Values: ['default'] },
      ],
    });
    expect(NetworkInterface).toMatchObject({
      InterfaceType: 'interface',
      Status: 'available',
      Description: 'spare',
      OwnerId: ALICE,
      RequesterManaged: false,
      Groups: [{ GroupId: SecurityGroups[0].GroupId, GroupName: 'default' }],
    });
    expect(NetworkInterface.PrivateIpAddress).toMatch(/^10\.20\.1\.\d+$/);
    expect(NetworkInterface.PrivateDnsName).toBe(
      `ip-${NetworkInterface.PrivateIpAddress.replaceAll('.', '-')}.ec2.internal`,
    );
  });

  test('a free ENI can be deleted; an attached one is InvalidNetworkInterface.InUse', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const { NetworkInterface } = await t.call('CreateNetworkInterface', { SubnetId: subnet.SubnetId });
    await t.call('DeleteNetworkInterface', { NetworkInterfaceId: NetworkInterface.NetworkInterfaceId });
    const run = await t.call('RunInstances', {
      ImageId: 'ami-12345678',
      MinCount: 1,
      MaxCount: 1,
      SubnetId: subnet.SubnetId,
    });
    const eniId = run.Instances[0].NetworkInterfaces[0].NetworkInterfaceId;
    await expect(t.call('DeleteNetworkInterface', { NetworkInterfaceId: eniId })).rejects.toMatchObject({
      code: 'InvalidNetworkInterface.InUse',
      message: `Interface: [${eniId}] in use.`,
    });
  });

  test('ModifyNetworkInterfaceAttribute Groups replaces the groups; a group of another VPC is refused', async () => {
    const t = networkTwin();
    const { vpc, subnet } = await t.vpcWithSubnet();
    const other = await t.vpcWithSubnet('10.30.0.0/16', '10.30.1.0/24');
    const mine = await t.call('CreateSecurityGroup', { GroupName: 'a', Description: 'a', VpcId: vpc.VpcId });
    const theirs = await t.call('CreateSecurityGroup', {
      GroupName: 'b',
      Description: 'b',
      VpcId: other.vpc.VpcId,
    });
    const { NetworkInterface } = await t.call('CreateNetworkInterface', { SubnetId: subnet.SubnetId });
    const id = NetworkInterface.NetworkInterfaceId;
    await t.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: id, Groups: [mine.GroupId] });
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', { NetworkInterfaceIds: [id] });
    expect(NetworkInterfaces[0].Groups).toEqual([{ GroupId: mine.GroupId, GroupName: 'a' }]);
    await expect(
      t.call('ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: id, Groups: [theirs.GroupId] }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
    });
  });
});

describe('DescribeNetworkInterfaces filters', () => {
  async function mixed() {
    const t = networkTwin();
    const { vpc, subnet } = await t.vpcWithSubnet();
    const plain = (await t.call('CreateNetworkInterface', { SubnetId: subnet.SubnetId, Description: 'mine' }))
      .NetworkInterface;
    const service = createServiceEni(t.model(), {
      subnetId: subnet.SubnetId!,
      type: 'vpc_endpoint',
      description: 'VPC Endpoint Interface vpce-0123456789abcdef0',
      requesterId: '727180483921',
      securityGroupIds: [],
    });
    return { t, vpc, subnet, plain, service };
  }

  test.for([
    ['interface-type', 'vpc_endpoint', 'service'],
    ['interface-type', 'interface', 'plain'],
    ['requester-managed', 'true', 'service'],
    ['status', 'available', 'plain'],
    ['description', 'VPC Endpoint Interface *', 'service'],
  ] as const)('%s=%s finds the %s ENI', async ([name, value, which], { expect }) => {
    const { t, plain, service } = await mixed();
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: name, Values: [value] }],
    });
    const wanted = which === 'service' ? service.id : plain.NetworkInterfaceId;
    expect(NetworkInterfaces.map((e: { NetworkInterfaceId: string }) => e.NetworkInterfaceId)).toEqual([
      wanted,
    ]);
  });

  test('`interface-endpoint` is no interface type AWS reports: the filter matches nothing', async () => {
    const { t } = await mixed();
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: 'interface-type', Values: ['interface-endpoint'] }],
    });
    expect(NetworkInterfaces).toEqual([]);
  });

  test('vpc-id, subnet-id and address filters match both; an unknown filter is refused', async () => {
    const { t, vpc, subnet, service } = await mixed();
    const all = await t.call('DescribeNetworkInterfaces', {
      Filters: [
        { Name: 'vpc-id', Values: [vpc.VpcId] },
        { Name: 'subnet-id', Values: [subnet.SubnetId] },
      ],
    });
    expect(all.NetworkInterfaces).toHaveLength(2);
    for (const name of ['private-ip-address', 'addresses.private-ip-address']) {
      const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
        Filters: [{ Name: name, Values: [service.privateIp] }],
      });
      expect(NetworkInterfaces.map((e: { NetworkInterfaceId: string }) => e.NetworkInterfaceId)).toEqual([
        service.id,
      ]);
    }
    await expect(
      t.call('DescribeNetworkInterfaces', { Filters: [{ Name: 'no-such', Values: ['x'] }] }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('a service ENI is requester-managed, attached by AWS and cannot be deleted by the caller', async () => {
    const { t, service } = await mixed();
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      NetworkInterfaceIds: [service.id],
    });
    expect(NetworkInterfaces[0]).toMatchObject({
      RequesterManaged: true,
      RequesterId: '727180483921',
      Status: 'in-use',
      Attachment: { InstanceOwnerId: 'amazon-aws', Status: 'attached', DeleteOnTermination: false },
    });
    await expect(t.call('DeleteNetworkInterface', { NetworkInterfaceId: service.id })).rejects.toMatchObject({
      code: 'InvalidNetworkInterface.InUse',
    });
  });
});
