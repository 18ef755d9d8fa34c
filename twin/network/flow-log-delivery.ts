/**
 * A flow log delivers on the twin's scheduler: the records of a window go
 * out `flowLogDeliveryMs` after it closes ("the flow logs service
 * typically delivers logs to CloudWatch Logs in about 5 minutes", VPC
 * User Guide, "Flow log records"):
 * - to CloudWatch Logs, one event per record timestamped at its start, in
 *   the stream `<eni-id>-all` of the flow log's group, written by a session
 *   of the delivery role. vpc-flow-logs.amazonaws.com must be trusted by
 *   the role; the role needs logs:CreateLogGroup when the group is missing
 *   ("a new or existing" group, API_CreateFlowLogs), logs:DescribeLogStreams,
 *   logs:CreateLogStream and logs:PutLogEvents (VPC User Guide, "IAM role
 *   for publishing flow logs to CloudWatch Logs");
 * - to S3, one gzip text file with a header line of field names, as
 *   `[prefix/]AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/<account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`
 *   (VPC User Guide, "Flow log files"), written by
 *   delivery.logs.amazonaws.com through S3's own checks: s3:GetBucketAcl,
 *   then s3:PutObject with bucket-owner-full-control, aws:SourceAccount and
 *   aws:SourceArn ("Amazon S3 bucket policy for flow logs").
 * A refused delivery sets DeliverLogsStatus FAILED with AWS's
 * DeliverLogsErrorMessage ("Access error" when the role or the
 * destination refuses, "Unknown error" otherwise; API_FlowLog) and the
 * next window is tried again; the refused records are lost. DeleteFlowLogs
 * stops delivery.
 */
import { gzipSync } from 'fflate';
import { AwsError } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import { decide } from '../iam/authorize.ts';
import { deliveryRoleSession } from '../services/cloudtrail/model/destinations.ts';
import {
  deliverySourceArn,
  type FlowLogState,
  logDeliveryPrincipal,
  VPC_FLOW_LOGS,
} from '../services/ec2/model/flow-logs.ts';
import type { Ec2Model } from '../services/ec2/model/index.ts';
import { findRole } from '../services/iam/lookups.ts';
import { deliverLogEvents } from '../services/logs/lookups.ts';
import { authorizeOnBucket, findBucket, putObjectAs } from '../services/s3/lookups.ts';
import { delay } from '../state/profile.ts';
import type { Twin } from '../twin.ts';
import { type FlowRecord, flowRecords, formatRecord, headerLine, takePackets } from './flow-log-records.ts';
import { trafficOf } from './traffic-log.ts';

/** Why a delivery failed: AWS's words for DeliverLogsErrorMessage, and the twin's own. */
class DeliveryRefused extends Error {
  constructor(
    readonly awsMessage: 'Access error' | 'Unknown error',
    because: string,
  ) {
    super(because);
  }
}

export function flowLogArn(f: Pick<FlowLogState, 'region' | 'accountId' | 'id'>): string {
  return `arn:aws:ec2:${f.region}:${f.accountId}:vpc-flow-log/${f.id}`;
}

/** The aggregation window: the flow log's interval, at most the profile's (Nitro) capture window. */
export function windowMs(twin: Twin, flowLog: FlowLogState): number {
  return Math.max(
    1,
    Math.min(flowLog.maxAggregationInterval * 1000, delay(twin.profile, 'flowLogCaptureMs')),
  );
}

function serviceFacts(twin: Twin, region: string) {
  return { region, time: twin.clock.now(), sourceIp: VPC_FLOW_LOGS, secureTransport: true };
}

/** The session vpc-flow-logs.amazonaws.com holds of the delivery role, if the role trusts it. */
function roleSession(twin: Twin, flowLog: FlowLogState): Principal {
  const roleArn = flowLog.deliverLogsPermissionArn ?? '';
  const role = findRole(twin, roleArn);
  if (!role) throw new DeliveryRefused('Access error', `role ${roleArn} does not exist`);
  // iam:PassRole passes roles of the caller's own account only (IAM User Guide, "Grant a user
  // permissions to pass a role to an AWS service"); another account's role cannot deliver.
  if (role.accountId !== flowLog.accountId)
    throw new DeliveryRefused('Access error', `role ${roleArn} belongs to another account`);
  const service: Principal = {
    kind: 'service',
    accountId: flowLog.accountId,
    arn: VPC_FLOW_LOGS,
    userId: VPC_FLOW_LOGS,
    service: VPC_FLOW_LOGS,
  };
  const trust = decide(
    twin,
    service,
    {
      action: 'sts:AssumeRole',
      resource: role.roleArn,
      resourcePolicy: role.trustPolicy,
      resourceAccount: role.accountId,
      resourcePolicyRequired: true,
      context: { 'aws:SourceAccount': flowLog.accountId, 'aws:SourceArn': flowLogArn(flowLog) },
    },
    serviceFacts(twin, flowLog.region),
  );
  if (!trust.allowed)
    throw new DeliveryRefused('Access error', `${VPC_FLOW_LOGS} may not assume ${roleArn}: ${trust.because}`);
  return deliveryRoleSession(twin, role.roleArn, 'vpc-flow-logs')!;
}

function toLogs(model: Ec2Model, flowLog: FlowLogState, records: FlowRecord[]): void {
  const twin = model.twin;
  if (flowLog.destination.type !== 'cloud-watch-logs') return;
  const group = flowLog.destination;
  const session = roleSession(twin, flowLog);
  const describe = decide(
    twin,
    session,
    { action: 'logs:DescribeLogStreams', resource: `${group.arn}:*` },
    serviceFacts(twin, flowLog.region),
  );
  if (!describe.allowed)
    throw new DeliveryRefused(
      'Access error',
      `${session.arn} may not logs:DescribeLogStreams: ${describe.because}`,
    );
  const byStream = new Map<string, FlowRecord[]>();
  for (const r of records) byStream.set(`${r.eni.id}-all`, [...(byStream.get(`${r.eni.id}-all`) ?? []), r]);
  for (const [stream, list] of byStream) {
    const result = deliverLogEvents(
      twin,
      {
        accountId: flowLog.accountId,
        region: flowLog.region,
        logGroupName: group.logGroupName,
        logStreamName: stream,
        createGroup: true,
        principal: session,
      },
      list.map((r) => ({ timestamp: r.first, message: formatRecord(model, flowLog, r) })),
    );
    if (!result.delivered) throw new DeliveryRefused('Access error', result.because);
  }
}

function stamp(ms: number): { day: string; minute: string } {
  const iso = new Date(ms).toISOString();
  return { day: iso.slice(0, 10).replaceAll('-', '/'), minute: `${iso.slice(0, 16).replace(/[-:]/g, '')}Z` };
}

/** The S3 key of one log file delivered at `at`. */
export function logFileKey(twin: Twin, flowLog: FlowLogState, at: number): string {
  if (flowLog.destination.type !== 's3') throw new Error(`${flowLog.id} does not deliver to S3`);
  const { day, minute } = stamp(at);
  const prefix = flowLog.destination.prefix ? `${flowLog.destination.prefix}/` : '';
  const { accountId: account, region, id } = flowLog;
  const file = `${account}_vpcflowlogs_${region}_${id}_${minute}_${twin.ids.hex(8)}.log.gz`;
  return `${prefix}AWSLogs/${account}/vpcflowlogs/${region}/${day}/${file}`;
}

function toS3(model: Ec2Model, flowLog: FlowLogState, records: FlowRecord[]): void {
  const twin = model.twin;
  if (flowLog.destination.type !== 's3') return;
  const lines = [headerLine(flowLog), ...records.map((r) => formatRecord(model, flowLog, r))];
  const principal = logDeliveryPrincipal(flowLog.accountId);
  const source = { 'aws:SourceAccount': flowLog.accountId, 'aws:SourceArn': deliverySourceArn(flowLog) };
  try {
    const bucket = findBucket(twin, flowLog.destination.bucket);
    if (bucket) authorizeOnBucket(twin, principal, bucket, 's3:GetBucketAcl', { context: source });
    putObjectAs(twin, {
      bucket: flowLog.destination.bucket,
      key: logFileKey(twin, flowLog, twin.clock.now()),
      body: Buffer.from(gzipSync(new TextEncoder().encode(`${lines.join('\n')}\n`))),
      contentType: 'application/x-gzip',
      principal,
      sourceArn: source['aws:SourceArn'],
      sourceAccount: source['aws:SourceAccount'],
      acl: 'bucket-owner-full-control',
    });
  } catch (error) {
    if (error instanceof AwsError)
      throw new DeliveryRefused('Access error', `${error.code}: ${error.message}`);
    throw error;
  }
}

function deliver(model: Ec2Model, flowLog: FlowLogState, records: FlowRecord[]): void {
  const status = flowLog.delivery;
  try {
    if (flowLog.destination.type === 's3') toS3(model, flowLog, records);
    else toLogs(model, flowLog, records);
    status.status = 'SUCCESS';
    delete status.errorMessage;
    delete status.because;
  } catch (error) {
    status.status = 'FAILED';
    status.errorMessage = error instanceof DeliveryRefused ? error.awsMessage : 'Unknown error';
    status.because = error instanceof Error ? error.message : String(error);
  }
}

/** Delivers every window that closed `flowLogDeliveryMs` ago or earlier, then waits for the next. */
function tick(model: Ec2Model, flowLog: FlowLogState): void {
  if (flowLog.deleted || model.flowLogs.get(flowLog.id) !== flowLog) return;
  const twin = model.twin;
  const size = windowMs(twin, flowLog);
  const closed = Math.floor((twin.clock.now() - delay(twin.profile, 'flowLogDeliveryMs')) / size) * size;
  if (closed > flowLog.delivery.capturedUntil) {
    flowLog.delivery.capturedUntil = closed;
    const taken = takePackets(flowLog, trafficOf(twin), closed);
    const records = flowRecords(model, flowLog, taken, size);
    if (records.length) deliver(model, flowLog, records);
  }
  schedule(model, flowLog);
}

function schedule(model: Ec2Model, flowLog: FlowLogState): void {
  const twin = model.twin;
  const size = windowMs(twin, flowLog);
  const nextClose = (Math.floor(flowLog.delivery.capturedUntil / size) + 1) * size;
  twin.scheduler.at(nextClose + delay(twin.profile, 'flowLogDeliveryMs'), () => tick(model, flowLog));
}

/**
 * Starts a new flow log's deliveries: traffic from its creation on is
 * captured ("after you create a flow log, you won't see flow log data
 * until there is active traffic", VPC User Guide, "Flow log limitations").
 */
export function startFlowLogDelivery(model: Ec2Model, flowLog: FlowLogState): void {
  schedule(model, flowLog);
}
