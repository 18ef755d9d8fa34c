import { describe, expect, test } from 'vitest';
import { DEFAULT_LOG_FORMAT } from '../../../../twin/services/ec2/model/flow-logs-format.ts';
import { A, B, flowLogFixture } from './flow-logs-fixture.ts';

const GROUP = '/vpc/flow-logs';
/** A LogFormat naming `fields` as `${field}` each. */
const format = (...fields: string[]) => fields.map((f) => `\${${f}}`).join(' ');

async function cwlFlowLog(t: ReturnType<typeof flowLogFixture>, extra: object = {}) {
  const { vpcId, subnetId } = await t.vpc();
  const roleArn = await t.deliveryRole('flow-logs');
  const out = await t.ec2('CreateFlowLogs', {
    ResourceType: 'VPC',
    ResourceIds: [vpcId],
    TrafficType: 'ALL',
    LogGroupName: GROUP,
    DeliverLogsPermissionArn: roleArn,
    ...extra,
  });
  return { vpcId, subnetId, roleArn, out };
}

describe('CreateFlowLogs and DescribeFlowLogs', () => {
  test('a VPC flow log to CloudWatch Logs is ACTIVE, delivering, with the default format and interval', async () => {
    const t = flowLogFixture();
    const { vpcId, roleArn, out } = await cwlFlowLog(t, {
      TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'Name', Value: 'prod-vpc' }] }],
    });
    expect(out.Unsuccessful).toEqual([]);
    expect(out.FlowLogIds).toEqual([expect.stringMatching(/^fl-[0-9a-f]{17}$/)]);
    const { FlowLogs } = await t.ec2('DescribeFlowLogs', {});
    expect(FlowLogs).toEqual([
      expect.objectContaining({
        FlowLogId: out.FlowLogIds[0],
        FlowLogStatus: 'ACTIVE',
        DeliverLogsStatus: 'SUCCESS',
        DeliverLogsPermissionArn: roleArn,
        ResourceId: vpcId,
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: GROUP,
        LogDestination: `arn:aws:logs:us-east-1:${A}:log-group:${GROUP}`,
        LogFormat: DEFAULT_LOG_FORMAT,
        MaxAggregationInterval: 600,
        Tags: [{ Key: 'Name', Value: 'prod-vpc' }],
      }),
    ]);
    expect(FlowLogs[0].DeliverLogsErrorMessage).toBeUndefined();
    expect(DEFAULT_LOG_FORMAT).toBe(
      format(
        ...'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(
          ' ',
        ),
      ),
    );
  });

  test('filters select by resource, destination type, traffic type, group and tag', async () => {
    const t = flowLogFixture();
    const { vpcId, out } = await cwlFlowLog(t, {
      TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'team', Value: 'net' }] }],
    });
    const ids = async (Filter: object[]) =>
      (await t.ec2('DescribeFlowLogs', { Filter })).FlowLogs.map((f: { FlowLogId: string }) => f.FlowLogId);
    expect(await ids([{ Name: 'resource-id', Values: [vpcId] }])).toEqual(out.FlowLogIds);
    expect(await ids([{ Name: 'resource-id', Values: ['vpc-00000000000000000'] }])).toEqual([]);
    expect(await ids([{ Name: 'log-destination-type', Values: ['s3'] }])).toEqual([]);
    expect(await ids([{ Name: 'traffic-type', Values: ['ALL'] }])).toEqual(out.FlowLogIds);
    expect(await ids([{ Name: 'log-group-name', Values: [GROUP] }])).toEqual(out.FlowLogIds);
    expect(await ids([{ Name: 'deliver-log-status', Values: ['FAILED'] }])).toEqual([]);
    expect(await ids([{ Name: 'tag:team', Values: ['net'] }])).toEqual(out.FlowLogIds);
    expect(await ids([{ Name: 'flow-log-id', Values: out.FlowLogIds }])).toEqual(out.FlowLogIds);
    expect((await t.ec2('DescribeFlowLogs', { FlowLogIds: ['fl-00000000000000000'] })).FlowLogs).toEqual([]);
    expect(
      (await t.ec2Error('DescribeFlowLogs', { Filter: [{ Name: 'vpc-id', Values: [vpcId] }] })).code,
    ).toBe('InvalidParameterValue');
  });

  test('an unknown resource and a second flow log to the same destination answer in Unsuccessful', async () => {
    const t = flowLogFixture();
    const { vpcId, roleArn } = await cwlFlowLog(t);
    const out = await t.ec2('CreateFlowLogs', {
      ResourceType: 'VPC',
      ResourceIds: [vpcId, 'vpc-0123456789abcdef0'],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: roleArn,
    });
    expect(out.FlowLogIds).toEqual([]);
    expect(out.Unsuccessful).toEqual([
      {
        ResourceId: vpcId,
        Error: {
          Code: 'FlowLogAlreadyExists',
          Message: 'Error. There is an existing Flow Log with the same configuration and log destination.',
        },
      },
      {
        ResourceId: 'vpc-0123456789abcdef0',
        Error: {
          Code: 'InvalidVpcID.NotFound',
          Message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
        },
      },
    ]);
  });

  test.each([
    [{ DeliverLogsPermissionArn: undefined }, 'InvalidParameter', /DeliverLogsPermissionArn can't be empty/],
    [{ MaxAggregationInterval: 300 }, 'InvalidParameter', /Max Aggregation Interval/],
    [{ LogFormat: format('srcaddr', 'colour') }, 'InvalidParameter', /\$\{colour\}/],
    [
      { LogDestination: 'arn:aws:logs:us-east-1:123456789012:log-group:x' },
      'InvalidParameter',
      /only provide/,
    ],
    [{ TrafficType: undefined }, 'MissingParameter', /TrafficType/],
    [{ TrafficType: 'SOME' }, 'InvalidParameterValue', /TrafficType/],
    [{ ResourceType: 'TransitGateway' }, 'InvalidParameterValue', /does not emulate/],
    [{ LogDestinationType: 'kinesis-data-firehose' }, 'InvalidParameterValue', /does not emulate/],
  ])('a malformed request (%o) fails as a whole', async (change, code, message) => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    const roleArn = await t.deliveryRole('flow-logs');
    const error = await t.ec2Error('CreateFlowLogs', {
      ResourceType: 'VPC',
      ResourceIds: [vpcId],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: roleArn,
      ...change,
    });
    expect({ code: error.code, message: error.message }).toEqual({
      code,
      message: expect.stringMatching(message),
    });
    expect((await t.ec2('DescribeFlowLogs', {})).FlowLogs).toEqual([]);
  });

  test('a custom format and a 60-second interval are kept as given', async () => {
    const t = flowLogFixture();
    const custom = format('version', 'vpc-id', 'interface-id', 'flow-direction', 'action');
    await cwlFlowLog(t, { LogFormat: custom, MaxAggregationInterval: 60 });
    const [flowLog] = (await t.ec2('DescribeFlowLogs', {})).FlowLogs;
    expect(flowLog).toMatchObject({ LogFormat: custom, MaxAggregationInterval: 60 });
  });

  test('passing the delivery role needs iam:PassRole (UnauthorizedOperation without it)', async () => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    const roleArn = await t.deliveryRole('flow-logs');
    const request = {
      ResourceType: 'VPC',
      ResourceIds: [vpcId],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: roleArn,
    };
    const operator = await t.role(A, 'net-operator', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect((await t.ec2Error('CreateFlowLogs', request, operator)).code).toBe('UnauthorizedOperation');
    const passer = await t.role(
      A,
      'net-admin',
      { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: roleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'vpc-flow-logs.amazonaws.com' } },
      },
    );
    expect((await t.ec2('CreateFlowLogs', request, passer)).FlowLogIds).toHaveLength(1);
  });
  test("another account's role cannot be passed, even one trusting vpc-flow-logs.amazonaws.com", async () => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    const foreign = await t.deliveryRole('foreign-flow-logs', undefined, B);
    const error = await t.ec2Error('CreateFlowLogs', {
      ResourceType: 'VPC',
      ResourceIds: [vpcId],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: foreign,
    });
    expect(error.code).toBe('UnauthorizedOperation');
    expect(error.message).toContain('iam:PassRole');
  });
  test('a repeated ClientToken answers with the flow logs it made, making no more', async () => {
    const t = flowLogFixture();
    const { out, vpcId, roleArn } = await cwlFlowLog(t, { ClientToken: 'lab-build-1' });
    const again = await t.ec2('CreateFlowLogs', {
      ResourceType: 'VPC',
      ResourceIds: [vpcId],
      TrafficType: 'ALL',
      LogGroupName: GROUP,
      DeliverLogsPermissionArn: roleArn,
      ClientToken: 'lab-build-1',
    });
    expect(again).toMatchObject({ FlowLogIds: out.FlowLogIds, Unsuccessful: [], ClientToken: 'lab-build-1' });
    expect((await t.ec2('DescribeFlowLogs', {})).FlowLogs).toHaveLength(1);
  });
});

describe('flow logs to S3', () => {
  const s3Request = (vpcId: string, bucket: string, prefix = '') => ({
    ResourceType: 'VPC',
    ResourceIds: [vpcId],
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: `arn:aws:s3:::${bucket}${prefix}`,
  });

  test('a cross-account bucket whose policy follows the VPC User Guide takes the flow log', async () => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    await t.flowLogBucket('central-flow-logs', B, A, 'vpc/');
    const out = await t.ec2('CreateFlowLogs', s3Request(vpcId, 'central-flow-logs', '/vpc/'));
    expect(out.Unsuccessful).toEqual([]);
    const [flowLog] = (await t.ec2('DescribeFlowLogs', {})).FlowLogs;
    expect(flowLog).toMatchObject({
      LogDestinationType: 's3',
      LogDestination: 'arn:aws:s3:::central-flow-logs/vpc/',
      DestinationOptions: {
        FileFormat: 'plain-text',
        HiveCompatiblePartitions: false,
        PerHourPartition: false,
      },
    });
    expect(flowLog.LogGroupName).toBeUndefined();
    expect(flowLog.DeliverLogsPermissionArn).toBeUndefined();
    // the documented policy names the prefix: without it, the same bucket refuses
    const { vpcId: other } = await t.vpc(A, '10.41.0.0/16');
    expect((await t.ec2('CreateFlowLogs', s3Request(other, 'central-flow-logs'))).Unsuccessful).toHaveLength(
      1,
    );
  });

  test('a bucket that is missing or refuses log delivery answers in Unsuccessful with code 400', async () => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    await t.s3('CreateBucket', { Bucket: 'no-policy-bucket' });
    const refused = await t.ec2('CreateFlowLogs', s3Request(vpcId, 'no-policy-bucket'));
    expect(refused.Unsuccessful).toEqual([
      {
        ResourceId: vpcId,
        Error: {
          Code: '400',
          Message:
            'Access Denied for LogDestination: no-policy-bucket. Please check LogDestination permission.',
        },
      },
    ]);
    const missing = await t.ec2('CreateFlowLogs', s3Request(vpcId, 'no-such-bucket-here'));
    expect(missing.Unsuccessful[0].Error).toEqual({
      Code: '400',
      Message: 'LogDestination: no-such-bucket-here does not exist.',
    });
    // a policy for another source account does not let this account's flow logs in
    await t.flowLogBucket('someone-elses-logs', B, B);
    expect((await t.ec2('CreateFlowLogs', s3Request(vpcId, 'someone-elses-logs'))).Unsuccessful).toHaveLength(
      1,
    );
  });

  test('publishing to S3 needs logs:CreateLogDelivery, deleting it logs:DeleteLogDelivery', async () => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    await t.flowLogBucket('team-flow-logs', A, A);
    const ec2Only = await t.role(A, 'ec2-only', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
    expect((await t.ec2Error('CreateFlowLogs', s3Request(vpcId, 'team-flow-logs'), ec2Only)).code).toBe(
      'UnauthorizedOperation',
    );
    const logDelivery = await t.role(
      A,
      'log-delivery',
      { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
      { Effect: 'Allow', Action: 'logs:CreateLogDelivery', Resource: '*' },
    );
    const { FlowLogIds } = await t.ec2('CreateFlowLogs', s3Request(vpcId, 'team-flow-logs'), logDelivery);
    expect((await t.ec2Error('DeleteFlowLogs', { FlowLogIds }, logDelivery)).code).toBe(
      'UnauthorizedOperation',
    );
  });

  test.each([
    [{ LogDestination: 'arn:aws:s3:::bucket-x/AWSLogs/' }, /AWSLogs/],
    [{ DeliverLogsPermissionArn: `arn:aws:iam::${A}:role/x` }, /not applicable for s3/],
    [{ LogGroupName: 'g' }, /must be cloud-watch-logs/],
    [{ DestinationOptions: { FileFormat: 'parquet' } }, /does not emulate/],
  ])('a malformed S3 request (%o) fails as a whole', async (change, message) => {
    const t = flowLogFixture();
    const { vpcId } = await t.vpc();
    const error = await t.ec2Error('CreateFlowLogs', { ...s3Request(vpcId, 'bucket-x'), ...change });
    expect(error.message).toMatch(message);
  });
});

describe('DeleteFlowLogs', () => {
  test('removes the flow log; an unknown id answers in Unsuccessful', async () => {
    const t = flowLogFixture();
    const { out } = await cwlFlowLog(t);
    const deleted = await t.ec2('DeleteFlowLogs', {
      FlowLogIds: [...out.FlowLogIds, 'fl-00000000000000000'],
    });
    expect(deleted.Unsuccessful).toEqual([
      {
        ResourceId: 'fl-00000000000000000',
        Error: expect.objectContaining({ Code: 'InvalidFlowLogId.NotFound' }),
      },
    ]);
    expect((await t.ec2('DescribeFlowLogs', {})).FlowLogs).toEqual([]);
  });

  test('CreateTags and DeleteTags work on a flow log', async () => {
    const t = flowLogFixture();
    const { out } = await cwlFlowLog(t);
    const id = out.FlowLogIds[0];
    await t.ec2('CreateTags', { Resources: [id], Tags: [{ Key: 'env', Value: 'prod' }] });
    const { Tags } = await t.ec2('DescribeTags', { Filters: [{ Name: 'resource-id', Values: [id] }] });
    expect(Tags).toEqual([{ ResourceId: id, ResourceType: 'vpc-flow-log', Key: 'env', Value: 'prod' }]);
  });
});
