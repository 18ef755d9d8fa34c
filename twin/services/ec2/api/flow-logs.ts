import type {
  CreateFlowLogsRequest,
  CreateFlowLogsResult,
  DeleteFlowLogsRequest,
  DeleteFlowLogsResult,
  DescribeFlowLogsRequest,
  DescribeFlowLogsResult,
  FlowLog,
  LogDestinationType,
  TrafficType,
  UnsuccessfulItem,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import {
  createFlowLogs,
  deleteFlowLogs,
  type FlowLogState,
  type Unsuccessful,
  VPC_FLOW_LOGS,
} from '../model/flow-logs.ts';
import type { Ec2Model } from '../model/index.ts';
import { describe, renderTags, specTags, withDryRun } from './shared.ts';

export function renderFlowLog(f: FlowLogState): FlowLog {
  const d = f.destination;
  return {
    FlowLogId: f.id,
    CreationTime: new Date(f.creationTime),
    FlowLogStatus: 'ACTIVE',
    DeliverLogsStatus: f.delivery.status,
    ...(f.delivery.errorMessage && { DeliverLogsErrorMessage: f.delivery.errorMessage }),
    ...(f.deliverLogsPermissionArn && { DeliverLogsPermissionArn: f.deliverLogsPermissionArn }),
    ResourceId: f.resourceId,
    TrafficType: f.trafficType as TrafficType,
    LogDestinationType: d.type as LogDestinationType,
    LogDestination: d.arn,
    ...(d.type === 'cloud-watch-logs' && { LogGroupName: d.logGroupName }),
    ...(d.type === 's3' && {
      DestinationOptions: {
        FileFormat: 'plain-text',
        HiveCompatiblePartitions: false,
        PerHourPartition: false,
      },
    }),
    LogFormat: f.format.text,
    MaxAggregationInterval: f.maxAggregationInterval,
    Tags: renderTags(f.tags) ?? [],
  };
}

function renderUnsuccessful(items: Unsuccessful[]): UnsuccessfulItem[] {
  return items.map((u) => ({ ResourceId: u.resourceId, Error: { Code: u.code, Message: u.message } }));
}

export const flowLogHandlers = withDryRun({
  /**
   * Passing the delivery role needs iam:PassRole on it (VPC User Guide,
   * "IAM role for publishing flow logs to CloudWatch Logs": "Users must
   * also have permissions to use the iam:PassRole action"); a denial is
   * EC2's UnauthorizedOperation. Publishing to S3 needs
   * logs:CreateLogDelivery (VPC User Guide, "Publish flow logs to Amazon
   * S3", permissions for IAM principals that publish flow logs to S3).
   */
  CreateFlowLogs(model: Ec2Model, input: CreateFlowLogsRequest, ctx: RequestContext): CreateFlowLogsResult {
    if (input.DeliverLogsPermissionArn)
      ctx.authorize({
        action: 'iam:PassRole',
        resource: input.DeliverLogsPermissionArn,
        context: { 'iam:PassedToService': VPC_FLOW_LOGS },
      });
    if (input.LogDestinationType === 's3') ctx.authorize({ action: 'logs:CreateLogDelivery', resource: '*' });
    const { created, unsuccessful } = createFlowLogs(
      model,
      {
        resourceIds: input.ResourceIds ?? [],
        resourceType: input.ResourceType,
        trafficType: input.TrafficType,
        logDestinationType: input.LogDestinationType,
        logDestination: input.LogDestination,
        logGroupName: input.LogGroupName,
        deliverLogsPermissionArn: input.DeliverLogsPermissionArn,
        deliverCrossAccountRole: input.DeliverCrossAccountRole,
        logFormat: input.LogFormat,
        maxAggregationInterval: input.MaxAggregationInterval,
        ...(input.DestinationOptions && { destinationOptions: input.DestinationOptions }),
        clientToken: input.ClientToken,
        tags: specTags(input, 'vpc-flow-log'),
      },
      ctx.time,
    );
    return {
      FlowLogIds: created.map((f) => f.id),
      Unsuccessful: renderUnsuccessful(unsuccessful),
      ...(input.ClientToken && { ClientToken: input.ClientToken }),
    };
  },

  /** Unknown FlowLogIds select nothing (no NotFound error), like the `flow-log-id` filter. */
  DescribeFlowLogs(model: Ec2Model, input: DescribeFlowLogsRequest): DescribeFlowLogsResult {
    const wanted = input.FlowLogIds?.length ? new Set(input.FlowLogIds) : undefined;
    const items = [...model.flowLogs.values()].filter((f) => !wanted || wanted.has(f.id));
    const { page, nextToken } = describe(
      items,
      { Filters: input.Filter, MaxResults: input.MaxResults, NextToken: input.NextToken },
      {
        idOf: (f) => f.id,
        missing: () => {
          throw new Error('unreachable: ids are filtered above');
        },
        accessors: {
          'deliver-log-status': (f) => f.delivery.status,
          'log-destination-type': (f) => f.destination.type,
          'flow-log-id': (f) => f.id,
          'log-group-name': (f) =>
            f.destination.type === 'cloud-watch-logs' ? f.destination.logGroupName : undefined,
          'resource-id': (f) => f.resourceId,
          'traffic-type': (f) => f.trafficType,
        },
      },
    );
    return { FlowLogs: page.map(renderFlowLog), ...(nextToken && { NextToken: nextToken }) };
  },

  /** Deleting an S3 flow log needs logs:DeleteLogDelivery (VPC User Guide, "Publish flow logs to Amazon S3"). */
  DeleteFlowLogs(model: Ec2Model, input: DeleteFlowLogsRequest, ctx: RequestContext): DeleteFlowLogsResult {
    const ids = input.FlowLogIds ?? [];
    if (ids.some((id) => model.flowLogs.get(id)?.destination.type === 's3'))
      ctx.authorize({ action: 'logs:DeleteLogDelivery', resource: '*' });
    return { Unsuccessful: renderUnsuccessful(deleteFlowLogs(model, ids)) };
  },
});
