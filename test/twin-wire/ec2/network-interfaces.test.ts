import {
  CreateNetworkInterfaceCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteNetworkInterfaceCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
let sdk: EC2Client;
let endpointEnis: string[];
let subnetId: string;
beforeAll(async () => {
  twin = await startTestTwin();
  sdk = new EC2Client(twin.clientConfig());
  const { Vpc } = await sdk.send(new CreateVpcCommand({ CidrBlock: '10.80.0.0/16' }));
  await sdk.send(new ModifyVpcAttributeCommand({ VpcId: Vpc!.VpcId, EnableDnsHostnames: { Value: true } }));
  const { Subnet } = await sdk.send(
    new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: '10.80.1.0/24' }),
  );
  subnetId = Subnet!.SubnetId!;
  const { VpcEndpoint } = await sdk.send(
    new CreateVpcEndpointCommand({
      VpcId: Vpc!.VpcId,
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.us-east-1.ssm',
      SubnetIds: [subnetId],
    }),
  );
  endpointEnis = VpcEndpoint!.NetworkInterfaceIds!;
});
afterAll(() => twin.close());

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

describe('network interfaces through the SDK', () => {
  test('CreateNetworkInterface → describe by address; an endpoint ENI cannot be deleted', async () => {
    const { NetworkInterface } = await sdk.send(
      new CreateNetworkInterfaceCommand({
        SubnetId: subnetId,
        PrivateIpAddress: '10.80.1.50',
        Description: 'spare',
      }),
    );
    expect(NetworkInterface).toMatchObject({
      Status: 'available',
      InterfaceType: 'interface',
      PrivateIpAddress: '10.80.1.50',
    });
    const { NetworkInterfaces } = await sdk.send(
      new DescribeNetworkInterfacesCommand({
        Filters: [{ Name: 'addresses.private-ip-address', Values: ['10.80.1.50'] }],
      }),
    );
    expect(NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([
      NetworkInterface!.NetworkInterfaceId,
    ]);
    await sdk.send(
      new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: NetworkInterface!.NetworkInterfaceId }),
    );
    await expect(
      sdk.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: endpointEnis[0] })),
    ).rejects.toMatchObject({
      name: 'InvalidNetworkInterface.InUse',
    });
  });

  test('an unknown id is InvalidNetworkInterfaceID.NotFound', async () => {
    await expect(
      sdk.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni-0123456789abcdef0'] })),
    ).rejects.toMatchObject({
      name: 'InvalidNetworkInterfaceID.NotFound',
    });
  });
});

describe.runIf(hasAwsCli)('network interfaces through the AWS CLI', () => {
  test('--filters Name=interface-type,Values=vpc_endpoint finds the endpoint ENIs, with addresses in their subnet', async () => {
    const out = await aws(twin, [
      'ec2',
      'describe-network-interfaces',
      '--filters',
      'Name=interface-type,Values=vpc_endpoint',
    ]);
    expect(out.code, out.stderr).toBe(0);
    const enis: Json[] = (out.json as Json).NetworkInterfaces;
    expect(enis.map((e) => e.NetworkInterfaceId)).toEqual(endpointEnis);
    expect(enis[0]).toMatchObject({
      InterfaceType: 'vpc_endpoint',
      RequesterManaged: true,
      SubnetId: subnetId,
    });
    expect(enis[0].PrivateIpAddress).toMatch(/^10\.80\.1\.\d+$/);
  });

  test('the write-up’s Values=interface-endpoint is no type AWS reports: an empty list, exit 0', async () => {
    const out = await aws(twin, [
      'ec2',
      'describe-network-interfaces',
      '--filters',
      'Name=interface-type,Values=interface-endpoint',
    ]);
    expect(out.code, out.stderr).toBe(0);
    expect((out.json as Json).NetworkInterfaces).toEqual([]);
  });
});
