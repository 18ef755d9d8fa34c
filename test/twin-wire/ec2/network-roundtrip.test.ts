import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSecurityGroupCommand,
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeVpcAttributeCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
  ReplaceRouteTableAssociationCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Every operation's output read back by the real client: a wrong element
 * name in ec2Query XML gives an empty field, not an error (twin-protocols.md §4).
 */
let twin: TestTwin;
let ec2: EC2Client;
let vpcId: string;
let subnetId: string;

beforeAll(async () => {
  twin = await startTestTwin();
  ec2 = new EC2Client(twin.clientConfig());
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.80.0.0/16' }))).Vpc!.VpcId!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.80.1.0/24' }))).Subnet!
    .SubnetId!;
});
afterAll(() => twin.close());

describe('EC2 network outputs survive the ec2Query XML round trip', () => {
  test('VPC attributes and Availability Zones', async () => {
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    const attribute = await ec2.send(
      new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }),
    );
    expect(attribute).toMatchObject({ VpcId: vpcId, EnableDnsHostnames: { Value: true } });
    const { AvailabilityZones } = await ec2.send(
      new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1d'] }),
    );
    expect(AvailabilityZones).toEqual([
      expect.objectContaining({
        ZoneName: 'us-east-1d',
        ZoneId: 'use1-az4',
        State: 'available',
        RegionName: 'us-east-1',
      }),
    ]);
  });

  test('internet gateway, Elastic IP and NAT gateway', async () => {
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const { InternetGateways } = await ec2.send(
      new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] }),
    );
    expect(InternetGateways![0]!.Attachments).toEqual([{ VpcId: vpcId, State: 'available' }]);
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: subnetId, AllocationId }));
    expect(NatGateway).toMatchObject({ State: 'pending', CreateTime: expect.any(Date), VpcId: vpcId });
    const { NatGateways } = await ec2.send(
      new DescribeNatGatewaysCommand({ NatGatewayIds: [NatGateway!.NatGatewayId!] }),
    );
    expect(NatGateways![0]!.NatGatewayAddresses).toEqual([
      expect.objectContaining({
        AllocationId,
        PublicIp,
        PrivateIp: expect.stringMatching(/^10\.80\.1\.\d+$/),
        IsPrimary: true,
        Status: 'succeeded',
      }),
    ]);
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ PublicIps: [PublicIp!] }));
    expect(Addresses![0]).toMatchObject({
      AllocationId,
      PrivateIpAddress: NatGateways![0]!.NatGatewayAddresses![0]!.PrivateIp,
      Domain: 'vpc',
      NetworkInterfaceId: expect.stringMatching(/^eni-/),
    });
  });

  test('route table and network ACL associations', async () => {
    const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const other = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const associated = await ec2.send(
      new AssociateRouteTableCommand({ RouteTableId: table, SubnetId: subnetId }),
    );
    expect(associated).toMatchObject({
      AssociationId: expect.stringMatching(/^rtbassoc-/),
      AssociationState: { State: 'associated' },
    });
    const replaced = await ec2.send(
      new ReplaceRouteTableAssociationCommand({
        AssociationId: associated.AssociationId,
        RouteTableId: other,
      }),
    );
    expect(replaced.NewAssociationId).toMatch(/^rtbassoc-/);
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
    const { NetworkAcls } = await ec2.send(
      new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
    );
    const { NewAssociationId } = await ec2.send(
      new ReplaceNetworkAclAssociationCommand({
        AssociationId: NetworkAcls![0]!.Associations![0]!.NetworkAclAssociationId,
        NetworkAclId: acl,
      }),
    );
    expect(NewAssociationId).toMatch(/^aclassoc-/);
  });

  test('security group rules, revoke by id and delete', async () => {
    const { GroupId, SecurityGroupArn } = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'rt', Description: 'rt' }),
    );
    expect(SecurityGroupArn).toBe(
      `arn:aws:ec2:us-east-1:${twin.server.twin.accounts[0]}:security-group/${GroupId}`,
    );
    const { SecurityGroupRules } = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [GroupId!] }] }),
    );
    expect(SecurityGroupRules).toEqual([
      expect.objectContaining({ GroupId, IsEgress: true, IpProtocol: '-1', CidrIpv4: '0.0.0.0/0' }),
    ]);
    const revoked = await ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId,
        SecurityGroupRuleIds: [SecurityGroupRules![0]!.SecurityGroupRuleId!],
      }),
    );
    expect(revoked).toMatchObject({
      Return: true,
      RevokedSecurityGroupRules: [expect.objectContaining({ IsEgress: true, CidrIpv4: '0.0.0.0/0' })],
    });
    expect(await ec2.send(new DeleteSecurityGroupCommand({ GroupId }))).toMatchObject({
      Return: true,
      GroupId,
    });
  });
});
