import { describe, expect, test } from 'vitest';
import { ALICE, BOB, networkTwin } from './network-fixture.ts';

describe('internet gateways', () => {
  test('attach, describe as available, and the AWS errors around it', async () => {
    const { call } = networkTwin();
    const a = await call('CreateVpc', { CidrBlock: '10.1.0.0/16' });
    const b = await call('CreateVpc', { CidrBlock: '10.2.0.0/16' });
    const first = (await call('CreateInternetGateway')).InternetGateway.InternetGatewayId;
    const second = (await call('CreateInternetGateway')).InternetGateway.InternetGatewayId;
    await call('AttachInternetGateway', { InternetGatewayId: first, VpcId: a.Vpc.VpcId });
    const { InternetGateways } = await call('DescribeInternetGateways', {
      Filters: [{ Name: 'attachment.vpc-id', Values: [a.Vpc.VpcId] }],
    });
    expect(InternetGateways).toEqual([
      expect.objectContaining({
        InternetGatewayId: first,
        Attachments: [{ VpcId: a.Vpc.VpcId, State: 'available' }],
      }),
    ]);
    await expect(
      call('AttachInternetGateway', { InternetGatewayId: first, VpcId: b.Vpc.VpcId }),
    ).rejects.toMatchObject({
      code: 'Resource.AlreadyAssociated',
    });
    await expect(
      call('AttachInternetGateway', { InternetGatewayId: second, VpcId: a.Vpc.VpcId }),
    ).rejects.toMatchObject({
      code: 'InvalidParameterValue',
    });
    await expect(
      call('DetachInternetGateway', { InternetGatewayId: first, VpcId: b.Vpc.VpcId }),
    ).rejects.toMatchObject({ code: 'Gateway.NotAttached' });
    await expect(call('DeleteInternetGateway', { InternetGatewayId: first })).rejects.toMatchObject({
      code: 'DependencyViolation',
    });
    await call('DetachInternetGateway', { InternetGatewayId: first, VpcId: a.Vpc.VpcId });
    await call('DeleteInternetGateway', { InternetGatewayId: first });
    await expect(call('DescribeInternetGateways', { InternetGatewayIds: [first] })).rejects.toMatchObject({
      code: 'InvalidInternetGatewayID.NotFound',
    });
  });
});

describe('Elastic IPs', () => {
  test('come from the documentation range, unique across accounts, and can be released', async () => {
    const { call } = networkTwin();
    const one = await call('AllocateAddress', { Domain: 'vpc' });
    const two = await call('AllocateAddress', { Domain: 'vpc' }, BOB);
    expect([one.PublicIp, two.PublicIp]).toEqual(['203.0.113.1', '203.0.113.2']);
    expect(one).toMatchObject({ Domain: 'vpc', AllocationId: expect.stringMatching(/^eipalloc-/) });
    const { Addresses } = await call('DescribeAddresses', {
      Filters: [{ Name: 'public-ip', Values: ['203.0.113.*'] }],
    });
    expect(Addresses.map((a: { AllocationId: string }) => a.AllocationId)).toEqual([one.AllocationId]);
    await call('ReleaseAddress', { AllocationId: one.AllocationId });
    await expect(call('DescribeAddresses', { AllocationIds: [one.AllocationId] })).rejects.toMatchObject({
      code: 'InvalidAllocationID.NotFound',
    });
  });
});

describe('NAT gateways', () => {
  async function natLab() {
    const t = networkTwin();
    const { vpc, subnet } = await t.vpcWithSubnet();
    const igw = (await t.call('CreateInternetGateway')).InternetGateway.InternetGatewayId;
    await t.call('AttachInternetGateway', { InternetGatewayId: igw, VpcId: vpc.VpcId });
    const eip = await t.call('AllocateAddress');
    return { ...t, vpc, subnet, igw, eip };
  }

  test('a public NAT gateway needs an Elastic IP', async () => {
    const { call, subnet } = await natLab();
    await expect(call('CreateNatGateway', { SubnetId: subnet.SubnetId })).rejects.toMatchObject({
      code: 'MissingParameter',
    });
  });

  test('places a requester-managed nat_gateway interface in the subnet and associates the address', async () => {
    const { call, model, subnet, eip } = await natLab();
    const { NatGateway } = await call('CreateNatGateway', {
      SubnetId: subnet.SubnetId,
      AllocationId: eip.AllocationId,
    });
    expect(NatGateway.State).toBe('pending');
    const eni = model().networkInterfaces.get(NatGateway.NatGatewayAddresses[0].NetworkInterfaceId)!;
    expect(eni).toMatchObject({
      interfaceType: 'nat_gateway',
      requesterManaged: true,
      subnetId: subnet.SubnetId,
      privateIp: expect.stringMatching(/^10\.20\.1\.\d+$/),
      publicIp: eip.PublicIp,
    });
    const { NatGateways } = await call('DescribeNatGateways', {
      Filter: [{ Name: 'subnet-id', Values: [subnet.SubnetId] }],
    });
    expect(NatGateways[0]).toMatchObject({
      State: 'available',
      ConnectivityType: 'public',
      NatGatewayAddresses: [
        expect.objectContaining({
          AllocationId: eip.AllocationId,
          PublicIp: eip.PublicIp,
          PrivateIp: eni.privateIp,
        }),
      ],
    });
    const { Addresses } = await call('DescribeAddresses', { AllocationIds: [eip.AllocationId] });
    expect(Addresses[0]).toMatchObject({
      NetworkInterfaceId: eni.id,
      PrivateIpAddress: eni.privateIp,
      AssociationId: expect.stringMatching(/^eipassoc-/),
    });
    await expect(call('ReleaseAddress', { AllocationId: eip.AllocationId })).rejects.toMatchObject({
      code: 'InvalidIPAddress.InUse',
    });
    await expect(
      call('CreateNatGateway', { SubnetId: subnet.SubnetId, AllocationId: eip.AllocationId }),
    ).rejects.toMatchObject({
      code: 'Resource.AlreadyAssociated',
    });
  });

  test('keeps the internet gateway attached while its public address is mapped', async () => {
    const { call, vpc, subnet, igw, eip } = await natLab();
    const { NatGateway } = await call('CreateNatGateway', {
      SubnetId: subnet.SubnetId,
      AllocationId: eip.AllocationId,
    });
    await expect(
      call('DetachInternetGateway', { InternetGatewayId: igw, VpcId: vpc.VpcId }),
    ).rejects.toMatchObject({ code: 'DependencyViolation' });
    await call('DeleteNatGateway', { NatGatewayId: NatGateway.NatGatewayId });
    await call('DetachInternetGateway', { InternetGatewayId: igw, VpcId: vpc.VpcId });
  });

  test('a deleted NAT gateway frees its interface and address, and is described for an hour', async () => {
    const { call, clock, model, subnet, eip } = await natLab();
    const { NatGateway } = await call('CreateNatGateway', {
      SubnetId: subnet.SubnetId,
      AllocationId: eip.AllocationId,
    });
    await call('DeleteNatGateway', { NatGatewayId: NatGateway.NatGatewayId });
    expect(model().networkInterfaces.size).toBe(0);
    const described = async () =>
      (await call('DescribeNatGateways', {})).NatGateways.map((n: { State: string }) => n.State);
    expect(await described()).toEqual(['deleted']);
    clock.advance(3_600_000);
    expect(await described()).toEqual([]);
    await call('ReleaseAddress', { AllocationId: eip.AllocationId });
    await call('DeleteSubnet', { SubnetId: subnet.SubnetId });
  });

  test('a private NAT gateway takes no address', async () => {
    const { call, subnet, eip } = await natLab();
    await expect(
      call('CreateNatGateway', {
        SubnetId: subnet.SubnetId,
        ConnectivityType: 'private',
        AllocationId: eip.AllocationId,
      }),
    ).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    const { NatGateway } = await call(
      'CreateNatGateway',
      { SubnetId: subnet.SubnetId, ConnectivityType: 'private' },
      ALICE,
    );
    expect(NatGateway.NatGatewayAddresses[0].PublicIp).toBeUndefined();
  });
});
