import {
  AssociateVpcCidrBlockCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DescribeRouteTablesCommand,
  DescribeVpcsCommand,
  DisassociateVpcCidrBlockCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

let twin: TestTwin;
let ec2: EC2Client;

beforeAll(async () => {
  twin = await startTestTwin();
  ec2 = new EC2Client(twin.clientConfig());
});
afterAll(() => twin.close());

async function newVpc(cidr: string): Promise<string> {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  return Vpc!.VpcId!;
}

async function associations(vpcId: string) {
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  return Vpcs![0]!.CidrBlockAssociationSet!.map((a) => `${a.CidrBlock} ${a.CidrBlockState?.State}`);
}

async function localRoutes(vpcId: string) {
  const { RouteTables } = await ec2.send(
    new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }),
  );
  return RouteTables![0]!.Routes!.filter((r) => r.GatewayId === 'local').map((r) => r.DestinationCidrBlock);
}

describe('secondary VPC CIDR blocks through the real SDK client', () => {
  test('associate, use, disassociate: the shapes, states and local routes round-trip', async () => {
    const vpcId = await newVpc('10.70.0.0/16');
    const associated = await ec2.send(
      new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '100.64.0.0/16' }),
    );
    expect(associated).toMatchObject({
      VpcId: vpcId,
      CidrBlockAssociation: {
        AssociationId: expect.stringMatching(/^vpc-cidr-assoc-/),
        CidrBlock: '100.64.0.0/16',
        CidrBlockState: { State: 'associating' },
      },
    });
    expect(await associations(vpcId)).toEqual(['10.70.0.0/16 associated', '100.64.0.0/16 associated']);
    expect(await localRoutes(vpcId)).toEqual(['10.70.0.0/16', '100.64.0.0/16']);

    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '100.64.1.0/24' }));
    const associationId = associated.CidrBlockAssociation!.AssociationId!;
    await expect(
      ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: associationId })),
    ).rejects.toMatchObject({ name: 'InvalidCidrBlock.InUse', $metadata: { httpStatusCode: 400 } });
    await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));

    const gone = await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: associationId }));
    expect(gone).toMatchObject({
      VpcId: vpcId,
      CidrBlockAssociation: { AssociationId: associationId, CidrBlockState: { State: 'disassociating' } },
    });
    expect(await associations(vpcId)).toEqual(['10.70.0.0/16 associated', '100.64.0.0/16 disassociated']);
    expect(await localRoutes(vpcId)).toEqual(['10.70.0.0/16']);
  });

  test('errors keep their EC2 codes: the primary block, a restricted range, an overlap', async () => {
    const vpcId = await newVpc('10.71.0.0/16');
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
    const primary = Vpcs![0]!.CidrBlockAssociationSet![0]!.AssociationId!;
    await expect(
      ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: primary })),
    ).rejects.toMatchObject({ name: 'OperationNotPermitted', $metadata: { httpStatusCode: 400 } });
    await expect(
      ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '192.168.0.0/16' })),
    ).rejects.toMatchObject({ name: 'InvalidVpc.Range', message: expect.stringContaining('is restricted') });
    await expect(
      ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.71.1.0/24' })),
    ).rejects.toMatchObject({ name: 'InvalidVpc.Range' });
  });

  test('the cidr-block-association.cidr-block filter finds a VPC by its secondary block', async () => {
    const vpcId = await newVpc('10.72.0.0/16');
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '100.72.0.0/16' }));
    const { Vpcs } = await ec2.send(
      new DescribeVpcsCommand({
        Filters: [{ Name: 'cidr-block-association.cidr-block', Values: ['100.72.0.0/16'] }],
      }),
    );
    expect(Vpcs!.map((v) => v.VpcId)).toEqual([vpcId]);
  });
});

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

describe.runIf(hasAwsCli)('secondary VPC CIDR blocks through the AWS CLI', () => {
  test('associate-vpc-cidr-block and disassociate-vpc-cidr-block', async () => {
    const vpcId = await newVpc('10.73.0.0/16');
    const added = await aws(twin, [
      'ec2',
      'associate-vpc-cidr-block',
      '--vpc-id',
      vpcId,
      '--cidr-block',
      '10.74.0.0/16',
    ]);
    expect(added.code).toBe(0);
    const association = (added.json as Json).CidrBlockAssociation;
    expect(association).toMatchObject({
      CidrBlock: '10.74.0.0/16',
      CidrBlockState: { State: 'associating' },
    });
    const removed = await aws(twin, [
      'ec2',
      'disassociate-vpc-cidr-block',
      '--association-id',
      association.AssociationId,
    ]);
    expect(removed.code).toBe(0);
    expect((removed.json as Json).CidrBlockAssociation.CidrBlockState.State).toBe('disassociating');
  });
});
