import { describe, expect, test } from 'vitest';
import { ALICE, networkTwin } from './network-fixture.ts';

const AMI = 'ami-0c02fb55956c7d316';

async function launch(t: ReturnType<typeof networkTwin>, subnetId: string, extra: object = {}) {
  const r = await t.call('RunInstances', {
    ImageId: AMI,
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
    SubnetId: subnetId,
    ...extra,
  });
  return r.Instances[0];
}

describe('RunInstances', () => {
  test('a fixed private IP is the primary ENI address; the ENI is of type interface, attached at index 0', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const instance = await launch(t, subnet.SubnetId!, { PrivateIpAddress: '10.20.1.10' });
    expect(instance.PrivateIpAddress).toBe('10.20.1.10');
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: 'attachment.instance-id', Values: [instance.InstanceId] }],
    });
    expect(NetworkInterfaces).toHaveLength(1);
    expect(NetworkInterfaces[0]).toMatchObject({
      InterfaceType: 'interface',
      PrivateIpAddress: '10.20.1.10',
      Status: 'in-use',
      RequesterManaged: false,
      Attachment: {
        DeviceIndex: 0,
        InstanceId: instance.InstanceId,
        Status: 'attached',
        DeleteOnTermination: true,
      },
    });
  });

  test.for([
    [
      '10.20.2.10',
      'InvalidParameterValue',
      "Address 10.20.2.10 does not fall within the subnet's address range",
    ],
    ['10.20.1.3', 'InvalidParameterValue', "Address 10.20.1.3 is in subnet's reserved address range"],
  ])('refuses %s: %s', async ([ip, code, message]) => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    await expect(launch(t, subnet.SubnetId!, { PrivateIpAddress: ip })).rejects.toMatchObject({
      code,
      message,
    });
  });

  test('a fixed IP already held is InvalidIPAddress.InUse', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    await launch(t, subnet.SubnetId!, { PrivateIpAddress: '10.20.1.10' });
    await expect(launch(t, subnet.SubnetId!, { PrivateIpAddress: '10.20.1.10' })).rejects.toMatchObject({
      code: 'InvalidIPAddress.InUse',
      message: 'Address 10.20.1.10 is in use.',
    });
  });

  test('answers pending and is described running; reservation and tags for instance and ENI', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const r = await t.call('RunInstances', {
      ImageId: AMI,
      MinCount: 2,
      MaxCount: 2,
      SubnetId: subnet.SubnetId,
      TagSpecifications: [
        { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'app' }] },
        { ResourceType: 'network-interface', Tags: [{ Key: 'Role', Value: 'primary' }] },
      ],
    });
    expect(r.Instances.map((i: { State: unknown }) => i.State)).toEqual([
      { Code: 0, Name: 'pending' },
      { Code: 0, Name: 'pending' },
    ]);
    const { Reservations } = await t.call('DescribeInstances', {
      Filters: [{ Name: 'tag:Name', Values: ['app'] }],
    });
    expect(Reservations).toHaveLength(1);
    expect(Reservations[0].ReservationId).toBe(r.ReservationId);
    expect(Reservations[0].Instances.map((i: { State: { Name: string } }) => i.State.Name)).toEqual([
      'running',
      'running',
    ]);
    const { NetworkInterfaces } = await t.call('DescribeNetworkInterfaces', {
      Filters: [{ Name: 'tag:Role', Values: ['primary'] }],
    });
    expect(NetworkInterfaces).toHaveLength(2);
  });

  test('a public IP only when the subnet maps public IPs or the launch asks for one', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    expect((await launch(t, subnet.SubnetId!)).PublicIpAddress).toBeUndefined();
    const asked = await launch(t, undefined as unknown as string, {
      SubnetId: undefined,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId, AssociatePublicIpAddress: true }],
    });
    expect(asked.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await t.call('ModifySubnetAttribute', {
      SubnetId: subnet.SubnetId,
      MapPublicIpOnLaunch: { Value: true },
    });
    expect((await launch(t, subnet.SubnetId!)).PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  test('an instance profile name resolves to the account ARN and is filterable', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const instance = await launch(t, subnet.SubnetId!, { IamInstanceProfile: { Name: 'app-profile' } });
    const arn = `arn:aws:iam::${ALICE}:instance-profile/app-profile`;
    expect(instance.IamInstanceProfile.Arn).toBe(arn);
    const { Reservations } = await t.call('DescribeInstances', {
      Filters: [{ Name: 'iam-instance-profile.arn', Values: [arn] }],
    });
    expect(Reservations[0].Instances[0].InstanceId).toBe(instance.InstanceId);
  });

  test('a group of another VPC is refused; no subnet at all is VPCIdNotSpecified', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const other = await t.vpcWithSubnet('10.30.0.0/16', '10.30.1.0/24');
    const { GroupId } = await t.call('CreateSecurityGroup', {
      GroupName: 'x',
      Description: 'x',
      VpcId: other.vpc.VpcId,
    });
    await expect(launch(t, subnet.SubnetId!, { SecurityGroupIds: [GroupId] })).rejects.toMatchObject({
      code: 'InvalidParameter',
    });
    await expect(t.call('RunInstances', { ImageId: AMI, MinCount: 1, MaxCount: 1 })).rejects.toMatchObject({
      code: 'VPCIdNotSpecified',
    });
  });

  test('filters by private address, ENI address, state, subnet and VPC', async () => {
    const t = networkTwin();
    const { vpc, subnet } = await t.vpcWithSubnet();
    const a = await launch(t, subnet.SubnetId!, { PrivateIpAddress: '10.20.1.10' });
    await launch(t, subnet.SubnetId!, { PrivateIpAddress: '10.20.1.11' });
    for (const [Name, value] of [
      ['private-ip-address', '10.20.1.10'],
      ['network-interface.addresses.private-ip-address', '10.20.1.10'],
      ['instance-id', a.InstanceId],
    ]) {
      const { Reservations } = await t.call('DescribeInstances', { Filters: [{ Name, Values: [value] }] });
      expect(
        Reservations.flatMap((r: { Instances: { InstanceId: string }[] }) =>
          r.Instances.map((i) => i.InstanceId),
        ),
      ).toEqual([a.InstanceId]);
    }
    const both = await t.call('DescribeInstances', {
      Filters: [
        { Name: 'vpc-id', Values: [vpc.VpcId] },
        { Name: 'subnet-id', Values: [subnet.SubnetId] },
        { Name: 'instance-state-name', Values: ['running'] },
      ],
    });
    expect(both.Reservations).toHaveLength(2);
  });
});

describe('instance lifecycle', () => {
  test('stop, start, terminate answer the transitional state; terminate deletes the ENI', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const { InstanceId, NetworkInterfaces } = await launch(t, subnet.SubnetId!);
    const stop = await t.call('StopInstances', { InstanceIds: [InstanceId] });
    expect(stop.StoppingInstances[0]).toMatchObject({
      CurrentState: { Name: 'stopping', Code: 64 },
      PreviousState: { Name: 'running' },
    });
    const start = await t.call('StartInstances', { InstanceIds: [InstanceId] });
    expect(start.StartingInstances[0]).toMatchObject({
      CurrentState: { Name: 'pending' },
      PreviousState: { Name: 'stopped' },
    });
    const end = await t.call('TerminateInstances', { InstanceIds: [InstanceId] });
    expect(end.TerminatingInstances[0]).toMatchObject({
      CurrentState: { Name: 'shutting-down', Code: 32 },
      PreviousState: { Name: 'running' },
    });
    await expect(
      t.call('DescribeNetworkInterfaces', { NetworkInterfaceIds: [NetworkInterfaces[0].NetworkInterfaceId] }),
    ).rejects.toMatchObject({
      code: 'InvalidNetworkInterfaceID.NotFound',
    });
    await expect(t.call('StartInstances', { InstanceIds: [InstanceId] })).rejects.toMatchObject({
      code: 'IncorrectInstanceState',
    });
  });

  test('a terminated instance stays described for about an hour, then is gone', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const { InstanceId } = await launch(t, subnet.SubnetId!);
    await t.call('TerminateInstances', { InstanceIds: [InstanceId] });
    const { Reservations } = await t.call('DescribeInstances', { InstanceIds: [InstanceId] });
    expect(Reservations[0].Instances[0]).toMatchObject({
      State: { Name: 'terminated', Code: 48 },
      NetworkInterfaces: [],
    });
    t.clock.advance(61 * 60_000);
    await expect(t.call('DescribeInstances', { InstanceIds: [InstanceId] })).rejects.toMatchObject({
      code: 'InvalidInstanceID.NotFound',
    });
  });

  test('DescribeInstanceStatus lists running instances unless IncludeAllInstances', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const a = await launch(t, subnet.SubnetId!);
    const b = await launch(t, subnet.SubnetId!);
    await t.call('StopInstances', { InstanceIds: [b.InstanceId] });
    const running = await t.call('DescribeInstanceStatus', {});
    expect(running.InstanceStatuses.map((s: { InstanceId: string }) => s.InstanceId)).toEqual([a.InstanceId]);
    expect(running.InstanceStatuses[0]).toMatchObject({
      InstanceStatus: { Status: 'ok' },
      SystemStatus: { Status: 'ok' },
    });
    const all = await t.call('DescribeInstanceStatus', { IncludeAllInstances: true });
    expect(all.InstanceStatuses).toHaveLength(2);
  });

  test('ModifyInstanceAttribute Groups changes the primary ENI groups', async () => {
    const t = networkTwin();
    const { vpc, subnet } = await t.vpcWithSubnet();
    const { GroupId } = await t.call('CreateSecurityGroup', {
      GroupName: 'app',
      Description: 'app',
      VpcId: vpc.VpcId,
    });
    const { InstanceId } = await launch(t, subnet.SubnetId!);
    await t.call('ModifyInstanceAttribute', { InstanceId, Groups: [GroupId] });
    const { Reservations } = await t.call('DescribeInstances', { InstanceIds: [InstanceId] });
    expect(Reservations[0].Instances[0].SecurityGroups).toEqual([{ GroupId, GroupName: 'app' }]);
    expect(Reservations[0].Instances[0].NetworkInterfaces[0].Groups).toEqual([{ GroupId, GroupName: 'app' }]);
  });
});

describe('IAM instance profile associations', () => {
  test('one association per instance; replace gives a new association; disassociate removes it', async () => {
    const t = networkTwin();
    const { subnet } = await t.vpcWithSubnet();
    const { InstanceId } = await launch(t, subnet.SubnetId!);
    const first = await t.call('AssociateIamInstanceProfile', {
      InstanceId,
      IamInstanceProfile: { Name: 'one' },
    });
    expect(first.IamInstanceProfileAssociation).toMatchObject({ InstanceId, State: 'associating' });
    await expect(
      t.call('AssociateIamInstanceProfile', { InstanceId, IamInstanceProfile: { Name: 'two' } }),
    ).rejects.toMatchObject({
      code: 'IncorrectState',
      message: `There is an existing association for instance ${InstanceId}`,
    });
    const replaced = await t.call('ReplaceIamInstanceProfileAssociation', {
      AssociationId: first.IamInstanceProfileAssociation.AssociationId,
      IamInstanceProfile: { Name: 'two' },
    });
    const newId = replaced.IamInstanceProfileAssociation.AssociationId;
    expect(newId).not.toBe(first.IamInstanceProfileAssociation.AssociationId);
    const listed = await t.call('DescribeIamInstanceProfileAssociations', {
      Filters: [{ Name: 'instance-id', Values: [InstanceId] }],
    });
    expect(listed.IamInstanceProfileAssociations).toEqual([
      expect.objectContaining({
        AssociationId: newId,
        State: 'associated',
        IamInstanceProfile: expect.objectContaining({ Arn: `arn:aws:iam::${ALICE}:instance-profile/two` }),
      }),
    ]);
    await t.call('DisassociateIamInstanceProfile', { AssociationId: newId });
    expect(
      (await t.call('DescribeIamInstanceProfileAssociations', {})).IamInstanceProfileAssociations,
    ).toEqual([]);
    await expect(t.call('DisassociateIamInstanceProfile', { AssociationId: newId })).rejects.toMatchObject({
      code: 'InvalidAssociationID.NotFound',
    });
  });
});
