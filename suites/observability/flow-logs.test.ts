import type { FlowLog } from '@aws-sdk/client-ec2';
import { describe } from 'vitest';
import { getBucketPolicy } from '../../helpers/data-protection.ts';
import { LabDeviationError } from '../../helpers/errors.ts';
import { attachEvidence } from '../../helpers/evidence.ts';
import { flowLogBucketRequests, wrongVerdicts } from '../../helpers/observability/bucket-policy.ts';
import {
  destinationOf,
  flowLogFor,
  listFlowLogs,
  normalisedFormat,
  s3Url,
} from '../../helpers/observability/flow-logs.ts';
import { getRolePolicies, roleRefuses, roleTrusts } from '../../helpers/observability/roles.ts';
import { eachRow } from '../setup/rows.ts';
import { seed } from '../setup/seeds.ts';
import { observabilityContext } from './context.ts';

/**
 * Observability, flow logs: each flow log targets name is on what it
 * watches, captures everything, with the intended interval and format, and
 * its destination lets the service deliver.
 */
const { lab, region, flowLogs } = observabilityContext();
type Row = (typeof flowLogs)[number];
const rows = eachRow(flowLogs, 'no flow logs in targets', (f) => f.row);
const seeds = {
  captures: seed(
    'peering',
    'Create VPC Flow Log in Account B: the filter set to All, accepted and rejected traffic',
  ),
  configured: seed('zeroTrust', 'Step 9 — Enable VPC Flow Logs for network monitoring'),
  delivers: seed(
    'peering',
    'Allow access from Account B via policy (delivery.logs, aws:SourceAccount, bucket-owner-full-control)',
  ),
};

/** The flow log targets mean, or a deviation naming what is there instead. */
async function getFlowLog(f: Row): Promise<FlowLog> {
  const found = await listFlowLogs(lab.clients(f.account), f.resourceId);
  const flowLog = flowLogFor(found, f);
  if (!flowLog)
    throw new LabDeviationError(
      `no flow log on ${f.resourceId} delivers to ${'logGroup' in f.destination ? `log group ${f.destination.logGroup}` : s3Url(f.destination.bucket, f.destination.prefix)}; ` +
        `it has ${found.length ? found.map((x) => `${x.FlowLogId} → ${destinationOf(x)}`).join(', ') : 'none'}`,
    );
  return flowLog;
}

describe.concurrent('O · Every flow log captures all traffic, as intended', { tags: ['config'] }, () => {
  rows(
    { id: 'O11', seed: seeds.captures },
    'flow log $row exists, is ACTIVE and captures ALL traffic',
    async (f, ctx) => {
      const flowLog = await getFlowLog(f);
      await attachEvidence(
        ctx.annotate,
        'config',
        `${flowLog.FlowLogId} ${flowLog.FlowLogStatus}, ${flowLog.TrafficType}`,
        flowLog,
      );
      ctx.expect(flowLog.FlowLogStatus, `${flowLog.FlowLogId} status`).toBe('ACTIVE');
      ctx.expect(flowLog.TrafficType, `${flowLog.FlowLogId} traffic type`).toBe('ALL');
    },
  );

  rows(
    { id: 'O12', seed: seeds.configured },
    'flow log $row aggregates and formats records as intended',
    async (f, ctx) => {
      const flowLog = await getFlowLog(f);
      await attachEvidence(
        ctx.annotate,
        'config',
        `${flowLog.MaxAggregationInterval ?? 600} s; ${normalisedFormat(flowLog.LogFormat)}`,
        flowLog,
      );
      // "MaxAggregationInterval … Default: 600" (API_CreateFlowLogs).
      ctx
        .expect(flowLog.MaxAggregationInterval ?? 600, `${flowLog.FlowLogId} maximum aggregation interval`)
        .toBe(f.maxAggregationInterval);
      ctx
        .expect(normalisedFormat(flowLog.LogFormat), `${flowLog.FlowLogId} record format`)
        .toBe(normalisedFormat(f.format));
    },
  );

  rows(
    { id: 'O13', seed: seeds.delivers },
    'flow log $row has a destination that lets the service deliver',
    async (f, ctx) => {
      const flowLog = await getFlowLog(f);
      const problems = 'logGroup' in f.destination ? await roleProblems(f, flowLog) : await bucketProblems(f);
      await attachEvidence(ctx.annotate, 'config', problems.join('; ') || 'the service may deliver', {
        flowLog,
        problems,
      });
      ctx
        .expect(problems, `${flowLog.FlowLogId} → ${destinationOf(flowLog)}: ${problems.join('; ')}`)
        .toEqual([]);
    },
  );
});

const VPC_FLOW_LOGS = 'vpc-flow-logs.amazonaws.com';

/**
 * The delivery role ("IAM role for publishing flow logs to CloudWatch
 * Logs", VPC User Guide): trusted by vpc-flow-logs.amazonaws.com for this
 * flow log (aws:SourceAccount, aws:SourceArn), and allowed to create
 * streams, put events and describe groups and streams on the group.
 */
async function roleProblems(f: Row, flowLog: FlowLog): Promise<string[]> {
  const d = f.destination as { logGroup: string; deliveryRole?: string };
  const roleArn = flowLog.DeliverLogsPermissionArn;
  if (!roleArn) return ['the flow log names no delivery role'];
  const problems: string[] = [];
  const intended = d.deliveryRole && lab.targets.ids.role[d.deliveryRole];
  if (intended && intended !== roleArn) problems.push(`delivers through ${roleArn}, not ${intended}`);
  const account = lab.accountId(f.account);
  const role = await getRolePolicies(lab.clients(f.account), roleArn);
  const trust = roleTrusts(role, VPC_FLOW_LOGS, {
    'aws:SourceAccount': account,
    'aws:SourceArn': `arn:aws:ec2:${region}:${account}:vpc-flow-log/${flowLog.FlowLogId}`,
  });
  if (!trust.allowed) problems.push(`${roleArn} does not let ${VPC_FLOW_LOGS} assume it: ${trust.because}`);
  const group = `arn:aws:logs:${region}:${account}:log-group:${d.logGroup}`;
  // One stream per network interface, `<eni-id>-all` ("Publish flow logs to CloudWatch Logs").
  const stream = `${group}:log-stream:eni-0123456789abcdef0-all`;
  const refused = roleRefuses(role, [
    ['logs:CreateLogStream', [stream]],
    ['logs:PutLogEvents', [stream]],
    // DescribeLogGroups names no resource type ("Actions, resources, and condition keys for Amazon CloudWatch Logs").
    ['logs:DescribeLogGroups', ['*']],
    ['logs:DescribeLogStreams', [group, `${group}:*`]],
  ]);
  if (refused.length) problems.push(`${roleArn} may not ${refused.join(', ')}`);
  return problems;
}

/** The central bucket, read with the clients of the account that owns it. */
async function bucketProblems(f: Row): Promise<string[]> {
  const d = f.destination as { bucket: string; account: string; prefix?: string };
  const policy = await getBucketPolicy(lab.clients(d.account), d.bucket);
  return wrongVerdicts(
    flowLogBucketRequests(policy, {
      bucket: d.bucket,
      prefix: d.prefix,
      bucketAccount: lab.accountId(d.account),
      account: lab.accountId(f.account),
      region,
    }),
  );
}
