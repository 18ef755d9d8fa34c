import type {
  CreateLogGroupRequest,
  DeleteLogGroupRequest,
  DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest,
  DescribeLogGroupsResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTagsLogGroupRequest,
  ListTagsLogGroupResponse,
  LogGroup,
  PutRetentionPolicyRequest,
  TagLogGroupRequest,
  TagResourceRequest,
  UntagLogGroupRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../../../core/service.ts';
import {
  clearRetention,
  createLogGroup,
  deleteLogGroup,
  getGroup,
  groupByArn,
  listGroups,
  setRetention,
} from '../model/groups.ts';
import type { LogGroupState, LogsModel } from '../model/index.ts';
import { paginate } from '../model/paging.ts';

/** A group as DescribeLogGroups shows it; `arn` carries the trailing `:*`, `logGroupArn` does not. */
export function renderGroup(model: LogsModel, g: LogGroupState): LogGroup {
  const storedBytes = [...g.streams.values()].reduce(
    (n, s) => n + s.events.reduce((m, e) => m + Buffer.byteLength(e.message), 0),
    0,
  );
  return {
    logGroupName: g.name,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined && { retentionInDays: g.retentionInDays }),
    metricFilterCount: 0,
    arn: `${model.groupArn(g.name)}:*`,
    storedBytes,
    ...(g.kmsKeyId && { kmsKeyId: g.kmsKeyId }),
    logGroupClass: g.logGroupClass,
    logGroupArn: model.groupArn(g.name),
  };
}

export const groupHandlers: Record<string, Handler<LogsModel>> = {
  CreateLogGroup(model, input: CreateLogGroupRequest): object {
    createLogGroup(model, {
      name: input.logGroupName ?? '',
      kmsKeyId: input.kmsKeyId,
      tags: input.tags,
      logGroupClass: input.logGroupClass,
    });
    return {};
  },

  DeleteLogGroup(model, input: DeleteLogGroupRequest): object {
    deleteLogGroup(model, input.logGroupName);
    return {};
  },

  DescribeLogGroups(model, input: DescribeLogGroupsRequest): DescribeLogGroupsResponse {
    const groups = input.logGroupIdentifiers?.length
      ? listGroups(model, {}).filter((g) =>
          input.logGroupIdentifiers!.some((id) => id === g.name || id === model.groupArn(g.name)),
        )
      : listGroups(model, { prefix: input.logGroupNamePrefix, pattern: input.logGroupNamePattern });
    const { page, nextToken } = paginate(groups, input, 50);
    return { logGroups: page.map((g) => renderGroup(model, g)), ...(nextToken && { nextToken }) };
  },

  PutRetentionPolicy(model, input: PutRetentionPolicyRequest): object {
    setRetention(model, input.logGroupName, input.retentionInDays);
    return {};
  },

  DeleteRetentionPolicy(model, input: DeleteRetentionPolicyRequest): object {
    clearRetention(model, input.logGroupName);
    return {};
  },

  TagResource(model, input: TagResourceRequest): object {
    Object.assign(groupByArn(model, input.resourceArn).tags, input.tags ?? {});
    return {};
  },

  UntagResource(model, input: UntagResourceRequest): object {
    const group = groupByArn(model, input.resourceArn);
    for (const key of input.tagKeys ?? []) delete group.tags[key];
    return {};
  },

  ListTagsForResource(model, input: ListTagsForResourceRequest): ListTagsForResourceResponse {
    return { tags: { ...groupByArn(model, input.resourceArn).tags } };
  },

  // The older tagging operations by group name, which the AWS CLI 2.9 still offers.
  TagLogGroup(model, input: TagLogGroupRequest): object {
    Object.assign(getGroup(model, input.logGroupName).tags, input.tags ?? {});
    return {};
  },

  UntagLogGroup(model, input: UntagLogGroupRequest): object {
    const group = getGroup(model, input.logGroupName);
    for (const key of input.tags ?? []) delete group.tags[key];
    return {};
  },

  ListTagsLogGroup(model, input: ListTagsLogGroupRequest): ListTagsLogGroupResponse {
    return { tags: { ...getGroup(model, input.logGroupName).tags } };
  },
};
