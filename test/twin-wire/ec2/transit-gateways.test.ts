import {
  AssociateTransitGatewayRouteTableCommand,
  CreateSubnetCommand,
  CreateTransitGatewayCommand,
  CreateTransitGatewayRouteTableCommand,
  CreateTransitGatewayVpcAttachmentCommand,
  CreateVpcCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayVpcAttachmentsCommand,
  EC2Client,
  SearchTransitGatewayRoutesCommand,
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

async function cli(args: string[]): Promise<Json> {
  const result = await aws(twin, ['ec2', ...args]);
  if (result.code !== 0) throw new Error(`aws ec2 ${args.join(' ')} → ${result.code}: ${result.stderr}`);
  return result.json;
}

async function attachedVpc(tgwId: string, second: number, client = sdk) {
  const { Vpc } = await client.send(new CreateVpcCommand({ CidrBlock: `10.${second}.0.0/16` }));
  const { Subnet } = await client.send(
    new CreateSubnetCommand({
      VpcId: Vpc!.VpcId,
      CidrBlock: `10.${second}.1.0/24`,
      AvailabilityZone: 'us-east-1a',
    }),
  );
  const { TransitGatewayVpcAttachment } = await client.send(
    new CreateTransitGatewayVpcAttachmentCommand({
      TransitGatewayId: tgwId,
      VpcId: Vpc!.VpcId,
      SubnetIds: [Subnet!.SubnetId!],
    }),
  );
  return { vpcId: Vpc!.VpcId!, attachmentId: TransitGatewayVpcAttachment!.TransitGatewayAttachmentId! };
}

async function hub() {
  const { TransitGateway } = await sdk.send(
    new CreateTransitGatewayCommand({
      Options: { DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable' },
    }),
  );
  const tgwId = TransitGateway!.TransitGatewayId!;
  const { TransitGatewayRouteTable } = await sdk.send(
    new CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId }),
  );
  return { tgwId, rt: TransitGatewayRouteTable!.TransitGatewayRouteTableId! };
}

describe('Transit Gateways through the SDK', () => {
  test('options, attachments and their association round-trip the ec2Query wire', async () => {
    const { TransitGateway } = await sdk.send(
      new CreateTransitGatewayCommand({
        Description: 'hub',
        Options: { AutoAcceptSharedAttachments: 'enable' },
      }),
    );
    expect(TransitGateway).toMatchObject({
      State: 'pending',
      Description: 'hub',
      Options: {
        AmazonSideAsn: 64512,
        AutoAcceptSharedAttachments: 'enable',
        DefaultRouteTableAssociation: 'enable',
        DnsSupport: 'enable',
      },
    });
    expect(TransitGateway!.CreationTime).toBeInstanceOf(Date);
    const a = await attachedVpc(TransitGateway!.TransitGatewayId!, 40);
    const { TransitGatewayAttachments } = await sdk.send(
      new DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'resource-id', Values: [a.vpcId] }] }),
    );
    expect(TransitGatewayAttachments).toEqual([
      expect.objectContaining({
        TransitGatewayAttachmentId: a.attachmentId,
        ResourceType: 'vpc',
        State: 'available',
        Association: {
          TransitGatewayRouteTableId: TransitGateway!.Options!.AssociationDefaultRouteTableId,
          State: 'associated',
        },
      }),
    ]);
  });

  test('a second association is Resource.AlreadyAssociated, as the SDK names it', async () => {
    const { tgwId, rt } = await hub();
    const a = await attachedVpc(tgwId, 41);
    await sdk.send(
      new AssociateTransitGatewayRouteTableCommand({
        TransitGatewayRouteTableId: rt,
        TransitGatewayAttachmentId: a.attachmentId,
      }),
    );
    await expect(
      sdk.send(
        new AssociateTransitGatewayRouteTableCommand({
          TransitGatewayRouteTableId: rt,
          TransitGatewayAttachmentId: a.attachmentId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'Resource.AlreadyAssociated', $metadata: { httpStatusCode: 400 } });
  });

  test("another account's VPC attaches, waits for acceptance and sees its attachment", async () => {
    const { tgwId } = await hub();
    const bob = new EC2Client(twin.clientConfig(twin.server.twin.accounts[1]));
    const b = await attachedVpc(tgwId, 42, bob);
    const { TransitGatewayVpcAttachments } = await bob.send(
      new DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [b.attachmentId] }),
    );
    expect(TransitGatewayVpcAttachments![0]).toMatchObject({
      State: 'pendingAcceptance',
      VpcOwnerId: twin.server.twin.accounts[1],
    });
  });

  test('SearchTransitGatewayRoutes without filters is refused', async () => {
    const { rt } = await hub();
    await expect(
      sdk.send(new SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rt, Filters: undefined })),
    ).rejects.toMatchObject({
      name: 'MissingParameter',
    });
  });
});

describe.runIf(hasAwsCli)('Transit Gateways through the AWS CLI', () => {
  test('modify-transit-gateway --options changes what describe-transit-gateways shows', async () => {
    const { tgwId } = await hub();
    const out = await cli([
      'modify-transit-gateway',
      '--transit-gateway-id',
      tgwId,
      '--options',
      'AutoAcceptSharedAttachments=enable,DnsSupport=disable',
    ]);
    expect(out.TransitGateway.State).toBe('modifying');
    const { TransitGateways } = await cli(['describe-transit-gateways', '--transit-gateway-ids', tgwId]);
    expect(TransitGateways[0].Options).toMatchObject({
      AutoAcceptSharedAttachments: 'enable',
      DnsSupport: 'disable',
      DefaultRouteTableAssociation: 'disable',
    });
  });

  test('create-transit-gateway-route, enable-…-propagation and search-transit-gateway-routes --filters', async () => {
    const { tgwId, rt } = await hub();
    const prod = await attachedVpc(tgwId, 43);
    const shared = await attachedVpc(tgwId, 44);
    const made = await cli([
      'create-transit-gateway-route',
      '--transit-gateway-route-table-id',
      rt,
      '--destination-cidr-block',
      '10.44.0.0/16',
      '--transit-gateway-attachment-id',
      shared.attachmentId,
    ]);
    expect(made.Route).toMatchObject({
      DestinationCidrBlock: '10.44.0.0/16',
      Type: 'static',
      State: 'active',
    });
    await cli([
      'create-transit-gateway-route',
      '--transit-gateway-route-table-id',
      rt,
      '--destination-cidr-block',
      '10.99.0.0/16',
      '--blackhole',
    ]);
    const prop = await cli([
      'enable-transit-gateway-route-table-propagation',
      '--transit-gateway-route-table-id',
      rt,
      '--transit-gateway-attachment-id',
      prod.attachmentId,
    ]);
    expect(prop.Propagation).toMatchObject({ State: 'enabling', ResourceId: prod.vpcId });
    const active = await cli([
      'search-transit-gateway-routes',
      '--transit-gateway-route-table-id',
      rt,
      '--filters',
      'Name=state,Values=active',
    ]);
    expect(active.Routes.map((r: Json) => [r.DestinationCidrBlock, r.Type])).toEqual([
      ['10.43.0.0/16', 'propagated'],
      ['10.44.0.0/16', 'static'],
    ]);
    expect(active.AdditionalRoutesAvailable).toBe(false);
    const hole = await cli([
      'search-transit-gateway-routes',
      '--transit-gateway-route-table-id',
      rt,
      '--filters',
      'Name=type,Values=static',
      'Name=state,Values=blackhole',
    ]);
    expect(hole.Routes.map((r: Json) => r.DestinationCidrBlock)).toEqual(['10.99.0.0/16']);
    const lpm = await cli([
      'search-transit-gateway-routes',
      '--transit-gateway-route-table-id',
      rt,
      '--filters',
      'Name=route-search.longest-prefix-match,Values=10.44.1.7',
    ]);
    expect(lpm.Routes.map((r: Json) => r.DestinationCidrBlock)).toEqual(['10.44.0.0/16']);
  });

  test('associate then disassociate-transit-gateway-route-table; the association is gone', async () => {
    const { tgwId, rt } = await hub();
    const a = await attachedVpc(tgwId, 45);
    await cli([
      'associate-transit-gateway-route-table',
      '--transit-gateway-route-table-id',
      rt,
      '--transit-gateway-attachment-id',
      a.attachmentId,
    ]);
    const { Associations } = await cli([
      'get-transit-gateway-route-table-associations',
      '--transit-gateway-route-table-id',
      rt,
    ]);
    expect(Associations).toEqual([
      {
        TransitGatewayAttachmentId: a.attachmentId,
        ResourceId: a.vpcId,
        ResourceType: 'vpc',
        State: 'associated',
      },
    ]);
    const out = await cli([
      'disassociate-transit-gateway-route-table',
      '--transit-gateway-route-table-id',
      rt,
      '--transit-gateway-attachment-id',
      a.attachmentId,
    ]);
    expect(out.Association).toMatchObject({
      State: 'disassociating',
      TransitGatewayAttachmentId: a.attachmentId,
    });
    const after = await cli([
      'describe-transit-gateway-attachments',
      '--transit-gateway-attachment-ids',
      a.attachmentId,
    ]);
    expect(after.TransitGatewayAttachments[0].Association).toBeUndefined();
  });

  test('a duplicate propagation prints the error code and exits 254', async () => {
    const { tgwId, rt } = await hub();
    const a = await attachedVpc(tgwId, 46);
    const args = [
      'ec2',
      'enable-transit-gateway-route-table-propagation',
      '--transit-gateway-route-table-id',
      rt,
      '--transit-gateway-attachment-id',
      a.attachmentId,
    ];
    expect((await aws(twin, args)).code).toBe(0);
    const again = await aws(twin, args);
    expect(again.code).toBe(254);
    expect(again.stderr).toContain('(TransitGatewayRouteTablePropagation.Duplicate)');
  });
});
