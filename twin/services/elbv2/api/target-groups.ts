import type {
  CreateTargetGroupInput,
  CreateTargetGroupOutput,
  DeleteTargetGroupInput,
  DeregisterTargetsInput,
  DescribeTargetGroupAttributesInput,
  DescribeTargetGroupAttributesOutput,
  DescribeTargetGroupsInput,
  DescribeTargetGroupsOutput,
  DescribeTargetHealthInput,
  DescribeTargetHealthOutput,
  ModifyTargetGroupAttributesInput,
  ModifyTargetGroupAttributesOutput,
  ModifyTargetGroupInput,
  ModifyTargetGroupOutput,
  RegisterTargetsInput,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import {
  healthCheckPort,
  loadBalancersUsing,
  sweepDrained,
  targetHealth,
} from '../../../network/target-health.ts';
import { targetGroupNotFound, validationError } from '../errors.ts';
import type { Elbv2Model, TargetGroupState } from '../model/index.ts';
import {
  checkTargetGroupName,
  createTargetGroup,
  deregisterTargets,
  refuseDisabledChecks,
  registerTargets,
  setTargetGroupAttributes,
  targetKey,
} from '../model/target-groups.ts';
import { loadBalancerOf } from './load-balancers.ts';
import { authorizeTagging, page, tagsOf } from './shared.ts';

export function renderTargetGroup(ctx: RequestContext, group: TargetGroupState): TargetGroup {
  const hc = group.healthCheck;
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    ...(hc.path && { HealthCheckPath: hc.path }),
    ...(hc.matcher && { Matcher: { HttpCode: hc.matcher } }),
    LoadBalancerArns: loadBalancersUsing(ctx.twin, group).map((lb) => lb.arn),
    TargetType: group.targetType,
    IpAddressType: 'ipv4',
  };
}

export function targetGroupOf(model: Elbv2Model, arn: string | undefined): TargetGroupState {
  const group = model.targetGroups.get(arn ?? '');
  if (!group) throw targetGroupNotFound();
  return group;
}

function healthCheckInput(input: CreateTargetGroupInput | ModifyTargetGroupInput) {
  return {
    ...(input.HealthCheckProtocol && { protocol: input.HealthCheckProtocol }),
    ...(input.HealthCheckPort && { port: input.HealthCheckPort }),
    ...(input.HealthCheckEnabled !== undefined && { enabled: input.HealthCheckEnabled }),
    ...(input.HealthCheckPath && { path: input.HealthCheckPath }),
    ...(input.HealthCheckIntervalSeconds !== undefined && {
      intervalSeconds: input.HealthCheckIntervalSeconds,
    }),
    ...(input.HealthCheckTimeoutSeconds !== undefined && { timeoutSeconds: input.HealthCheckTimeoutSeconds }),
    ...(input.HealthyThresholdCount !== undefined && { healthyThreshold: input.HealthyThresholdCount }),
    ...(input.UnhealthyThresholdCount !== undefined && { unhealthyThreshold: input.UnhealthyThresholdCount }),
    ...(input.Matcher?.HttpCode && { matcher: input.Matcher.HttpCode }),
  };
}

export const targetGroupHandlers: Record<string, Handler<Elbv2Model>> = {
  CreateTargetGroup(model, input: CreateTargetGroupInput, ctx): CreateTargetGroupOutput {
    const name = checkTargetGroupName(input.Name);
    const id = ctx.twin.ids.hex(16);
    const arn = model.arnOf('targetgroup', `${name}/${id}`);
    ctx.authorize({
      action: 'elasticloadbalancing:CreateTargetGroup',
      resource: arn,
      resourceAccount: ctx.accountId,
    });
    const tags = tagsOf(input.Tags);
    if (tags.size) authorizeTagging(ctx, arn);
    const group = createTargetGroup(
      ctx.twin,
      model,
      {
        name,
        protocol: input.Protocol,
        port: input.Port,
        vpcId: input.VpcId,
        targetType: input.TargetType,
        healthCheck: healthCheckInput(input),
        tags,
      },
      id,
    );
    return { TargetGroups: [renderTargetGroup(ctx, group)] };
  },

  DescribeTargetGroups(model, input: DescribeTargetGroupsInput, ctx): DescribeTargetGroupsOutput {
    let groups = [...model.targetGroups.values()];
    if (input.LoadBalancerArn) {
      const lb = loadBalancerOf(model, input.LoadBalancerArn);
      groups = groups.filter((g) => loadBalancersUsing(ctx.twin, g).includes(lb));
    }
    if (input.TargetGroupArns?.length) groups = input.TargetGroupArns.map((arn) => targetGroupOf(model, arn));
    else if (input.Names?.length)
      groups = input.Names.map((name) => {
        const group = groups.find((g) => g.name === name);
        if (!group) throw targetGroupNotFound();
        return group;
      });
    const { items, next } = page(groups, input.Marker, input.PageSize);
    return { TargetGroups: items.map((g) => renderTargetGroup(ctx, g)), ...(next && { NextMarker: next }) };
  },

  ModifyTargetGroup(model, input: ModifyTargetGroupInput, ctx): ModifyTargetGroupOutput {
    const group = targetGroupOf(model, input.TargetGroupArn);
    const hc = healthCheckInput(input);
    refuseDisabledChecks(hc.enabled);
    if (hc.protocol && !['TCP', 'HTTP', 'HTTPS'].includes(hc.protocol))
      throw validationError(
        `Health check protocol '${hc.protocol}' is not supported for target groups with protocol '${group.protocol}'`,
      );
    const next = { ...group.healthCheck, ...hc };
    for (const [what, value, min, max] of [
      ['Health check interval', next.intervalSeconds, 5, 300],
      ['Health check timeout', next.timeoutSeconds, 2, 120],
      ['Healthy threshold count', next.healthyThreshold, 2, 10],
      ['Unhealthy threshold count', next.unhealthyThreshold, 2, 10],
    ] as const)
      if (value < min || value > max) throw validationError(`${what} must be between ${min} and ${max}`);
    group.healthCheck = next as TargetGroupState['healthCheck'];
    return { TargetGroups: [renderTargetGroup(ctx, group)] };
  },

  DeleteTargetGroup(model, input: DeleteTargetGroupInput, ctx): object {
    const group = model.targetGroups.get(input.TargetGroupArn ?? '');
    if (!group) return {};
    // "You can't delete a target group if it is used by a listener or a rule" (API_DeleteTargetGroup).
    if (loadBalancersUsing(ctx.twin, group).length)
      throw new AwsError(
        'ResourceInUseException',
        `Target group '${group.arn}' is currently in use by a listener or a rule`,
      );
    model.targetGroups.delete(group.arn);
    return {};
  },

  DescribeTargetGroupAttributes(
    model,
    input: DescribeTargetGroupAttributesInput,
  ): DescribeTargetGroupAttributesOutput {
    const group = targetGroupOf(model, input.TargetGroupArn);
    return { Attributes: [...group.attributes].map(([Key, Value]) => ({ Key, Value })) };
  },

  ModifyTargetGroupAttributes(
    model,
    input: ModifyTargetGroupAttributesInput,
  ): ModifyTargetGroupAttributesOutput {
    const group = targetGroupOf(model, input.TargetGroupArn);
    setTargetGroupAttributes(group, input.Attributes ?? []);
    return { Attributes: [...group.attributes].map(([Key, Value]) => ({ Key, Value })) };
  },

  RegisterTargets(model, input: RegisterTargetsInput, ctx): object {
    const group = targetGroupOf(model, input.TargetGroupArn);
    sweepDrained(group, ctx.time);
    registerTargets(ctx.twin, model, group, input.Targets ?? []);
    return {};
  },

  DeregisterTargets(model, input: DeregisterTargetsInput, ctx): object {
    const group = targetGroupOf(model, input.TargetGroupArn);
    sweepDrained(group, ctx.time);
    deregisterTargets(ctx.twin, group, input.Targets ?? []);
    return {};
  },

  /**
   * Every registered target, or the ones asked for: one not registered is
   * `unused` with Target.NotRegistered (API_TargetHealth); health is computed
   * at the time of the call (twin/network/target-health.ts).
   */
  DescribeTargetHealth(model, input: DescribeTargetHealthInput, ctx): DescribeTargetHealthOutput {
    const group = targetGroupOf(model, input.TargetGroupArn);
    sweepDrained(group, ctx.time);
    const asked = input.Targets?.length
      ? input.Targets.map((t) => {
          const port = t.Port ?? group.port;
          return (
            group.targets.get(targetKey(t.Id ?? '', port)) ?? {
              id: t.Id ?? '',
              port,
              registeredAt: Number.NaN,
              ...(t.AvailabilityZone && { availabilityZone: t.AvailabilityZone }),
            }
          );
        })
      : [...group.targets.values()];
    const descriptions: TargetHealthDescription[] = asked.map((target) => {
      const registered = group.targets.get(targetKey(target.id, target.port)) === target;
      const health = registered
        ? targetHealth(ctx.twin, group, target)
        : {
            state: 'unused',
            reason: 'Target.NotRegistered',
            description: 'Target is not registered to the target group',
          };
      // The Availability Zone shows as registered (API_DescribeTargetHealth's examples show Id and Port only).
      const zone = target.availabilityZone;
      return {
        Target: { Id: target.id, Port: target.port, ...(zone && { AvailabilityZone: zone }) },
        HealthCheckPort: String(healthCheckPort(group, target)),
        TargetHealth: {
          State: health.state as NonNullable<TargetHealthDescription['TargetHealth']>['State'],
          ...(health.reason && { Reason: health.reason as never, Description: health.description }),
        },
      };
    });
    return { TargetHealthDescriptions: descriptions };
  },
};
