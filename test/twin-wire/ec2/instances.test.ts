import {
  AssociateIamInstanceProfileCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
let sdk: EC2Client;
beforeAll(async () => {
  twin = await startTestTwin();
  sdk = new EC2Client(twin.clientConfig());
});
afterAll(() => twin.close());

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;
const AMI = 'ami-0abcdef1234567890';

async function subnet(second: number) {
  const { Vpc } = await sdk.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }));
  const { Subnet } = await sdk.send(
    new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: `10.${second}.1.0/24` }),
  );
  return { vpcId: Vpc!.VpcId!, subnetId: Subnet!.SubnetId! };
}

describe('instances through the SDK', () => {
  test('RunInstances → Reservation with a pending instance; DescribeInstances shows it running', async () => {
    const { vpcId, subnetId } = await subnet(50);
    const out = await sdk.send(
      new RunInstancesCommand({
        ImageId: AMI,
        InstanceType: 't3.micro',
        MinCount: 1,
        MaxCount: 1,
        SubnetId: subnetId,
        PrivateIpAddress: '10.50.1.10',
        IamInstanceProfile: { Name: 'app' },
        TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'app' }] }],
      }),
    );
    const [launched] = out.Instances!;
    expect(out.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(launched).toMatchObject({
      State: { Code: 0, Name: 'pending' },
      PrivateIpAddress: '10.50.1.10',
      VpcId: vpcId,
    });
    const { Reservations } = await sdk.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['app'] }] }),
    );
    const [instance] = Reservations![0]!.Instances!;
    expect(instance).toMatchObject({
      InstanceId: launched!.InstanceId,
      State: { Code: 16, Name: 'running' },
      PrivateDnsName: 'ip-10-50-1-10.ec2.internal',
      IamInstanceProfile: { Arn: `arn:aws:iam::${twin.server.twin.accounts[0]}:instance-profile/app` },
      NetworkInterfaces: [
        expect.objectContaining({
          InterfaceType: 'interface',
          PrivateIpAddress: '10.50.1.10',
          Attachment: expect.objectContaining({ DeviceIndex: 0 }),
        }),
      ],
    });
    expect(instance!.LaunchTime).toBeInstanceOf(Date);
  });

  test('a taken fixed address is InvalidIPAddress.InUse over the wire', async () => {
    const { subnetId } = await subnet(51);
    const run = () =>
      sdk.send(
        new RunInstancesCommand({
          ImageId: AMI,
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnetId,
          PrivateIpAddress: '10.51.1.10',
        }),
      );
    await run();
    await expect(run()).rejects.toMatchObject({
      name: 'InvalidIPAddress.InUse',
      message: 'Address 10.51.1.10 is in use.',
    });
  });

  test('instance status, groups and the instance profile association', async () => {
    const { vpcId, subnetId } = await subnet(52);
    const { GroupId } = await sdk.send(
      new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcId }),
    );
    const { Instances } = await sdk.send(
      new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1, SubnetId: subnetId }),
    );
    const id = Instances![0]!.InstanceId!;
    const { InstanceStatuses } = await sdk.send(new DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    expect(InstanceStatuses![0]).toMatchObject({
      InstanceState: { Name: 'running' },
      InstanceStatus: { Status: 'ok' },
    });
    await sdk.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [GroupId!] }));
    const { Reservations } = await sdk.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(Reservations![0]!.Instances![0]!.SecurityGroups).toEqual([{ GroupId, GroupName: 'app' }]);
    await sdk.send(
      new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'ssm' } }),
    );
    const { IamInstanceProfileAssociations } = await sdk.send(
      new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }),
    );
    expect(IamInstanceProfileAssociations).toEqual([
      expect.objectContaining({
        InstanceId: id,
        State: 'associated',
        AssociationId: expect.stringMatching(/^iip-assoc-/),
      }),
    ]);
    const { TerminatingInstances } = await sdk.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(TerminatingInstances![0]).toMatchObject({
      CurrentState: { Name: 'shutting-down' },
      PreviousState: { Name: 'running' },
    });
  });
});

describe.runIf(hasAwsCli)('instances through the AWS CLI', () => {
  test('run-instances --private-ip-address, then describe-instances --filters by that address', async () => {
    const { subnetId } = await subnet(53);
    const run = await aws(twin, [
      'ec2',
      'run-instances',
      '--image-id',
      AMI,
      '--instance-type',
      't3.micro',
      '--subnet-id',
      subnetId,
      '--private-ip-address',
      '10.53.1.10',
      '--iam-instance-profile',
      'Name=app',
      '--tag-specifications',
      'ResourceType=instance,Tags=[{Key=Name,Value=cli-app}]',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const launched: Json = run.json;
    expect(launched.Instances[0]).toMatchObject({
      PrivateIpAddress: '10.53.1.10',
      State: { Name: 'pending' },
    });
    const found = await aws(twin, [
      'ec2',
      'describe-instances',
      '--filters',
      'Name=private-ip-address,Values=10.53.1.10',
      'Name=instance-state-name,Values=running',
    ]);
    expect(found.code, found.stderr).toBe(0);
    expect((found.json as Json).Reservations[0].Instances[0]).toMatchObject({
      InstanceId: launched.Instances[0].InstanceId,
      Tags: [{ Key: 'Name', Value: 'cli-app' }],
    });
  });

  test('an address outside the subnet prints InvalidParameterValue and exits 254', async () => {
    const { subnetId } = await subnet(54);
    const run = await aws(twin, [
      'ec2',
      'run-instances',
      '--image-id',
      AMI,
      '--subnet-id',
      subnetId,
      '--private-ip-address',
      '10.99.1.10',
    ]);
    expect(run.code).toBe(254);
    expect(run.stderr).toContain(
      "(InvalidParameterValue) when calling the RunInstances operation: Address 10.99.1.10 does not fall within the subnet's address range",
    );
  });
});
