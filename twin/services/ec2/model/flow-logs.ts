/**
 * VPC Flow Logs (EC2 API Reference, CreateFlowLogs / DescribeFlowLogs /
 * DeleteFlowLogs; VPC User Guide, "Logging IP traffic using VPC Flow
 * Logs"). A flow log watches a VPC, a subnet or one network interface and
 * publishes records to a CloudWatch Logs group (through a role that
 * vpc-flow-logs.amazonaws.com assumes) or to an S3 bucket (written by
 * delivery.logs.amazonaws.com under the bucket's policy). Checks of the
 * request that concern one resource answer in `Unsuccessful`, as AWS
 * does; malformed parameters fail the whole call.
 */
import { AwsError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/principal.ts';
import { startFlowLogDelivery } from '../../../network/flow-log-delivery.ts';
import { authorizeOnBucket, findBucket } from '../../s3/lookups.ts';
import { type Ec2ResourceKind, notFoundError } from '../errors.ts';
import { type LogFormat, parseLogFormat } from './flow-logs-format.ts';
import type { Ec2Model } from './index.ts';
import type { Tags } from './state.ts';

export type FlowLogResourceType = 'VPC' | 'Subnet' | 'NetworkInterface';
export type TrafficType = 'ACCEPT' | 'REJECT' | 'ALL';

export type FlowLogDestination =
  | { type: 'cloud-watch-logs'; logGroupName: string; arn: string }
  | { type: 's3'; bucket: string; prefix: string; arn: string };

export interface FlowLogState {
  id: string;
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: FlowLogResourceType;
  trafficType: TrafficType;
  destination: FlowLogDestination;
  deliverLogsPermissionArn?: string;
  format: LogFormat;
  /** Seconds: 60 or 600. */
  maxAggregationInterval: 60 | 600;
  creationTime: number;
  clientToken?: string;
  tags: Tags;
  delivery: FlowLogDeliveryStatus;
  /** Set by DeleteFlowLogs: a pending delivery sees it and stops. */
  deleted?: boolean;
}

export interface FlowLogDeliveryStatus {
  status: 'SUCCESS' | 'FAILED';
  /** DeliverLogsErrorMessage, in AWS's words ("Access error", "Unknown error"). */
  errorMessage?: string;
  /** Why, in the twin's words, for `GET /_twin/state` readers and tests; AWS does not show it. */
  because?: string;
  /** Twin-clock ms of the last window end delivered (the next tick is one window later). */
  capturedUntil: number;
  /** Traffic-log position before which every record has been taken. */
  cursor: number;
  /** Records past the cursor taken up to a time (exclusive), or wholly (Infinity). */
  partial: Record<number, number>;
}

export const VPC_FLOW_LOGS = 'vpc-flow-logs.amazonaws.com';
export const LOG_DELIVERY = 'delivery.logs.amazonaws.com';

/** The log delivery service writing to S3 for a flow log of `accountId`. */
export function logDeliveryPrincipal(accountId: string): Principal {
  return { kind: 'service', accountId, arn: LOG_DELIVERY, userId: LOG_DELIVERY, service: LOG_DELIVERY };
}

/**
 * The aws:SourceArn the log delivery service sends. The VPC User Guide's
 * bucket policy ("Amazon S3 bucket policy for flow logs") matches it with
 * `ArnLike arn:aws:logs:<region>:<account>:*`; the twin sends that
 * pattern's own value, so policies written as documented behave as in AWS.
 */
export function deliverySourceArn(flowLog: Pick<FlowLogState, 'accountId' | 'region'>): string {
  return `arn:aws:logs:${flowLog.region}:${flowLog.accountId}:*`;
}

export interface CreateFlowLogsSpec {
  resourceIds: string[];
  resourceType: string | undefined;
  trafficType: string | undefined;
  logDestinationType: string | undefined;
  logDestination: string | undefined;
  logGroupName: string | undefined;
  deliverLogsPermissionArn: string | undefined;
  deliverCrossAccountRole: string | undefined;
  logFormat: string | undefined;
  maxAggregationInterval: number | undefined;
  destinationOptions?: {
    FileFormat?: string;
    HiveCompatiblePartitions?: boolean;
    PerHourPartition?: boolean;
  };
  clientToken?: string | undefined;
  tags: Tags;
}

export interface Unsuccessful {
  resourceId: string;
  code: string;
  message: string;
}

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameter', message);
}

function notServed(what: string): AwsError {
  return new AwsError('InvalidParameterValue', `The twin does not emulate ${what}.`);
}

const RESOURCE_KINDS: Record<
  FlowLogResourceType,
  { map: 'vpcs' | 'subnets' | 'networkInterfaces'; kind: Ec2ResourceKind }
> = {
  VPC: { map: 'vpcs', kind: 'vpc' },
  Subnet: { map: 'subnets', kind: 'subnet' },
  NetworkInterface: { map: 'networkInterfaces', kind: 'networkInterface' },
};

function checkResourceType(type: string | undefined): FlowLogResourceType {
  if (type === 'VPC' || type === 'Subnet' || type === 'NetworkInterface') return type;
  if (type === 'TransitGateway' || type === 'TransitGatewayAttachment' || type === 'RegionalNatGateway')
    throw notServed(`flow logs for resource type ${type}`);
  if (!type) throw new AwsError('MissingParameter', 'The request must contain the parameter ResourceType');
  throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter ResourceType is invalid.`);
}

/** TrafficType is required for VPC, subnet and ENI flow logs (API_CreateFlowLogs, "TrafficType"). */
function checkTrafficType(type: string | undefined): TrafficType {
  if (type === 'ACCEPT' || type === 'REJECT' || type === 'ALL') return type;
  if (!type) throw new AwsError('MissingParameter', 'The request must contain the parameter TrafficType');
  throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter TrafficType is invalid.`);
}

/** 60 or 600 seconds, default 600 (API_CreateFlowLogs, "MaxAggregationInterval"). */
function checkInterval(value: number | undefined): 60 | 600 {
  if (value === undefined) return 600;
  if (value === 60 || value === 600) return value;
  throw invalid('Invalid Flow Log Max Aggregation Interval');
}

const GROUP_ARN = /^arn:aws[\w-]*:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+)(:\*)?$/;
const BUCKET_ARN = /^arn:aws[\w-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(\/.*)?$/;

/** A log group named by LogGroupName or by its ARN in LogDestination, never both. */
function cloudWatchDestination(model: Ec2Model, spec: CreateFlowLogsSpec): FlowLogDestination {
  if (spec.logGroupName && spec.logDestination)
    throw invalid('Please only provide LogGroupName or only provide LogDestination.');
  if (!spec.deliverLogsPermissionArn)
    throw invalid("DeliverLogsPermissionArn can't be empty if LogDestinationType is cloud-watch-logs.");
  let name = spec.logGroupName;
  if (spec.logDestination) {
    const m = GROUP_ARN.exec(spec.logDestination);
    if (!m)
      throw invalid(`LogDestination: ${spec.logDestination} is not a valid CloudWatch Logs log group ARN.`);
    if (m[1] !== model.region || m[2] !== model.accountId)
      throw notServed('flow logs to a log group of another account or Region');
    name = m[3];
  }
  if (!name) throw invalid("LogDestination can't be empty if LogGroupName is not provided.");
  return {
    type: 'cloud-watch-logs',
    logGroupName: name,
    arn: `arn:aws:logs:${model.region}:${model.accountId}:log-group:${name}`,
  };
}

/** `arn:aws:s3:::bucket[/prefix/]`; "you can't use AWSLogs as a subfolder name" (API_CreateFlowLogs, "LogDestination"). */
function s3Destination(spec: CreateFlowLogsSpec): FlowLogDestination {
  if (spec.logGroupName)
    throw invalid('LogDestination type must be cloud-watch-logs if LogGroupName is provided.');
  if (spec.deliverLogsPermissionArn)
    throw invalid('DeliverLogsPermissionArn is not applicable for s3 delivery');
  if (!spec.logDestination) throw invalid("LogDestination can't be empty if LogDestinationType is s3.");
  const m = BUCKET_ARN.exec(spec.logDestination);
  if (!m) throw invalid(`LogDestination: ${spec.logDestination} is not a valid S3 bucket ARN.`);
  const segments = (m[2] ?? '').split('/').filter(Boolean);
  if (segments.includes('AWSLogs'))
    throw invalid("LogDestination: you can't use AWSLogs as a subfolder name.");
  const options = spec.destinationOptions;
  if (options?.FileFormat && options.FileFormat !== 'plain-text')
    throw notServed(`${options.FileFormat} flow log files`);
  if (options?.HiveCompatiblePartitions) throw notServed('Hive-compatible S3 prefixes');
  if (options?.PerHourPartition) throw notServed('per-hour S3 partitions');
  return { type: 's3', bucket: m[1]!, prefix: segments.join('/'), arn: spec.logDestination };
}

/** Checks every parameter that does not depend on one resource; throws the whole call's error. */
export function checkFlowLogsRequest(
  model: Ec2Model,
  spec: CreateFlowLogsSpec,
): {
  resourceType: FlowLogResourceType;
  trafficType: TrafficType;
  destination: FlowLogDestination;
  format: LogFormat;
  interval: 60 | 600;
} {
  const resourceType = checkResourceType(spec.resourceType);
  if (!spec.resourceIds.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter ResourceIds');
  if (spec.resourceIds.length > 1000) throw invalid('ResourceIds can contain at most 1000 resource ids.');
  const trafficType = checkTrafficType(spec.trafficType);
  if (spec.deliverCrossAccountRole) throw notServed('DeliverCrossAccountRole (Firehose delivery)');
  const type = spec.logDestinationType ?? 'cloud-watch-logs';
  let destination: FlowLogDestination;
  if (type === 'cloud-watch-logs') destination = cloudWatchDestination(model, spec);
  else if (type === 's3') destination = s3Destination(spec);
  else if (type === 'kinesis-data-firehose') throw notServed('flow logs to Amazon Data Firehose');
  else
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${type}) for parameter LogDestinationType is invalid.`,
    );
  if (type !== 's3' && spec.destinationOptions)
    throw invalid('DestinationOptions is only supported for s3 delivery.');
  return {
    resourceType,
    trafficType,
    destination,
    format: parseLogFormat(spec.logFormat),
    interval: checkInterval(spec.maxAggregationInterval),
  };
}

/**
 * Whether the log delivery service may write to the bucket, as CreateFlowLogs
 * checks it: s3:GetBucketAcl on the bucket and s3:PutObject under
 * `AWSLogs/<account>/` with bucket-owner-full-control (VPC User Guide,
 * "Amazon S3 bucket policy for flow logs"). AWS reports a missing bucket
 * or a refusing policy in Unsuccessful with code 400.
 */
export function s3DestinationProblem(
  model: Ec2Model,
  destination: Extract<FlowLogDestination, { type: 's3' }>,
): string | undefined {
  const bucket = findBucket(model.twin, destination.bucket);
  if (!bucket) return `LogDestination: ${destination.bucket} does not exist.`;
  const principal = logDeliveryPrincipal(model.accountId);
  const context = {
    'aws:SourceAccount': model.accountId,
    'aws:SourceArn': deliverySourceArn(model),
  };
  const prefix = destination.prefix ? `${destination.prefix}/` : '';
  try {
    authorizeOnBucket(model.twin, principal, bucket, 's3:GetBucketAcl', { context });
    authorizeOnBucket(model.twin, principal, bucket, 's3:PutObject', {
      key: `${prefix}AWSLogs/${model.accountId}/vpcflowlogs/${model.region}/check.log.gz`,
      context: { ...context, 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
  } catch (error) {
    if (error instanceof AwsError && error.code === 'AccessDenied')
      return `Access Denied for LogDestination: ${destination.bucket}. Please check LogDestination permission.`;
    throw error;
  }
  return undefined;
}

function sameDestination(a: FlowLogDestination, b: FlowLogDestination): boolean {
  return a.type === b.type && a.arn.replace(/\/$/, '') === b.arn.replace(/\/$/, '');
}

/** The per-resource checks: the resource exists, no flow log of it goes to the same destination already. */
function resourceProblem(
  model: Ec2Model,
  resourceType: FlowLogResourceType,
  id: string,
  destination: FlowLogDestination,
): Unsuccessful | undefined {
  const { map, kind } = RESOURCE_KINDS[resourceType];
  if (!model[map].has(id)) {
    const error = notFoundError(kind, id);
    return { resourceId: id, code: error.code, message: error.message };
  }
  const duplicate = [...model.flowLogs.values()].some(
    (f) => f.resourceId === id && sameDestination(f.destination, destination),
  );
  if (duplicate)
    return {
      resourceId: id,
      code: 'FlowLogAlreadyExists',
      message: 'Error. There is an existing Flow Log with the same configuration and log destination.',
    };
  return undefined;
}

/**
 * Creates one flow log per resource that passes its checks. The caller
 * has already been authorized (iam:PassRole on the delivery role).
 */
export function createFlowLogs(
  model: Ec2Model,
  spec: CreateFlowLogsSpec,
  now: number,
): { created: FlowLogState[]; unsuccessful: Unsuccessful[] } {
  const checked = checkFlowLogsRequest(model, spec);
  if (spec.clientToken) {
    const earlier = [...model.flowLogs.values()].filter((f) => f.clientToken === spec.clientToken);
    if (earlier.length) return { created: earlier, unsuccessful: [] };
  }
  const bucketProblem =
    checked.destination.type === 's3' ? s3DestinationProblem(model, checked.destination) : undefined;
  const created: FlowLogState[] = [];
  const unsuccessful: Unsuccessful[] = [];
  for (const resourceId of spec.resourceIds) {
    const problem =
      resourceProblem(model, checked.resourceType, resourceId, checked.destination) ??
      (bucketProblem ? { resourceId, code: '400', message: bucketProblem } : undefined);
    if (problem) {
      unsuccessful.push(problem);
      continue;
    }
    const flowLog: FlowLogState = {
      id: model.newId('fl'),
      accountId: model.accountId,
      region: model.region,
      resourceId,
      resourceType: checked.resourceType,
      trafficType: checked.trafficType,
      destination: checked.destination,
      ...(spec.deliverLogsPermissionArn && { deliverLogsPermissionArn: spec.deliverLogsPermissionArn }),
      format: checked.format,
      maxAggregationInterval: checked.interval,
      creationTime: now,
      ...(spec.clientToken && { clientToken: spec.clientToken }),
      tags: { ...spec.tags },
      delivery: { status: 'SUCCESS', capturedUntil: now, cursor: 0, partial: {} },
    };
    model.flowLogs.set(flowLog.id, flowLog);
    startFlowLogDelivery(model, flowLog);
    created.push(flowLog);
  }
  return { created, unsuccessful };
}

/** DeleteFlowLogs: unknown ids answer in Unsuccessful; the others stop delivering at once. */
export function deleteFlowLogs(model: Ec2Model, ids: readonly string[]): Unsuccessful[] {
  if (!ids.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter FlowLogIds');
  const unsuccessful: Unsuccessful[] = [];
  for (const id of ids) {
    const flowLog = model.flowLogs.get(id);
    if (!flowLog) {
      unsuccessful.push({
        resourceId: id,
        code: 'InvalidFlowLogId.NotFound',
        message: `These flow log ids in the input list are not found: [TotalCount: 1] ${id}`,
      });
      continue;
    }
    flowLog.deleted = true;
    model.flowLogs.delete(id);
  }
  return unsuccessful;
}
