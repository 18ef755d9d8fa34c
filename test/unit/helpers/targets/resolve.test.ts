import {
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeTransitGatewayRouteTablesCommand,
  DescribeTransitGatewaysCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { clientsFor } from '../../../../helpers/clients.ts';
import { CannotTellError, TargetsError } from '../../../../helpers/errors.ts';
import { clientsForTargets, resolveTargets } from '../../../../helpers/targets/resolve.ts';
import type { Targets } from '../../../../helpers/targets/schema.ts';
import { awsError, mockedClients } from '../support.ts';

/**
 * Name resolution: every name in targets becomes the id AWS knows it by, or
 * the run stops (TargetsError, exit 2) naming the field and what was found.
 * A look-up the runner may not make is cannot-tell, never "absent".
 */

const ec2 = mockClient(EC2Client);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const iam = mockClient(IAMClient);
const lambda = mockClient(LambdaClient);
const ACCOUNT = '123456789012';
const clients = () => mockedClients();

beforeEach(() => {
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/runner` });
});
afterEach(() => {
  for (const m of [ec2, sts, s3, iam, lambda]) m.reset();
});

const named = (name: string) => [{ Key: 'Name', Value: name }];

// biome-ignore lint/suspicious/noExplicitAny: fixtures reach into targets as plain data
function targets(extra: any = {}): Targets {
  return {
    region: 'eu-west-1',
    accounts: { lab: { id: ACCOUNT } },
    ...extra,
  } as unknown as Targets;
}

function network(net: Record<string, unknown> = {}) {
  return targets({
    network: {
      vpcs: [{ name: 'app-vpc', account: 'lab', subnets: [{ name: 'app-a' }] }],
      hosts: [],
      peerings: [],
      ...net,
    },
  });
}

async function problemsOf(t: Targets): Promise<string[]> {
  const error = await resolveTargets(t, clients).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TargetsError);
  return (error as TargetsError).problems;
}

describe('accounts', () => {
  test('each account id comes from STS, and the runner is who STS says', async () => {
    const r = await resolveTargets(targets(), clients);
    expect(r.accountIds).toEqual({ lab: ACCOUNT });
    expect(r.runner).toEqual({ arn: `arn:aws:iam::${ACCOUNT}:user/runner` });
    expect(r.runId).toMatch(/\S/);
  });

  test('a role session runner carries its role ARN', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/me` });
    iam.on(GetRoleCommand, { RoleName: 'ops' }).resolves({
      Role: { Arn: `arn:aws:iam::${ACCOUNT}:role/path/ops` } as never,
    });
    const r = await resolveTargets(targets(), clients);
    expect(r.runner).toEqual({
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ops/me`,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/path/ops`,
    });
  });

  test('credentials reaching another account stop the run, naming the field and both ids', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '999999999999', Arn: 'arn:aws:iam::999999999999:user/x' });
    const error = await resolveTargets(network(), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetsError);
    expect((error as Error).message).toBe(
      'the targets do not match the account:\n  accounts.lab.id: targets say 123456789012, but the credentials reach account 999999999999',
    );
    // Nothing is looked up in an account that is not the lab's.
    expect(ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(0);
  });

  test('an account without an id in targets takes the one STS reports', async () => {
    const r = await resolveTargets(targets({ accounts: { lab: {} } }), clients);
    expect(r.accountIds.lab).toBe(ACCOUNT);
  });

  test('STS refusing is cannot-tell, not a targets problem', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('AccessDenied', 403));
    const error = await resolveTargets(targets(), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('learn who the runner is in account "lab"');
  });
});

describe('names', () => {
  test('VPCs and subnets resolve to their ids, the subnet looked up inside its VPC', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    const r = await resolveTargets(network(), clients);
    expect(r.ids.vpc).toEqual({ 'app-vpc': 'vpc-0a' });
    expect(r.ids.subnet).toEqual({ 'app-a': 'subnet-0b' });
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['app-vpc'] },
    ]);
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['app-a'] },
      { Name: 'vpc-id', Values: ['vpc-0a'] },
    ]);
  });

  test('a name that matches nothing names the field, the name, the account and the Region', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    const error = await resolveTargets(network(), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetsError);
    expect((error as TargetsError).problems).toEqual([
      'network.vpcs[0].name: no VPC named "app-vpc" in account 123456789012 (eu-west-1)',
    ]);
    // No subnet is looked up in a VPC that was not found.
    expect(ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
  });

  test('a name several resources answer to lists the candidates and asks for an id', async () => {
    ec2.on(DescribeVpcsCommand).resolves({
      Vpcs: [
        { VpcId: 'vpc-01', Tags: named('app-vpc') },
        { VpcId: 'vpc-02', Tags: named('app-vpc') },
      ],
    });
    expect(await problemsOf(network())).toEqual([
      'network.vpcs[0].name: 2 VPCs are named "app-vpc" in account 123456789012 (eu-west-1) (vpc-01, vpc-02); name one by id',
    ]);
  });

  test('names match literally: a resource the filter matched whose Name tag differs is not a match', async () => {
    // EC2 filter values are patterns; a twin or AWS may answer more than the exact name.
    ec2.on(DescribeVpcsCommand).resolves({
      Vpcs: [
        { VpcId: 'vpc-01', Tags: named('APP-VPC') },
        { VpcId: 'vpc-02', Tags: [{ Key: 'Owner', Value: 'app-vpc' }] },
        { VpcId: 'vpc-03' },
      ],
    });
    expect(await problemsOf(network())).toEqual([
      'network.vpcs[0].name: no VPC named "app-vpc" in account 123456789012 (eu-west-1)',
    ]);
  });

  test('an id is looked up by id, and taken as AWS answers it', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0abc' }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0def' }] });
    const t = network({
      vpcs: [{ name: 'vpc-0abc', account: 'lab', subnets: [{ name: 'subnet-0def' }] }],
    });
    const r = await resolveTargets(t, clients);
    expect(r.ids.vpc).toEqual({ 'vpc-0abc': 'vpc-0abc' });
    expect(r.ids.subnet).toEqual({ 'subnet-0def': 'subnet-0def' });
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'vpc-id', Values: ['vpc-0abc'] },
    ]);
    expect(ec2.commandCalls(DescribeSubnetsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'subnet-id', Values: ['subnet-0def'] },
      { Name: 'vpc-id', Values: ['vpc-0abc'] },
    ]);
  });

  test('a name that only looks like an id of another kind is a name', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-09', Tags: named('subnet-0a') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    const t = network({ vpcs: [{ name: 'subnet-0a', account: 'lab', subnets: [{ name: 'app-a' }] }] });
    const r = await resolveTargets(t, clients);
    expect(r.ids.vpc).toEqual({ 'subnet-0a': 'vpc-09' });
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['subnet-0a'] },
    ]);
  });

  test('a look-up the runner may not make is cannot-tell, never "no VPC named"', async () => {
    ec2.on(DescribeVpcsCommand).rejects(awsError('UnauthorizedOperation', 403));
    const error = await resolveTargets(network(), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('look up app-vpc');
  });

  test('every page of a look-up is read (NextToken)', async () => {
    ec2
      .on(DescribeVpcsCommand)
      .resolves({ Vpcs: [], NextToken: 'page-2' })
      .on(DescribeVpcsCommand, { NextToken: 'page-2' })
      .resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    const r = await resolveTargets(network(), clients);
    expect(r.ids.vpc).toEqual({ 'app-vpc': 'vpc-0a' });
    expect(ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(2);
  });

  test('a second page that adds a namesake makes the name ambiguous', async () => {
    ec2
      .on(DescribeVpcsCommand)
      .resolves({ Vpcs: [{ VpcId: 'vpc-01', Tags: named('app-vpc') }], NextToken: 't' })
      .on(DescribeVpcsCommand, { NextToken: 't' })
      .resolves({ Vpcs: [{ VpcId: 'vpc-02', Tags: named('app-vpc') }] });
    expect(await problemsOf(network())).toEqual([
      'network.vpcs[0].name: 2 VPCs are named "app-vpc" in account 123456789012 (eu-west-1) (vpc-01, vpc-02); name one by id',
    ]);
  });

  test('every problem is reported at once, each on its own line', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const t = network({
      vpcs: [{ name: 'app-vpc', account: 'lab', subnets: [{ name: 'app-a' }, { name: 'app-b' }] }],
      hosts: [{ name: 'web', account: 'lab' }],
    });
    const error = await resolveTargets(t, clients).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      [
        'the targets do not match the account:',
        '  network.vpcs[0].subnets[0].name: no subnet of app-vpc named "app-a" in account 123456789012 (eu-west-1)',
        '  network.vpcs[0].subnets[1].name: no subnet of app-vpc named "app-b" in account 123456789012 (eu-west-1)',
        '  network.hosts[0].instance: no instance named "web" in account 123456789012 (eu-west-1)',
      ].join('\n'),
    );
  });
});

describe('hosts, Transit Gateway, peerings', () => {
  beforeEach(() => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
  });

  test('a host resolves by its instance name to a live instance, keyed by the host name', async () => {
    ec2.on(DescribeInstancesCommand).resolves({
      Reservations: [
        { Instances: [{ InstanceId: 'i-0aa', Tags: named('web-1') }] },
        { Instances: [{ InstanceId: 'i-0bb', Tags: named('web-2') }] },
      ],
    });
    const r = await resolveTargets(
      network({ hosts: [{ name: 'web', instance: 'web-1', account: 'lab' }] }),
      clients,
    );
    expect(r.ids.instance).toEqual({ web: 'i-0aa' });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['web-1'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ]);
  });

  test('an instance named by id is looked up by instance-id', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0abc' }] }] });
    const r = await resolveTargets(
      network({ hosts: [{ name: 'web', instance: 'i-0abc', account: 'lab' }] }),
      clients,
    );
    expect(r.ids.instance).toEqual({ web: 'i-0abc' });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0]!.args[0].input.Filters![0]).toEqual({
      Name: 'instance-id',
      Values: ['i-0abc'],
    });
  });

  const tgwNet = () =>
    network({
      transitGateway: {
        name: 'hub',
        attachments: [{ name: 'app-att' }],
        routeTables: [{ name: 'spoke-rt' }],
      },
    });

  test('the Transit Gateway, its attachments and route tables resolve, looked up inside that gateway', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves({
      TransitGateways: [
        { TransitGatewayId: 'tgw-0old', Tags: named('hub'), State: 'deleted' },
        { TransitGatewayId: 'tgw-0new', Tags: named('hub'), State: 'available' },
      ],
    });
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-01', Tags: named('app-att') }],
    });
    ec2.on(DescribeTransitGatewayRouteTablesCommand).resolves({
      TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-01', Tags: named('spoke-rt') }],
    });
    const r = await resolveTargets(tgwNet(), clients);
    expect(r.ids.transitGateway).toBe('tgw-0new');
    expect(r.ids.tgwAttachment).toEqual({ 'app-att': 'tgw-attach-01' });
    expect(r.ids.tgwRouteTable).toEqual({ 'spoke-rt': 'tgw-rtb-01' });
    const inTgw = { Name: 'transit-gateway-id', Values: ['tgw-0new'] };
    expect(ec2.commandCalls(DescribeTransitGatewayAttachmentsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['app-att'] },
      inTgw,
    ]);
    expect(ec2.commandCalls(DescribeTransitGatewayRouteTablesCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['spoke-rt'] },
      inTgw,
    ]);
  });

  test('deleting and deleted gateway parts lose to live ones; when all are gone the name still resolves', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves({
      TransitGateways: [{ TransitGatewayId: 'tgw-0old', Tags: named('hub'), State: 'deleting' }],
    });
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [
        { TransitGatewayAttachmentId: 'tgw-attach-01', Tags: named('app-att'), State: 'deleting' },
        { TransitGatewayAttachmentId: 'tgw-attach-02', Tags: named('app-att'), State: 'available' },
      ],
    });
    ec2.on(DescribeTransitGatewayRouteTablesCommand).resolves({
      TransitGatewayRouteTables: [
        { TransitGatewayRouteTableId: 'tgw-rtb-01', Tags: named('spoke-rt'), State: 'deleted' },
        { TransitGatewayRouteTableId: 'tgw-rtb-02', Tags: named('spoke-rt'), State: 'available' },
      ],
    });
    const r = await resolveTargets(tgwNet(), clients);
    expect(r.ids.transitGateway).toBe('tgw-0old');
    expect(r.ids.tgwAttachment).toEqual({ 'app-att': 'tgw-attach-02' });
    expect(r.ids.tgwRouteTable).toEqual({ 'spoke-rt': 'tgw-rtb-02' });
  });

  test('a live gateway part wins over both a deleting and a deleted namesake', async () => {
    const three = (id: string) =>
      (['deleting', 'deleted', 'available'] as const).map((State, n) => ({ id: `${id}${n}`, State }));
    ec2.on(DescribeTransitGatewaysCommand).resolves({
      TransitGateways: three('tgw-0').map((x) => ({
        TransitGatewayId: x.id,
        Tags: named('hub'),
        State: x.State,
      })),
    });
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: three('tgw-attach-0').map((x) => ({
        TransitGatewayAttachmentId: x.id,
        Tags: named('app-att'),
        State: x.State,
      })),
    });
    ec2.on(DescribeTransitGatewayRouteTablesCommand).resolves({
      TransitGatewayRouteTables: three('tgw-rtb-0').map((x) => ({
        TransitGatewayRouteTableId: x.id,
        Tags: named('spoke-rt'),
        State: x.State,
      })),
    });
    const r = await resolveTargets(tgwNet(), clients);
    expect(r.ids.transitGateway).toBe('tgw-02');
    expect(r.ids.tgwAttachment).toEqual({ 'app-att': 'tgw-attach-02' });
    expect(r.ids.tgwRouteTable).toEqual({ 'spoke-rt': 'tgw-rtb-02' });
  });

  test('a missing gateway is reported once, and nothing inside it is looked up', async () => {
    ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [] });
    expect(await problemsOf(tgwNet())).toEqual([
      'network.transitGateway.name: no Transit Gateway named "hub" in account 123456789012 (eu-west-1)',
    ]);
    expect(ec2.commandCalls(DescribeTransitGatewayAttachmentsCommand)).toHaveLength(0);
  });

  test('missing attachments and route tables name their fields', async () => {
    ec2
      .on(DescribeTransitGatewaysCommand)
      .resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-01', Tags: named('hub') }] });
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({});
    ec2.on(DescribeTransitGatewayRouteTablesCommand).resolves({});
    expect(await problemsOf(tgwNet())).toEqual([
      'network.transitGateway.attachments[0].name: no TGW attachment named "app-att" in account 123456789012 (eu-west-1)',
      'network.transitGateway.routeTables[0].name: no TGW route table named "spoke-rt" in account 123456789012 (eu-west-1)',
    ]);
  });

  const peerNet = () =>
    network({ peerings: [{ name: 'app-peer', requester: 'app-vpc', accepter: 'app-vpc' }] });

  test('a peering resolves to its live connection; deleted, rejected, expired and failed ones lose', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
      VpcPeeringConnections: [
        { VpcPeeringConnectionId: 'pcx-01', Tags: named('app-peer'), Status: { Code: 'deleted' } },
        { VpcPeeringConnectionId: 'pcx-02', Tags: named('app-peer'), Status: { Code: 'rejected' } },
        { VpcPeeringConnectionId: 'pcx-03', Tags: named('app-peer'), Status: { Code: 'expired' } },
        { VpcPeeringConnectionId: 'pcx-04', Tags: named('app-peer'), Status: { Code: 'failed' } },
        { VpcPeeringConnectionId: 'pcx-05', Tags: named('app-peer'), Status: { Code: 'active' } },
      ],
    });
    const r = await resolveTargets(peerNet(), clients);
    expect(r.ids.peering).toEqual({ 'app-peer': 'pcx-05' });
  });

  test('two live peerings of one name are ambiguous, dead ones left out of the candidates', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
      VpcPeeringConnections: [
        { VpcPeeringConnectionId: 'pcx-01', Tags: named('app-peer'), Status: { Code: 'deleted' } },
        { VpcPeeringConnectionId: 'pcx-02', Tags: named('app-peer'), Status: { Code: 'active' } },
        { VpcPeeringConnectionId: 'pcx-03', Tags: named('app-peer') },
      ],
    });
    expect(await problemsOf(peerNet())).toEqual([
      'network.peerings[0].name: 2 VPC peering connections are named "app-peer" in account 123456789012 (eu-west-1) (pcx-02, pcx-03); name one by id',
    ]);
  });

  test('a peering named by id is looked up by vpc-peering-connection-id', async () => {
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({
      VpcPeeringConnections: [{ VpcPeeringConnectionId: 'pcx-0abc', Status: { Code: 'active' } }],
    });
    const t = network({ peerings: [{ name: 'pcx-0abc', requester: 'app-vpc', accepter: 'app-vpc' }] });
    const r = await resolveTargets(t, clients);
    expect(r.ids.peering).toEqual({ 'pcx-0abc': 'pcx-0abc' });
    expect(ec2.commandCalls(DescribeVpcPeeringConnectionsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'vpc-peering-connection-id', Values: ['pcx-0abc'] },
    ]);
  });
});

describe('buckets (HeadBucket)', () => {
  const withBucket = () =>
    targets({
      dataProtection: undefined,
      endpoints: { probe: { bucket: 'probe-drop', role: 'r', placements: [] } },
    });

  test('a bucket in the Region is taken', async () => {
    s3.on(HeadBucketCommand, { Bucket: 'probe-drop' }).resolves({ BucketRegion: 'eu-west-1' });
    await expect(resolveTargets(withBucket(), clients)).resolves.toMatchObject({
      accountIds: { lab: ACCOUNT },
    });
  });

  test('404 is a targets problem naming the field, the bucket and the account', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    expect(await problemsOf(withBucket())).toEqual([
      'endpoints.probe.bucket: no S3 bucket named "probe-drop" (looked up from account 123456789012)',
    ]);
  });

  test('a bucket naming another Region is a targets problem', async () => {
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'us-east-2' });
    expect(await problemsOf(withBucket())).toEqual([
      'endpoints.probe.bucket: bucket "probe-drop" is in us-east-2, not eu-west-1',
    ]);
  });

  test('301 (moved to another Region) is a targets problem', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('PermanentRedirect', 301));
    expect(await problemsOf(withBucket())).toEqual([
      'endpoints.probe.bucket: bucket "probe-drop" is not in eu-west-1',
    ]);
  });

  test('403 is taken as "exists": the checks find out the rest', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('Forbidden', 403));
    await expect(resolveTargets(withBucket(), clients)).resolves.toBeDefined();
  });

  test('any other failure is cannot-tell naming the bucket', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('InternalError', 500));
    const error = await resolveTargets(withBucket(), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('could not look up bucket probe-drop');
  });

  test('a failure with no HTTP answer (the connection broke) is cannot-tell, not a crash', async () => {
    s3.on(HeadBucketCommand).rejects(new Error('socket hang up'));
    const error = await resolveTargets(withBucket(), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('could not look up bucket probe-drop');
  });

  test('endpoints without a probe name no bucket to look up', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    const t = network();
    (t as { endpoints?: unknown }).endpoints = { vpcs: [{ vpc: 'app-vpc', gateway: ['s3'], interface: [] }] };
    await expect(resolveTargets(t, clients)).resolves.toBeDefined();
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  test('the receipt bucket is checked too, under its own field', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    const t = targets({ dataProtection: { receiptBucket: 'receipts-b' } });
    const error = await resolveTargets(t, clients).catch((e: unknown) => e);
    expect((error as TargetsError).problems).toEqual([
      'dataProtection.receiptBucket: no S3 bucket named "receipts-b" (looked up from account 123456789012)',
    ]);
  });

  test('a missing bucket stops the run before any name is looked up', async () => {
    s3.on(HeadBucketCommand).rejects(awsError('NotFound', 404));
    const t = network({});
    (t as { endpoints?: unknown }).endpoints = { probe: { bucket: 'probe-drop', role: 'r', placements: [] } };
    await expect(resolveTargets(t, clients)).rejects.toBeInstanceOf(TargetsError);
    expect(ec2.commandCalls(DescribeVpcsCommand)).toHaveLength(0);
  });
});

describe('the probe', () => {
  beforeEach(() => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    s3.on(HeadBucketCommand).resolves({ BucketRegion: 'eu-west-1' });
  });

  function probeNet(placement: Record<string, unknown>, role = 'probe-role') {
    const t = network();
    (t as { endpoints?: unknown }).endpoints = {
      probe: {
        bucket: 'probe-drop',
        role,
        placements: [{ name: 'p1', vpc: 'app-vpc', securityGroups: [], ...placement }],
      },
    };
    return t;
  }

  test('the probe role is an ARN in the lab account when named, kept when already an ARN', async () => {
    const r = await resolveTargets(probeNet({}), clients);
    expect(r.ids.probeRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/probe-role`);
    const arn = 'arn:aws:iam::210987654321:role/x/probe';
    expect((await resolveTargets(probeNet({}, arn), clients)).ids.probeRoleArn).toBe(arn);
  });

  test('a security group resolves by Name tag inside the VPC', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: 'sg-01', GroupName: 'other', Tags: named('probe-sg') }],
    });
    const r = await resolveTargets(probeNet({ securityGroups: ['probe-sg'] }), clients);
    expect(r.ids.securityGroup).toEqual({ 'probe-sg': 'sg-01' });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['probe-sg'] },
      { Name: 'vpc-id', Values: ['vpc-0a'] },
    ]);
  });

  test('a group in the second VPC is looked up in that VPC; a resource with more tags than Name matches', async () => {
    ec2.on(DescribeVpcsCommand).callsFake((input: { Filters: { Values: string[] }[] }) => {
      const name = input.Filters[0]!.Values[0]!;
      return { Vpcs: [{ VpcId: name === 'app-vpc' ? 'vpc-0a' : 'vpc-0b', Tags: named(name) }] };
    });
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: 'sg-02', Tags: [{ Key: 'env', Value: 'lab' }, ...named('db-sg')] }],
    });
    const t = probeNet({ vpc: 'db-vpc', securityGroups: ['db-sg'] });
    (t.network!.vpcs as unknown[]).push({ name: 'db-vpc', account: 'lab', subnets: [{ name: 'app-a' }] });
    const r = await resolveTargets(t, clients);
    expect(r.ids.securityGroup).toEqual({ 'db-sg': 'sg-02' });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'tag:Name', Values: ['db-sg'] },
      { Name: 'vpc-id', Values: ['vpc-0b'] },
    ]);
  });

  test.for(['my-sg-01', 'sg-01-old'])('a group name that holds an id is a name: %s', async (group) => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0f', Tags: named(group) }] });
    const r = await resolveTargets(probeNet({ securityGroups: [group] }), clients);
    expect(r.ids.securityGroup).toEqual({ [group]: 'sg-0f' });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]!.args[0].input.Filters![0]!.Name).toBe(
      'tag:Name',
    );
  });

  test('with no Name tag match, the group name is tried, literally', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [] })
      .on(DescribeSecurityGroupsCommand, {
        Filters: [
          { Name: 'group-name', Values: ['probe-sg'] },
          { Name: 'vpc-id', Values: ['vpc-0a'] },
        ],
      })
      .resolves({
        SecurityGroups: [
          { GroupId: 'sg-01', GroupName: 'probe-sg-2' },
          { GroupId: 'sg-02', GroupName: 'probe-sg', Tags: named('something else') },
        ],
      });
    const r = await resolveTargets(probeNet({ securityGroups: ['probe-sg'] }), clients);
    expect(r.ids.securityGroup).toEqual({ 'probe-sg': 'sg-02' });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(2);
  });

  test('a Name tag match is not second-guessed by the group name', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [{ GroupId: 'sg-01', GroupName: 'x', Tags: named('probe-sg') }],
    });
    await resolveTargets(probeNet({ securityGroups: ['probe-sg'] }), clients);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(1);
  });

  test('a group named by id is looked up by group-id only', async () => {
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0abc', GroupName: 'x' }] });
    const r = await resolveTargets(probeNet({ securityGroups: ['sg-0abc', 'sg-0abc'] }), clients);
    expect(r.ids.securityGroup).toEqual({ 'sg-0abc': 'sg-0abc' });
    const calls = ec2.commandCalls(DescribeSecurityGroupsCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.Filters).toEqual([
      { Name: 'group-id', Values: ['sg-0abc'] },
      { Name: 'vpc-id', Values: ['vpc-0a'] },
    ]);
  });

  test('a group that matches nothing names the field and the VPC', async () => {
    ec2.on(DescribeSecurityGroupsCommand).resolves({});
    expect(await problemsOf(probeNet({ securityGroups: ['probe-sg'] }))).toEqual([
      'endpoints.probe.placements[0].securityGroups[0]: no security group in app-vpc named "probe-sg" in account 123456789012 (eu-west-1)',
    ]);
  });

  test('a security group look-up the runner may not make is cannot-tell', async () => {
    ec2.on(DescribeSecurityGroupsCommand).rejects(awsError('UnauthorizedOperation', 403));
    const error = await resolveTargets(probeNet({ securityGroups: ['probe-sg'] }), clients).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('look up security group probe-sg');
  });

  test('a deployed probe resolves to its function ARN', async () => {
    const arn = `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:probe`;
    lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'probe' }).resolves({ FunctionArn: arn });
    const r = await resolveTargets(probeNet({ deployed: 'probe' }), clients);
    expect(r.ids.probeFunction).toEqual({ p1: arn });
  });

  test('a deployed probe that is not there is a targets problem', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('ResourceNotFoundException', 404));
    expect(await problemsOf(probeNet({ deployed: 'probe' }))).toEqual([
      'endpoints.probe.placements[0].deployed: no Lambda function named "probe" in account 123456789012 (eu-west-1)',
    ]);
  });

  test('a deployed probe the runner may not read is cannot-tell, never absent', async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError('AccessDeniedException', 403));
    const error = await resolveTargets(probeNet({ deployed: 'probe' }), clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toContain('look up probe function probe');
  });
});

describe('accounts beyond the lab', () => {
  const PEER = '210987654321';
  const PEER_ROLE = `arn:aws:iam::${PEER}:role/meshcheck`;
  const twoAccounts = (net?: Record<string, unknown>) =>
    targets({
      accounts: { lab: { id: ACCOUNT }, peer: { id: PEER, assumeRoleArn: PEER_ROLE } },
      ...(net && { network: { vpcs: [], hosts: [], peerings: [], ...net } }),
    });

  test("each account's clients assume its role, in the targets' Region", () => {
    const t = twoAccounts();
    expect(clientsForTargets(t)('peer')).toBe(clientsFor({ region: 'eu-west-1', assumeRoleArn: PEER_ROLE }));
    expect(clientsForTargets(t)('lab')).toBe(clientsFor({ region: 'eu-west-1' }));
  });

  test("the runner is who STS says in the lab account, not in another's", async () => {
    const peerClients = mockedClients();
    const labClients = clientsFor({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'AKIDLAB', secretAccessKey: 's' },
    });
    sts.reset();
    sts
      .on(GetCallerIdentityCommand)
      .callsFake(async (_input, getClient) =>
        getClient() === labClients.sts
          ? { Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/lab-runner` }
          : { Account: PEER, Arn: `arn:aws:iam::${PEER}:user/peer-runner` },
      );
    const r = await resolveTargets(twoAccounts(), (key) => (key === 'lab' ? labClients : peerClients));
    expect(r.accountIds).toEqual({ lab: ACCOUNT, peer: PEER });
    expect(r.runner).toEqual({ arn: `arn:aws:iam::${ACCOUNT}:user/lab-runner` });
  });

  test("the gateway, the buckets and a deployed probe are looked up with the lab account's clients", async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    ec2
      .on(DescribeTransitGatewaysCommand)
      .resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-01', Tags: named('hub') }] });
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-01', Tags: named('att') }],
    });
    ec2.on(DescribeTransitGatewayRouteTablesCommand).resolves({
      TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-01', Tags: named('rt') }],
    });
    s3.on(HeadBucketCommand).resolves({});
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionArn: 'arn:aws:lambda:eu-west-1:1:function:meshcheck-p' });
    const t = network({
      transitGateway: { name: 'hub', attachments: [{ name: 'att' }], routeTables: [{ name: 'rt' }] },
    });
    (t as { endpoints?: unknown }).endpoints = {
      probe: {
        bucket: 'probe-drop',
        role: 'r',
        placements: [{ name: 'p1', vpc: 'app-vpc', securityGroups: [], deployed: 'meshcheck-p' }],
      },
    };
    const seen = new Set<string>();
    const r = await resolveTargets(t, (key) => {
      seen.add(key);
      return mockedClients();
    });
    expect(r.ids.probeFunction).toEqual({ p1: 'arn:aws:lambda:eu-west-1:1:function:meshcheck-p' });
    expect(r.ids.tgwRouteTable).toEqual({ rt: 'tgw-rtb-01' });
    expect([...seen]).toEqual(['lab']);
  });

  test("a peering is looked up in its requester VPC's account, and named in that account", async () => {
    sts.reset();
    sts.on(GetCallerIdentityCommand).resolves({ Account: PEER, Arn: 'arn:aws:iam::x:user/y' });
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0p', Tags: named('peer-vpc') }] });
    ec2.on(DescribeVpcPeeringConnectionsCommand).resolves({});
    const t = twoAccounts({
      vpcs: [{ name: 'peer-vpc', account: 'peer', subnets: [] }],
      peerings: [{ name: 'p', requester: 'peer-vpc', accepter: 'peer-vpc' }],
    });
    (t.accounts as Record<string, { id?: string }>).lab = {};
    (t.accounts as Record<string, { id?: string }>).peer = { id: PEER };
    const seen: string[] = [];
    const error = await resolveTargets(t, (key) => {
      seen.push(key);
      return mockedClients();
    }).catch((e: unknown) => e);
    expect((error as TargetsError).problems).toEqual([
      `network.peerings[0].name: no VPC peering connection named "p" in account ${PEER} (eu-west-1)`,
    ]);
    expect(seen.filter((k) => k === 'peer').length).toBeGreaterThanOrEqual(3);
  });
});

describe('more paging', () => {
  beforeEach(() => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
  });

  test('subnets, instances, gateways, attachments, route tables and peerings are read to the last page', async () => {
    ec2
      .on(DescribeSubnetsCommand)
      .resolves({ NextToken: 's2' })
      .on(DescribeSubnetsCommand, { NextToken: 's2' })
      .resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ NextToken: 'i2' })
      .on(DescribeInstancesCommand, { NextToken: 'i2' })
      .resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0a', Tags: named('web') }] }] });
    ec2
      .on(DescribeTransitGatewaysCommand)
      .resolves({ NextToken: 't2' })
      .on(DescribeTransitGatewaysCommand, { NextToken: 't2' })
      .resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-01', Tags: named('hub') }] });
    ec2
      .on(DescribeTransitGatewayAttachmentsCommand)
      .resolves({ NextToken: 'a2' })
      .on(DescribeTransitGatewayAttachmentsCommand, { NextToken: 'a2' })
      .resolves({
        TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-01', Tags: named('att') }],
      });
    ec2
      .on(DescribeTransitGatewayRouteTablesCommand)
      .resolves({ NextToken: 'r2' })
      .on(DescribeTransitGatewayRouteTablesCommand, { NextToken: 'r2' })
      .resolves({
        TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-01', Tags: named('rt') }],
      });
    ec2
      .on(DescribeVpcPeeringConnectionsCommand)
      .resolves({ NextToken: 'p2' })
      .on(DescribeVpcPeeringConnectionsCommand, { NextToken: 'p2' })
      .resolves({ VpcPeeringConnections: [{ VpcPeeringConnectionId: 'pcx-01', Tags: named('peer') }] });
    const r = await resolveTargets(
      network({
        hosts: [{ name: 'web', account: 'lab' }],
        transitGateway: { name: 'hub', attachments: [{ name: 'att' }], routeTables: [{ name: 'rt' }] },
        peerings: [{ name: 'peer', requester: 'app-vpc', accepter: 'app-vpc' }],
      }),
      clients,
    );
    expect(r.ids).toMatchObject({
      subnet: { 'app-a': 'subnet-0b' },
      instance: { web: 'i-0a' },
      transitGateway: 'tgw-01',
      tgwAttachment: { att: 'tgw-attach-01' },
      tgwRouteTable: { rt: 'tgw-rtb-01' },
      peering: { peer: 'pcx-01' },
    });
  });

  test('by id, a page that leaves its list out (EC2 omits empty lists) adds no candidate', async () => {
    ec2.reset();
    ec2
      .on(DescribeVpcsCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeVpcsCommand, { NextToken: 'next' })
      .resolves({ Vpcs: [{ VpcId: 'vpc-0a' }] });
    ec2
      .on(DescribeSubnetsCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeSubnetsCommand, { NextToken: 'next' })
      .resolves({ Subnets: [{ SubnetId: 'subnet-0b' }] });
    ec2
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{}], NextToken: 'next' })
      .on(DescribeInstancesCommand, { NextToken: 'next' })
      .resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0c' }] }] });
    ec2
      .on(DescribeTransitGatewaysCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeTransitGatewaysCommand, { NextToken: 'next' })
      .resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-0d' }] });
    ec2
      .on(DescribeTransitGatewayAttachmentsCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeTransitGatewayAttachmentsCommand, { NextToken: 'next' })
      .resolves({ TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-0e' }] });
    ec2
      .on(DescribeTransitGatewayRouteTablesCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeTransitGatewayRouteTablesCommand, { NextToken: 'next' })
      .resolves({ TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-0f' }] });
    ec2
      .on(DescribeVpcPeeringConnectionsCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeVpcPeeringConnectionsCommand, { NextToken: 'next' })
      .resolves({ VpcPeeringConnections: [{ VpcPeeringConnectionId: 'pcx-01' }] });
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ NextToken: 'next' })
      .on(DescribeSecurityGroupsCommand, { NextToken: 'next' })
      .resolves({ SecurityGroups: [{ GroupId: 'sg-01' }] });
    s3.on(HeadBucketCommand).resolves({});
    const t = network({
      vpcs: [{ name: 'vpc-0a', account: 'lab', subnets: [{ name: 'subnet-0b' }] }],
      hosts: [{ name: 'web', instance: 'i-0c', account: 'lab' }],
      transitGateway: {
        name: 'tgw-0d',
        attachments: [{ name: 'tgw-attach-0e' }],
        routeTables: [{ name: 'tgw-rtb-0f' }],
      },
      peerings: [{ name: 'pcx-01', requester: 'vpc-0a', accepter: 'vpc-0a' }],
    });
    (t as { endpoints?: unknown }).endpoints = {
      probe: {
        bucket: 'b-1',
        role: 'r',
        placements: [{ name: 'p1', vpc: 'vpc-0a', securityGroups: ['sg-01'] }],
      },
    };
    const r = await resolveTargets(t, clients);
    expect(r.ids).toMatchObject({
      vpc: { 'vpc-0a': 'vpc-0a' },
      subnet: { 'subnet-0b': 'subnet-0b' },
      instance: { web: 'i-0c' },
      transitGateway: 'tgw-0d',
      tgwAttachment: { 'tgw-attach-0e': 'tgw-attach-0e' },
      tgwRouteTable: { 'tgw-rtb-0f': 'tgw-rtb-0f' },
      peering: { 'pcx-01': 'pcx-01' },
      securityGroup: { 'sg-01': 'sg-01' },
    });
  });

  test('security groups are read to the last page', async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    s3.on(HeadBucketCommand).resolves({});
    ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ NextToken: 'g2' })
      .on(DescribeSecurityGroupsCommand, { NextToken: 'g2' })
      .resolves({ SecurityGroups: [{ GroupId: 'sg-01', Tags: named('probe-sg') }] });
    const t = network();
    (t as { endpoints?: unknown }).endpoints = {
      probe: {
        bucket: 'b-1',
        role: 'r',
        placements: [{ name: 'p1', vpc: 'app-vpc', securityGroups: ['probe-sg'] }],
      },
    };
    const r = await resolveTargets(t, clients);
    expect(r.ids.securityGroup).toEqual({ 'probe-sg': 'sg-01' });
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(2);
  });
});

describe('one stage at a time', () => {
  test('gateway parts named by id are looked up by their id filters', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-0a', Tags: named('app-vpc') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    ec2.on(DescribeTransitGatewaysCommand).resolves({ TransitGateways: [{ TransitGatewayId: 'tgw-0a' }] });
    ec2
      .on(DescribeTransitGatewayAttachmentsCommand)
      .resolves({ TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-0b' }] });
    ec2
      .on(DescribeTransitGatewayRouteTablesCommand)
      .resolves({ TransitGatewayRouteTables: [{ TransitGatewayRouteTableId: 'tgw-rtb-0c' }] });
    const r = await resolveTargets(
      network({
        transitGateway: {
          name: 'tgw-0a',
          attachments: [{ name: 'tgw-attach-0b' }],
          routeTables: [{ name: 'tgw-rtb-0c' }],
        },
      }),
      clients,
    );
    expect(r.ids.transitGateway).toBe('tgw-0a');
    expect(ec2.commandCalls(DescribeTransitGatewaysCommand)[0]!.args[0].input.Filters).toEqual([
      { Name: 'transit-gateway-id', Values: ['tgw-0a'] },
    ]);
    expect(ec2.commandCalls(DescribeTransitGatewayAttachmentsCommand)[0]!.args[0].input.Filters![0]).toEqual({
      Name: 'transit-gateway-attachment-id',
      Values: ['tgw-attach-0b'],
    });
    expect(ec2.commandCalls(DescribeTransitGatewayRouteTablesCommand)[0]!.args[0].input.Filters![0]).toEqual({
      Name: 'transit-gateway-route-table-id',
      Values: ['tgw-rtb-0c'],
    });
  });

  test('a name that is an id with a suffix is a name', async () => {
    ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-09', Tags: named('vpc-0a-old') }] });
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-0b', Tags: named('app-a') }] });
    const t = network({ vpcs: [{ name: 'vpc-0a-old', account: 'lab', subnets: [{ name: 'app-a' }] }] });
    await resolveTargets(t, clients);
    expect(ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input.Filters![0]!.Name).toBe('tag:Name');
  });

  test('accounts that do not match stop the run before buckets are looked up', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999999999999', Arn: 'arn:aws:iam::9:user/x' });
    const t = targets({ endpoints: { probe: { bucket: 'b-1', role: 'r', placements: [] } } });
    await expect(resolveTargets(t, clients)).rejects.toBeInstanceOf(TargetsError);
    expect(s3.commandCalls(HeadBucketCommand)).toHaveLength(0);
  });

  test('a missing VPC stops the run before the probe and data protection are looked up', async () => {
    ec2.on(DescribeVpcsCommand).resolves({});
    s3.on(HeadBucketCommand).resolves({});
    const t = network();
    (t as { endpoints?: unknown }).endpoints = {
      probe: {
        bucket: 'b-1',
        role: 'r',
        placements: [{ name: 'p1', vpc: 'app-vpc', securityGroups: ['sg-0a'], deployed: 'probe' }],
      },
    };
    (t as { dataProtection?: unknown }).dataProtection = { receiptBucket: 'b-2', keys: [] };
    await expect(resolveTargets(t, clients)).rejects.toBeInstanceOf(TargetsError);
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)).toHaveLength(0);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)).toHaveLength(0);
  });
});
