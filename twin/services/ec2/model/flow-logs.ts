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
import type { LogFormat } from './flow-logs-format.ts';
import { type CreateFlowLogsSpec, checkFlowLogsRequest } from './flow-logs-request.ts';
import type { Ec2Model } from './index.ts';
import type { Tags } from './state.ts';

export type FlowLogResourceType = 'VPC' | 'Subnet' | 'NetworkInterface';
export type TrafficType = 'ACCEPT' | 'REJECT' | 'ALL';

export type FlowLogDestination =
  | { type: 'cloud-watch-logs'; logGroupName: string; arn: string }
  | { type: 's3'; bucket: string; prefix: string; arn: string };

export type { CreateFlowLogsSpec } from './flow-logs-request.ts';

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

export interface Unsuccessful {
  resourceId: string;
  code: string;
  message: string;
}

const RESOURCE_KINDS: Record<
  FlowLogResourceType,
  { map: 'vpcs' | 'subnets' | 'networkInterfaces'; kind: Ec2ResourceKind }
> = {
  VPC: { map: 'vpcs', kind: 'vpc' },
  Subnet: { map: 'subnets', kind: 'subnet' },
  NetworkInterface: { map: 'networkInterfaces', kind: 'networkInterface' },
};

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
