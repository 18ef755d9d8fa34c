/**
 * The checks CreateFlowLogs makes of the whole request (EC2 API Reference,
 * API_CreateFlowLogs): resource type, traffic type, destination and its
 * parameters, record format, aggregation interval. A malformed parameter
 * fails the call; the per-resource checks (flow-logs.ts) answer in
 * Unsuccessful instead.
 */
import { AwsError } from '../../../core/errors.ts';
import type { FlowLogDestination, FlowLogResourceType, TrafficType } from './flow-logs.ts';
import { type LogFormat, parseLogFormat } from './flow-logs-format.ts';
import type { Ec2Model } from './index.ts';
import type { Tags } from './state.ts';

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

function invalid(message: string): AwsError {
  return new AwsError('InvalidParameter', message);
}

function notServed(what: string): AwsError {
  return new AwsError('InvalidParameterValue', `The twin does not emulate ${what}.`);
}

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
