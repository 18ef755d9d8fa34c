import { CreateVpcCommand, EC2Client, ModifyVpcAttributeCommand } from '@aws-sdk/client-ec2';
import {
  AssociateVPCWithHostedZoneCommand,
  ChangeResourceRecordSetsCommand,
  ChangeTagsForResourceCommand,
  ConflictingDomainExists,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  DeleteHostedZoneCommand,
  DeleteVPCAssociationAuthorizationCommand,
  DisassociateVPCFromHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  HostedZoneAlreadyExists,
  HostedZoneNotEmpty,
  InvalidChangeBatch,
  InvalidVPCId,
  LastVPCAssociation,
  ListHostedZonesByNameCommand,
  ListHostedZonesByVPCCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  ListTagsForResourceCommand,
  ListVPCAssociationAuthorizationsCommand,
  NoSuchHostedZone,
  NotAuthorizedException,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Route 53 through the unchanged SDK client (restXml): private zones made
 * on a VPC of the caller's, their records and changes, VPC associations
 * within and across accounts, and the errors Route 53 names.
 */
let twin: TestTwin;
let r53: Route53Client;
let ec2: EC2Client;
let vpcA: string;
let vpcB: string;

async function vpc(client: EC2Client, cidr: string): Promise<string> {
  const { Vpc } = await client.send(new CreateVpcCommand({ CidrBlock: cidr }));
  await client.send(
    new ModifyVpcAttributeCommand({ VpcId: Vpc!.VpcId!, EnableDnsHostnames: { Value: true } }),
  );
  return Vpc!.VpcId!;
}

let seq = 0;
const ref = () => `ref-${++seq}-${Date.now()}`;

async function privateZone(name: string, vpcId = vpcA) {
  const out = await r53.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: ref(),
      VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' },
    }),
  );
  return out.HostedZone!.Id!;
}

beforeAll(async () => {
  twin = await startTestTwin();
  r53 = new Route53Client(twin.clientConfig());
  ec2 = new EC2Client(twin.clientConfig());
  vpcA = await vpc(ec2, '10.50.0.0/16');
  vpcB = await vpc(ec2, '10.51.0.0/16');
});
afterAll(() => twin.close());

describe('Route 53 hosted zones (SDK, restXml)', () => {
  test('CreateHostedZone with a VPC makes a private zone with its SOA and NS', async () => {
    const reference = ref();
    const out = await r53.send(
      new CreateHostedZoneCommand({
        Name: 'Svc.Example.Internal',
        CallerReference: reference,
        HostedZoneConfig: { Comment: 'for the service', PrivateZone: true },
        VPC: { VPCId: vpcA, VPCRegion: 'us-east-1' },
      }),
    );
    expect(out.$metadata.httpStatusCode).toBe(201);
    expect(out.HostedZone).toMatchObject({
      Name: 'svc.example.internal.',
      CallerReference: reference,
      Config: { Comment: 'for the service', PrivateZone: true },
      ResourceRecordSetCount: 2,
    });
    expect(out.HostedZone!.Id).toMatch(/^\/hostedzone\/Z[A-Z0-9]{13,21}$/);
    expect(out.Location).toBe(`https://route53.amazonaws.com/2013-04-01${out.HostedZone!.Id}`);
    expect(out.ChangeInfo).toMatchObject({ Status: 'PENDING' });
    expect(out.VPC).toEqual({ VPCId: vpcA, VPCRegion: 'us-east-1' });
    const got = await r53.send(new GetHostedZoneCommand({ Id: out.HostedZone!.Id! }));
    expect(got.VPCs).toEqual([{ VPCId: vpcA, VPCRegion: 'us-east-1' }]);
    expect(got.DelegationSet).toBeUndefined();
    const records = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: out.HostedZone!.Id! }));
    expect(records.ResourceRecordSets!.map((r) => `${r.Name} ${r.Type} ${r.TTL}`)).toEqual([
      'svc.example.internal. NS 172800',
      'svc.example.internal. SOA 900',
    ]);
    // The same caller reference again is the same request: HostedZoneAlreadyExists (409).
    const again = await r53
      .send(
        new CreateHostedZoneCommand({
          Name: 'svc.example.internal',
          CallerReference: reference,
          VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' },
        }),
      )
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(HostedZoneAlreadyExists);
    expect((again as HostedZoneAlreadyExists).$metadata.httpStatusCode).toBe(409);
  });

  test('a second zone of the same name on the same VPC is ConflictingDomainExists; an unknown VPC is InvalidVPCId', async () => {
    await privateZone('dup.example.internal');
    const dup = await privateZone('dup.example.internal').catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictingDomainExists);
    const missing = await privateZone('x.example.internal', 'vpc-0123456789abcdef0').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidVPCId);
  });

  test('a change batch is all or nothing, and names every refused change', async () => {
    const zoneId = await privateZone('batch.example.internal');
    const refused = await r53
      .send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Changes: [
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'db.batch.example.internal',
                  Type: 'A',
                  TTL: 60,
                  ResourceRecords: [{ Value: '10.50.1.5' }],
                },
              },
              {
                Action: 'CREATE',
                ResourceRecordSet: {
                  Name: 'db.batch.example.internal',
                  Type: 'CNAME',
                  TTL: 60,
                  ResourceRecords: [{ Value: 'other.example.org' }],
                },
              },
              {
                Action: 'DELETE',
                ResourceRecordSet: {
                  Name: 'gone.batch.example.internal',
                  Type: 'A',
                  TTL: 60,
                  ResourceRecords: [{ Value: '10.50.1.6' }],
                },
              },
            ],
          },
        }),
      )
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidChangeBatch);
    expect((refused as Error).message).toBe(
      "[RRSet of type CNAME with DNS name db.batch.example.internal. is not permitted as it conflicts with other records with the same DNS name in zone batch.example.internal., Tried to delete resource record set [name='gone.batch.example.internal.', type='A'] but it was not found]",
    );
    const after = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    expect(after.ResourceRecordSets!.map((r) => r.Type)).toEqual(['NS', 'SOA']);
  });

  test('records list in Route 53 order (labels reversed, then type) and page with NextRecordName', async () => {
    const zoneId = await privateZone('order.example.internal');
    const names = [
      'b.order.example.internal',
      'a.b.order.example.internal',
      'a.order.example.internal',
      '*.order.example.internal',
    ];
    const { ChangeInfo } = await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: 'four names',
          Changes: names.map((Name, i) => ({
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name,
              Type: 'A',
              TTL: 300,
              ResourceRecords: [{ Value: `10.50.2.${i + 1}` }],
            },
          })),
        },
      }),
    );
    expect(ChangeInfo).toMatchObject({ Status: 'PENDING', Comment: 'four names' });
    expect((await r53.send(new GetChangeCommand({ Id: ChangeInfo!.Id! }))).ChangeInfo!.Status).toBe('INSYNC');
    const first = await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 3 }));
    expect(first.ResourceRecordSets!.map((r) => `${r.Name} ${r.Type}`)).toEqual([
      'order.example.internal. NS',
      'order.example.internal. SOA',
      '\\052.order.example.internal. A',
    ]);
    expect(first).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'a.order.example.internal.',
      NextRecordType: 'A',
    });
    const rest = await r53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: first.NextRecordName!,
        StartRecordType: 'A',
      }),
    );
    expect(rest.ResourceRecordSets!.map((r) => r.Name)).toEqual([
      'a.order.example.internal.',
      'b.order.example.internal.',
      'a.b.order.example.internal.',
    ]);
    expect(rest.IsTruncated).toBe(false);
  });

  test('DeleteHostedZone refuses a zone with records (HostedZoneNotEmpty) and then deletes it', async () => {
    const zoneId = await privateZone('del.example.internal');
    const record = {
      Name: 'x.del.example.internal',
      Type: 'A' as const,
      TTL: 60,
      ResourceRecords: [{ Value: '10.50.3.3' }],
    };
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: record }] },
      }),
    );
    await expect(r53.send(new DeleteHostedZoneCommand({ Id: zoneId }))).rejects.toBeInstanceOf(
      HostedZoneNotEmpty,
    );
    await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record }] },
      }),
    );
    await r53.send(new DeleteHostedZoneCommand({ Id: zoneId }));
    await expect(r53.send(new GetHostedZoneCommand({ Id: zoneId }))).rejects.toBeInstanceOf(NoSuchHostedZone);
    // A caller reference stays used after its zone is gone (CreateHostedZone, CallerReference).
    const request = {
      Name: 'once.example.internal',
      CallerReference: ref(),
      VPC: { VPCId: vpcA, VPCRegion: 'us-east-1' as const },
    };
    const once = await r53.send(new CreateHostedZoneCommand(request));
    await r53.send(new DeleteHostedZoneCommand({ Id: once.HostedZone!.Id! }));
    const reused = await r53.send(new CreateHostedZoneCommand(request)).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(HostedZoneAlreadyExists);
  });

  test('VPCs associate and disassociate, but never the last one', async () => {
    const zoneId = await privateZone('assoc.example.internal');
    await r53.send(
      new AssociateVPCWithHostedZoneCommand({
        HostedZoneId: zoneId,
        VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' },
      }),
    );
    const byVpc = await r53.send(new ListHostedZonesByVPCCommand({ VPCId: vpcB, VPCRegion: 'us-east-1' }));
    expect(byVpc.HostedZoneSummaries!.map((z) => z.Name)).toContain('assoc.example.internal.');
    await r53.send(
      new DisassociateVPCFromHostedZoneCommand({
        HostedZoneId: zoneId,
        VPC: { VPCId: vpcA, VPCRegion: 'us-east-1' },
      }),
    );
    const last = await r53
      .send(
        new DisassociateVPCFromHostedZoneCommand({
          HostedZoneId: zoneId,
          VPC: { VPCId: vpcB, VPCRegion: 'us-east-1' },
        }),
      )
      .catch((e: unknown) => e);
    expect(last).toBeInstanceOf(LastVPCAssociation);
    expect((await r53.send(new GetHostedZoneCommand({ Id: zoneId }))).VPCs).toEqual([
      { VPCId: vpcB, VPCRegion: 'us-east-1' },
    ]);
  });

  test("another account's VPC associates only after the owner authorizes it", async () => {
    const other = twin.server.twin.accounts[1]!;
    const otherEc2 = new EC2Client(twin.clientConfig(other));
    const otherR53 = new Route53Client(twin.clientConfig(other));
    const foreignVpc = await vpc(otherEc2, '10.60.0.0/16');
    const zoneId = await privateZone('shared.example.internal');
    const vpcRef = { VPCId: foreignVpc, VPCRegion: 'us-east-1' as const };
    await expect(
      otherR53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zoneId, VPC: vpcRef })),
    ).rejects.toBeInstanceOf(NotAuthorizedException);
    await r53.send(new CreateVPCAssociationAuthorizationCommand({ HostedZoneId: zoneId, VPC: vpcRef }));
    const listed = await r53.send(new ListVPCAssociationAuthorizationsCommand({ HostedZoneId: zoneId }));
    expect(listed.VPCs).toEqual([vpcRef]);
    await otherR53.send(new AssociateVPCWithHostedZoneCommand({ HostedZoneId: zoneId, VPC: vpcRef }));
    await r53.send(new DeleteVPCAssociationAuthorizationCommand({ HostedZoneId: zoneId, VPC: vpcRef }));
    const got = await r53.send(new GetHostedZoneCommand({ Id: zoneId }));
    expect(got.VPCs).toContainEqual(vpcRef);
  });

  test('zones list by name in reversed-label order, and carry tags', async () => {
    const zoneId = await privateZone('tags.example.internal');
    await r53.send(
      new ChangeTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId.replace('/hostedzone/', ''),
        AddTags: [{ Key: 'team', Value: 'net' }],
      }),
    );
    const tags = await r53.send(
      new ListTagsForResourceCommand({
        ResourceType: 'hostedzone',
        ResourceId: zoneId.replace('/hostedzone/', ''),
      }),
    );
    expect(tags.ResourceTagSet!.Tags).toEqual([{ Key: 'team', Value: 'net' }]);
    const all = await r53.send(new ListHostedZonesCommand({}));
    expect(all.HostedZones!.map((z) => z.Id)).toContain(zoneId);
    const byName = await r53.send(new ListHostedZonesByNameCommand({}));
    const names = byName.HostedZones!.map((z) => z.Name!);
    const reversed = (n: string) => n.split('.').reverse().join('.');
    expect(names).toEqual(
      [...names].sort((a, b) => (reversed(a) < reversed(b) ? -1 : reversed(a) > reversed(b) ? 1 : 0)),
    );
  });
});
