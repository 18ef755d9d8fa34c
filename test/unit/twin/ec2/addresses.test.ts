import { describe, expect, test } from 'vitest';
import { networkTwin } from './network-fixture.ts';

async function instanceLab() {
  const lab = networkTwin();
  const { vpc, subnet } = await lab.vpcWithSubnet();
  const { Instances } = await lab.call('RunInstances', {
    ImageId: 'ami-0abcdef1234567890',
    MinCount: 1,
    MaxCount: 1,
    SubnetId: subnet.SubnetId,
  });
  const { AllocationId, PublicIp } = await lab.call('AllocateAddress', { Domain: 'vpc' });
  return { ...lab, vpc, instanceId: Instances[0].InstanceId as string, AllocationId, PublicIp };
}

const publicIpOf = async (call: ReturnType<typeof networkTwin>['call'], id: string) =>
  (await call('DescribeInstances', { InstanceIds: [id] })).Reservations[0].Instances[0].PublicIpAddress;

describe('AssociateAddress', () => {
  test('needs an internet gateway on the VPC, as AWS does', async () => {
    const { call, instanceId, AllocationId } = await instanceLab();
    await expect(call('AssociateAddress', { AllocationId, InstanceId: instanceId })).rejects.toMatchObject({
      code: 'Gateway.NotAttached',
    });
  });

  test('gives the instance a public IP, and taking it back removes it', async () => {
    const { call, vpc, instanceId, AllocationId, PublicIp } = await instanceLab();
    const { InternetGateway } = await call('CreateInternetGateway');
    await call('AttachInternetGateway', {
      InternetGatewayId: InternetGateway.InternetGatewayId,
      VpcId: vpc.VpcId,
    });
    const { AssociationId } = await call('AssociateAddress', { AllocationId, InstanceId: instanceId });
    expect(AssociationId).toMatch(/^eipassoc-/);
    expect(await publicIpOf(call, instanceId)).toBe(PublicIp);
    const { Addresses } = await call('DescribeAddresses', { AllocationIds: [AllocationId] });
    expect(Addresses[0]).toMatchObject({ InstanceId: instanceId, AssociationId });
    await expect(call('AssociateAddress', { AllocationId, InstanceId: instanceId })).rejects.toMatchObject({
      code: 'Resource.AlreadyAssociated',
    });
    await call('DisassociateAddress', { AssociationId });
    expect(await publicIpOf(call, instanceId)).toBeUndefined();
  });
});
