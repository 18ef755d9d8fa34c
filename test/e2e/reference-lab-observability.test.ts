import { join } from 'node:path';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { DescribeFlowLogsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import {
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { type AwsClients, clientsFor } from '../../helpers/clients.ts';
import { loadTargets } from '../../helpers/targets/index.ts';
import type { Targets } from '../../helpers/targets/schema.ts';
import { rootCredential } from '../../twin/twin.ts';
import { type ReferenceTwin, serveReferenceLab } from './support/reference-twin.ts';
import { ROOT } from './support/validate.ts';

/**
 * The reference lab holds the trail and flow logs targets.example.json
 * describes, read through the SDK as the runner (so policies/runner.json
 * also lets it read them): the lab and its targets are written apart and
 * must agree, or issue 12's checks would test a lab nobody built.
 */
let lab: ReferenceTwin;
let targets: Targets;
let runner: AwsClients;
beforeAll(async () => {
  lab = await serveReferenceLab();
  targets = await loadTargets(join(ROOT, 'targets.example.json'));
  const c = lab.runner();
  runner = clientsFor({
    region: targets.region,
    endpoint: lab.endpoint,
    credentials: {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      sessionToken: c.sessionToken,
    },
  });
});
afterAll(() => lab.close());

describe('the reference lab’s trail', () => {
  test('is the one targets name, logging, with its destinations and scope', async ({ expect }) => {
    const want = targets.observability!.trail!;
    const { trailList } = await runner.cloudtrail.send(new DescribeTrailsCommand({}));
    const trail = trailList?.find((t) => t.Name === want.name);
    expect(trail).toMatchObject({
      IsMultiRegionTrail: want.multiRegion,
      LogFileValidationEnabled: want.logFileValidation,
      S3BucketName: want.bucket,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${targets.region}:${targets.accounts.lab!.id}:log-group:${want.logGroup}:*`,
    });
    expect(trail?.CloudWatchLogsRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const status = await runner.cloudtrail.send(new GetTrailStatusCommand({ Name: want.name }));
    expect(status.IsLogging).toBe(true);

    const { EventSelectors } = await runner.cloudtrail.send(
      new GetEventSelectorsCommand({ TrailName: want.name }),
    );
    expect(EventSelectors).toHaveLength(1);
    expect(EventSelectors![0]).toMatchObject({ ReadWriteType: 'All', IncludeManagementEvents: true });
    expect(EventSelectors![0]!.DataResources).toEqual([
      { Type: 'AWS::S3::Object', Values: want.dataEventBuckets.map((b) => `arn:aws:s3:::${b}/`) },
    ]);
    const { InsightSelectors } = await runner.cloudtrail.send(
      new GetInsightSelectorsCommand({ TrailName: want.name }),
    );
    expect(InsightSelectors?.map((s) => s.InsightType)).toEqual(want.insights);
  });

  test('delivers to a bucket that blocks public access, keeps versions and lets only CloudTrail in', async ({
    expect,
  }) => {
    const bucket = targets.observability!.trail!.bucket;
    const block = await runner.s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(block.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const { Status } = await runner.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(Status).toBe('Enabled');
    const { Policy } = await runner.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    const statements = JSON.parse(Policy!).Statement as {
      Effect: string;
      Principal: unknown;
      Action: string;
    }[];
    // CloudTrail's two statements, and a refusal of plain HTTP to everyone (the application's S9).
    expect(statements.map((s) => [s.Effect, s.Principal, s.Action])).toEqual([
      ['Allow', { Service: 'cloudtrail.amazonaws.com' }, 's3:GetBucketAcl'],
      ['Allow', { Service: 'cloudtrail.amazonaws.com' }, 's3:PutObject'],
      ['Deny', '*', 's3:*'],
    ]);
  });
});

describe('the reference lab’s flow logs', () => {
  test('are the ones targets list: each VPC to its destination, ALL traffic, at the interval targets say', async ({
    expect,
  }) => {
    const { Vpcs } = await runner.ec2.send(new DescribeVpcsCommand({}));
    const vpcName = new Map(Vpcs?.map((v) => [v.VpcId, v.Tags?.find((t) => t.Key === 'Name')?.Value]));
    const { FlowLogs } = await runner.ec2.send(new DescribeFlowLogsCommand({}));
    const seen = (FlowLogs ?? []).map((f) => ({
      vpc: vpcName.get(f.ResourceId),
      destination: f.LogDestinationType === 's3' ? f.LogDestination : f.LogGroupName,
      role: f.DeliverLogsPermissionArn?.replace(/^arn:aws:iam::\d{12}:role\//, ''),
      traffic: f.TrafficType,
      interval: f.MaxAggregationInterval,
      status: f.FlowLogStatus,
    }));
    const wanted = targets.observability!.flowLogs.map((f) => ({
      vpc: f.vpc,
      destination:
        'logGroup' in f.destination ? f.destination.logGroup : `arn:aws:s3:::${f.destination.bucket}`,
      role: 'logGroup' in f.destination ? f.destination.deliveryRole : undefined,
      traffic: 'ALL',
      interval: f.maxAggregationInterval,
      status: 'ACTIVE',
    }));
    expect(wanted).toHaveLength(4);
    expect(seen).toEqual(expect.arrayContaining(wanted));
    expect(seen).toHaveLength(wanted.length);
  });

  test('deliver to a central bucket of the log archive that lets the log delivery service in for the lab only', async ({
    expect,
  }) => {
    const central = targets.observability!.flowLogs.find((f) => 'bucket' in f.destination)!.destination;
    expect(central).toMatchObject({ account: 'log-archive' });
    const bucket = (central as { bucket: string }).bucket;
    const archive = clientsFor({
      region: targets.region,
      endpoint: lab.endpoint,
      credentials: rootCredential(targets.accounts['log-archive']!.id!),
    });
    const { Status } = await archive.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(Status).toBe('Enabled');
    const { Policy } = await archive.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
    const write = JSON.parse(Policy!).Statement.find((s: { Sid: string }) => s.Sid === 'AWSLogDeliveryWrite');
    expect(write).toMatchObject({
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Condition: {
        StringEquals: {
          'aws:SourceAccount': [targets.accounts.lab!.id],
          's3:x-amz-acl': 'bucket-owner-full-control',
        },
      },
    });
  });
});
