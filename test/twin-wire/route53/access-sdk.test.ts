import {
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetHostedZoneCommand,
  InvalidChangeBatch,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * Who may read a zone (IAM on arn:aws:route53:::hostedzone/ID, as the
 * twin enforces for every service), and alias records to an interface
 * endpoint's DNS name, the record issue 14's private zone may hold.
 */
let twin: TestTwin;
let r53: Route53Client;
let ec2: EC2Client;
let vpcId: string;
let subnetId: string;

beforeAll(async () => {
  twin = await startTestTwin();
  r53 = new Route53Client(twin.clientConfig());
  ec2 = new EC2Client(twin.clientConfig());
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }));
  vpcId = Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const { Subnet } = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.90.1.0/24', AvailabilityZone: 'us-east-1a' }),
  );
  subnetId = Subnet!.SubnetId!;
});
afterAll(() => twin.close());

async function zone(name: string): Promise<string> {
  const { HostedZone } = await r53.send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `${name}-${Date.now()}`,
      VPC: { VPCId: vpcId, VPCRegion: 'us-east-1' },
    }),
  );
  return HostedZone!.Id!;
}

describe('Route 53 authorization and alias targets (SDK)', () => {
  test('a user allowed only to list zones is refused GetHostedZone with AccessDenied (403)', async () => {
    const zoneId = await zone('iam.example.internal');
    const iam = new IAMClient(twin.clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'zone-lister' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'zone-lister',
        PolicyName: 'list',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' }],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'zone-lister' }));
    const lister = new Route53Client({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    const listed = await lister.send(new ListHostedZonesCommand({}));
    expect(listed.HostedZones!.map((z) => z.Id)).toContain(zoneId);
    const denied = await lister.send(new GetHostedZoneCommand({ Id: zoneId })).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Route53ServiceException);
    expect((denied as Route53ServiceException).name).toBe('AccessDenied');
    expect((denied as Route53ServiceException).$metadata.httpStatusCode).toBe(403);
    expect((denied as Error).message).toContain('route53:GetHostedZone');
  });

  test('condition keys: a user may change only TXT records under one name', async () => {
    const zoneId = await zone('cond.example.internal');
    const iam = new IAMClient(twin.clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'txt-writer' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'txt-writer',
        PolicyName: 'txt',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'route53:ChangeResourceRecordSets',
              Resource: '*',
              Condition: {
                'ForAllValues:StringEquals': {
                  'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
                  'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['owner.cond.example.internal'],
                },
              },
            },
          ],
        }),
      }),
    );
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'txt-writer' }));
    const writer = new Route53Client({
      ...twin.clientConfig(),
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
    });
    const record = (Name: string, Type: 'TXT' | 'A', Value: string) =>
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { Name, Type, TTL: 60, ResourceRecords: [{ Value }] } },
          ],
        },
      });
    await writer.send(record('Owner.cond.example.internal.', 'TXT', '"team-net"'));
    const a = await writer
      .send(record('owner.cond.example.internal', 'A', '10.90.1.9'))
      .catch((e: unknown) => e);
    expect((a as Error).name).toBe('AccessDenied');
    const other = await writer
      .send(record('other.cond.example.internal', 'TXT', '"x"'))
      .catch((e: unknown) => e);
    expect((other as Error).name).toBe('AccessDenied');
  });

  test("an alias to an interface endpoint's DNS name needs the endpoint's own hosted zone id", async () => {
    const zoneId = await zone('alias.example.internal');
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        VpcEndpointType: 'Interface',
        ServiceName: 'com.amazonaws.us-east-1.ssm',
        SubnetIds: [subnetId],
        PrivateDnsEnabled: false,
      }),
    );
    const regional = VpcEndpoint!.DnsEntries![0]!;
    const alias = (HostedZoneId: string) => ({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT' as const,
            ResourceRecordSet: {
              Name: 'api.alias.example.internal',
              Type: 'A' as const,
              AliasTarget: { HostedZoneId, DNSName: regional.DnsName!, EvaluateTargetHealth: false },
            },
          },
        ],
      },
    });
    const wrong = await r53
      .send(new ChangeResourceRecordSetsCommand(alias('Z0000000000000')))
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidChangeBatch);
    expect((wrong as Error).message).toContain(
      'but the alias target name does not lie within the target zone',
    );
    await r53.send(new ChangeResourceRecordSetsCommand(alias(regional.HostedZoneId!)));
    const { ResourceRecordSets } = await r53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: 'api.alias.example.internal',
      }),
    );
    expect(ResourceRecordSets![0]).toMatchObject({
      Name: 'api.alias.example.internal.',
      Type: 'A',
      AliasTarget: {
        HostedZoneId: regional.HostedZoneId,
        DNSName: `${regional.DnsName}.`,
        EvaluateTargetHealth: false,
      },
    });
  });
});
