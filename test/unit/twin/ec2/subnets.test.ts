import { describe, expect, test } from 'vitest';
import type { NetworkInterfaceState } from '../../../../twin/services/ec2/model/state.ts';
import { allocatePrivateIp } from '../../../../twin/services/ec2/model/subnets.ts';
import { networkTwin } from './network-fixture.ts';

function eni(subnetId: string, vpcId: string, privateIp: string): NetworkInterfaceState {
  return {
    id: `eni-${privateIp.replace(/\./g, '')}`,
    subnetId,
    vpcId,
    ownerId: '123456789012',
    availabilityZone: 'us-east-1a',
    privateIp,
    securityGroupIds: [],
    interfaceType: 'interface',
    status: 'in-use',
    description: '',
    requesterManaged: false,
    sourceDestCheck: true,
    tags: {},
  };
}

describe('CreateSubnet', () => {
  test.for([
    ['10.30.1.0/24', 'InvalidSubnet.Range'],
    ['10.20.0.0/15', 'InvalidSubnet.Range'],
    ['10.20.1.0/29', 'InvalidSubnet.Range'],
    ['10.20.1.1/24', 'InvalidSubnet.Range'],
    ['10.20.1.128/25', 'InvalidSubnet.Conflict'],
    ['10.20.0.0/16', 'InvalidSubnet.Conflict'],
    ['not-a-cidr', 'InvalidParameterValue'],
  ])('refuses %s with %s next to 10.20.1.0/24 in 10.20.0.0/16', async ([cidr, code]) => {
    const { call, vpcWithSubnet } = networkTwin();
    const { vpc } = await vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    await expect(call('CreateSubnet', { VpcId: vpc.VpcId, CidrBlock: cidr })).rejects.toMatchObject({ code });
  });

  test('places the subnet in the named zone, with its zone id', async () => {
    const { call } = networkTwin();
    const { Vpc } = await call('CreateVpc', { CidrBlock: '10.20.0.0/16' });
    const byName = await call('CreateSubnet', {
      VpcId: Vpc.VpcId,
      CidrBlock: '10.20.1.0/24',
      AvailabilityZone: 'us-east-1c',
    });
    const byId = await call('CreateSubnet', {
      VpcId: Vpc.VpcId,
      CidrBlock: '10.20.2.0/24',
      AvailabilityZoneId: 'use1-az6',
    });
    expect([byName.Subnet.AvailabilityZoneId, byId.Subnet.AvailabilityZone]).toEqual([
      'use1-az3',
      'us-east-1f',
    ]);
    await expect(
      call('CreateSubnet', { VpcId: Vpc.VpcId, CidrBlock: '10.20.3.0/24', AvailabilityZone: 'us-east-1z' }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
  });

  test('starts on the default network ACL and the main route table', async () => {
    const { call, vpcWithSubnet } = networkTwin();
    const { subnet } = await vpcWithSubnet();
    const acls = await call('DescribeNetworkAcls', {
      Filters: [{ Name: 'association.subnet-id', Values: [subnet.SubnetId] }],
    });
    expect(acls.NetworkAcls.map((a: { IsDefault: boolean }) => a.IsDefault)).toEqual([true]);
    const explicit = await call('DescribeRouteTables', {
      Filters: [{ Name: 'association.subnet-id', Values: [subnet.SubnetId] }],
    });
    expect(explicit.RouteTables).toEqual([]);
  });
});

describe('AvailableIpAddressCount', () => {
  test('is the size less 5 reserved addresses less the interfaces in the subnet', async () => {
    const { call, vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet('10.20.0.0/16', '10.20.1.0/28');
    const count = async () =>
      (await call('DescribeSubnets', { SubnetIds: [subnet.SubnetId] })).Subnets[0].AvailableIpAddressCount;
    expect(subnet.AvailableIpAddressCount).toBe(11);
    model().networkInterfaces.set('eni-a', eni(subnet.SubnetId!, vpc.VpcId!, '10.20.1.4'));
    model().networkInterfaces.set('eni-b', eni(subnet.SubnetId!, vpc.VpcId!, '10.20.1.9'));
    expect(await count()).toBe(9);
  });

  test('counts the interface a NAT gateway places in the subnet', async () => {
    const { call, vpcWithSubnet } = networkTwin();
    const { subnet } = await vpcWithSubnet();
    const { AllocationId } = await call('AllocateAddress', { Domain: 'vpc' });
    await call('CreateNatGateway', { SubnetId: subnet.SubnetId, AllocationId });
    const { Subnets } = await call('DescribeSubnets', { SubnetIds: [subnet.SubnetId] });
    expect(Subnets[0].AvailableIpAddressCount).toBe(250);
  });
});

describe('allocatePrivateIp', () => {
  test('hands out a usable address, never a reserved one, and never one in use', async () => {
    const { vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet('10.20.0.0/28', '10.20.0.0/28');
    // a /28 has 16 addresses, 11 usable (.4 to .14): take them all, then there are none left
    const taken = new Set<string>();
    for (let i = 0; i < 11; i++) {
      const ip = allocatePrivateIp(model(), subnet.SubnetId!);
      const last = Number(ip.split('.')[3]);
      expect(last).toBeGreaterThanOrEqual(4);
      expect(last).toBeLessThanOrEqual(14);
      expect(taken.has(ip)).toBe(false);
      taken.add(ip);
      model().networkInterfaces.set(`eni-${i}`, eni(subnet.SubnetId!, vpc.VpcId!, ip));
    }
    expect(() => allocatePrivateIp(model(), subnet.SubnetId!)).toThrow(/not enough free addresses/);
  });

  test.for([
    ['10.20.1.3', 'InvalidParameterValue'],
    ['10.20.1.255', 'InvalidParameterValue'],
    ['10.20.2.10', 'InvalidParameterValue'],
    ['10.20.1.10', 'InvalidIPAddress.InUse'],
  ])('refuses %s with %s', async ([ip, code]) => {
    const { vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    model().networkInterfaces.set('eni-a', eni(subnet.SubnetId!, vpc.VpcId!, '10.20.1.10'));
    expect(() => allocatePrivateIp(model(), subnet.SubnetId!, ip)).toThrow(expect.objectContaining({ code }));
  });

  test('gives the requested address when it is free', async () => {
    const { vpcWithSubnet, model } = networkTwin();
    const { subnet } = await vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    expect(allocatePrivateIp(model(), subnet.SubnetId!, '10.20.1.254')).toBe('10.20.1.254');
  });

  test('runs out in a full /28', async () => {
    const { vpcWithSubnet, model } = networkTwin();
    const { vpc, subnet } = await vpcWithSubnet('10.20.0.0/16', '10.20.1.0/28');
    for (let host = 4; host <= 14; host++)
      model().networkInterfaces.set(`eni-${host}`, eni(subnet.SubnetId!, vpc.VpcId!, `10.20.1.${host}`));
    expect(() => allocatePrivateIp(model(), subnet.SubnetId!)).toThrow(
      expect.objectContaining({ code: 'InsufficientFreeAddressesInSubnet' }),
    );
  });
});

describe('DeleteSubnet and ModifySubnetAttribute', () => {
  test('a subnet holding a NAT gateway cannot be deleted', async () => {
    const { call, vpcWithSubnet } = networkTwin();
    const { subnet } = await vpcWithSubnet();
    const { AllocationId } = await call('AllocateAddress');
    await call('CreateNatGateway', { SubnetId: subnet.SubnetId, AllocationId });
    await expect(call('DeleteSubnet', { SubnetId: subnet.SubnetId })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
  });

  test('MapPublicIpOnLaunch shows in describes and in the map-public-ip-on-launch filter', async () => {
    const { call, vpcWithSubnet } = networkTwin();
    const { subnet } = await vpcWithSubnet();
    await call('ModifySubnetAttribute', { SubnetId: subnet.SubnetId, MapPublicIpOnLaunch: { Value: true } });
    const { Subnets } = await call('DescribeSubnets', {
      Filters: [{ Name: 'map-public-ip-on-launch', Values: ['true'] }],
    });
    expect(Subnets.map((s: { SubnetId: string }) => s.SubnetId)).toEqual([subnet.SubnetId]);
  });

  test('DescribeSubnets takes cidr-block and its aliases, and availability-zone wildcards', async () => {
    const { call, vpcWithSubnet } = networkTwin();
    const { subnet } = await vpcWithSubnet('10.20.0.0/16', '10.20.1.0/24');
    for (const name of ['cidr-block', 'cidr', 'cidrBlock']) {
      const { Subnets } = await call('DescribeSubnets', {
        Filters: [{ Name: name, Values: ['10.20.1.0/24'] }],
      });
      expect(Subnets).toHaveLength(1);
    }
    const { Subnets } = await call('DescribeSubnets', {
      Filters: [{ Name: 'availability-zone', Values: ['us-east-1*'] }],
    });
    expect(Subnets[0].SubnetId).toBe(subnet.SubnetId);
  });
});

describe('DescribeAvailabilityZones', () => {
  test('lists us-east-1a…f with use1-az1…6 and filters by zone-name', async () => {
    const { call } = networkTwin();
    const { AvailabilityZones } = await call('DescribeAvailabilityZones');
    expect(
      AvailabilityZones.map((z: { ZoneName: string; ZoneId: string }) => `${z.ZoneName}=${z.ZoneId}`),
    ).toEqual([
      'us-east-1a=use1-az1',
      'us-east-1b=use1-az2',
      'us-east-1c=use1-az3',
      'us-east-1d=use1-az4',
      'us-east-1e=use1-az5',
      'us-east-1f=use1-az6',
    ]);
    const one = await call('DescribeAvailabilityZones', {
      Filters: [{ Name: 'zone-name', Values: ['us-east-1b'] }],
    });
    expect(one.AvailabilityZones).toEqual([
      expect.objectContaining({ ZoneId: 'use1-az2', State: 'available' }),
    ]);
  });

  test('names other regions by their short code', async () => {
    const { call } = networkTwin();
    const { AvailabilityZones } = await call('DescribeAvailabilityZones', {}, undefined, 'eu-west-1');
    expect(AvailabilityZones[0]).toMatchObject({
      ZoneName: 'eu-west-1a',
      ZoneId: 'euw1-az1',
      RegionName: 'eu-west-1',
    });
  });
});
