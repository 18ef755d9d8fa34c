import type {
  DescribeInstanceInformationRequest,
  DescribeInstanceInformationResult,
} from '@aws-sdk/client-ssm';
import type { Handler } from '../../../core/service.ts';
import type { SsmModel } from '../model/index.ts';
import { describeInstances } from '../model/instances.ts';
import { paginate } from '../model/paging.ts';

export const instanceHandlers: Record<string, Handler<SsmModel>> = {
  DescribeInstanceInformation(
    model,
    input: DescribeInstanceInformationRequest,
    ctx,
  ): DescribeInstanceInformationResult {
    const all = describeInstances(model, input, ctx.time);
    // MaxResults: 5–50, "The default value is 10 items" (DescribeInstanceInformation API reference).
    const { page, NextToken } = paginate(all, input, { min: 5, max: 50, fallback: 10 });
    return { InstanceInformationList: page, ...(NextToken && { NextToken }) };
  },
};
