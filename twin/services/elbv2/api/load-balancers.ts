import type {
  CreateLoadBalancerInput,
  CreateLoadBalancerOutput,
  DeleteLoadBalancerInput,
  DescribeLoadBalancerAttributesInput,
  DescribeLoadBalancerAttributesOutput,
  DescribeLoadBalancersInput,
  DescribeLoadBalancersOutput,
  LoadBalancer,
  ModifyLoadBalancerAttributesInput,
  ModifyLoadBalancerAttributesOutput,
  SetSecurityGroupsInput,
  SetSecurityGroupsOutput,
  SetSubnetsInput,
  SetSubnetsOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { invalidConfiguration, loadBalancerNotFound, notServed, validationError } from '../errors.ts';
import { type Elbv2Model, type LoadBalancerState, loadBalancerByArn, stateOf } from '../model/index.ts';
import {
  canonicalHostedZoneId,
  checkLoadBalancerName,
  createLoadBalancer,
  deleteLoadBalancer,
  setLoadBalancerAttributes,
  setLoadBalancerGroups,
  setLoadBalancerSubnets,
} from '../model/load-balancers.ts';
import { authorizeTagging, page, tagsOf } from './shared.ts';

export function renderLoadBalancer(lb: LoadBalancerState, now: number): LoadBalancer {
  const state = stateOf(lb, now);
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: canonicalHostedZoneId(lb.region),
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: state },
    Type: 'network',
    AvailabilityZones: lb.zones.map((z) => ({
      ZoneName: z.zoneName,
      SubnetId: z.subnetId,
      LoadBalancerAddresses: z.requestedIp ? [{ PrivateIPv4Address: z.privateIp }] : [],
    })),
    ...(lb.securityGroupIds.length && {
      SecurityGroups: lb.securityGroupIds,
      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: lb.enforceInboundOnPrivateLink ? 'on' : 'off',
    }),
    IpAddressType: lb.ipAddressType,
  };
}

/** The subnets a CreateLoadBalancer or SetSubnets names, as Subnets or SubnetMappings (not both). */
function subnetsOf(input: Pick<CreateLoadBalancerInput, 'Subnets' | 'SubnetMappings' | 'IpAddressType'>) {
  if (input.Subnets?.length && input.SubnetMappings?.length)
    throw validationError('You can specify subnets or subnet mappings, not both');
  if (input.SubnetMappings?.some((m) => m.AllocationId || m.IPv6Address))
    throw notServed('an Elastic IP or IPv6 address in a subnet mapping');
  if (input.IpAddressType && input.IpAddressType !== 'ipv4')
    throw notServed(`IP address type ${input.IpAddressType}`);
  return input.SubnetMappings?.length
    ? input.SubnetMappings.map((m) => ({
        subnetId: m.SubnetId ?? '',
        ...(m.PrivateIPv4Address && { privateIp: m.PrivateIPv4Address }),
      }))
    : (input.Subnets ?? []).map((subnetId) => ({ subnetId }));
}

/** The load balancer an ARN names, in the caller's account and Region; LoadBalancerNotFound otherwise. */
export function loadBalancerOf(model: Elbv2Model, arn: string | undefined): LoadBalancerState {
  const lb = model.loadBalancers.get(arn ?? '');
  if (!lb) throw loadBalancerNotFound();
  return lb;
}

function describeSelection(model: Elbv2Model, input: DescribeLoadBalancersInput): LoadBalancerState[] {
  const all = [...model.loadBalancers.values()].sort((a, b) => a.createdAt - b.createdAt);
  if (input.LoadBalancerArns?.length && input.Names?.length)
    throw validationError('Load balancer names and load balancer ARNs cannot be specified at the same time');
  if (input.LoadBalancerArns?.length) return input.LoadBalancerArns.map((arn) => loadBalancerOf(model, arn));
  if (input.Names?.length)
    return input.Names.map((name) => {
      const lb = all.find((l) => l.name === name);
      if (!lb) throw loadBalancerNotFound();
      return lb;
    });
  return all;
}

export const loadBalancerHandlers: Record<string, Handler<Elbv2Model>> = {
  CreateLoadBalancer(model, input: CreateLoadBalancerInput, ctx): CreateLoadBalancerOutput {
    if ((input.Type ?? 'application') !== 'network')
      throw notServed(`load balancer type ${input.Type ?? 'application'}`);
    const name = checkLoadBalancerName(input.Name);
    const scheme = input.Scheme ?? 'internet-facing';
    const subnets = subnetsOf(input);
    const id = ctx.twin.ids.hex(16);
    const arn = model.arnOf('loadbalancer/net', `${name}/${id}`);
    ctx.authorize({
      action: 'elasticloadbalancing:CreateLoadBalancer',
      resource: arn,
      resourceAccount: ctx.accountId,
    });
    const tags = tagsOf(input.Tags);
    if (tags.size) authorizeTagging(ctx, arn);
    const lb = createLoadBalancer(
      ctx.twin,
      model,
      {
        name,
        scheme,
        subnets,
        securityGroupIds: [...new Set(input.SecurityGroups ?? [])],
        ipAddressType: 'ipv4',
        tags,
      },
      id,
    );
    return { LoadBalancers: [renderLoadBalancer(lb, ctx.time)] };
  },

  DescribeLoadBalancers(model, input: DescribeLoadBalancersInput, ctx): DescribeLoadBalancersOutput {
    const { items, next } = page(describeSelection(model, input), input.Marker, input.PageSize);
    return {
      LoadBalancers: items.map((lb) => renderLoadBalancer(lb, ctx.time)),
      ...(next && { NextMarker: next }),
    };
  },

  DeleteLoadBalancer(model, input: DeleteLoadBalancerInput, ctx): object {
    // "If the load balancer does not exist or has already been deleted, the call succeeds" (API_DeleteLoadBalancer).
    const lb = model.loadBalancers.get(input.LoadBalancerArn ?? '');
    if (lb) deleteLoadBalancer(ctx.twin, model, lb);
    return {};
  },

  /**
   * "You can't perform this operation on a Network Load Balancer unless you
   * specified a security group for the load balancer when you created it";
   * EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic "The default is on"
   * (API_SetSecurityGroups).
   */
  SetSecurityGroups(model, input: SetSecurityGroupsInput, ctx): SetSecurityGroupsOutput {
    const lb = loadBalancerOf(model, input.LoadBalancerArn);
    if (!lb.securityGroupIds.length)
      throw invalidConfiguration(
        'A Network Load Balancer created without security groups cannot have security groups set',
      );
    const ids = [...new Set(input.SecurityGroups ?? [])];
    if (!ids.length)
      throw invalidConfiguration(
        'A Network Load Balancer created with security groups must keep at least one',
      );
    setLoadBalancerGroups(ctx.twin, model, lb, ids);
    if (input.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic)
      lb.enforceInboundOnPrivateLink = input.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic === 'on';
    return {
      SecurityGroupIds: lb.securityGroupIds,
      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: lb.enforceInboundOnPrivateLink ? 'on' : 'off',
    };
  },

  /** SetSubnets: Availability Zones added to a Network Load Balancer (model/load-balancers.ts says which). */
  SetSubnets(model, input: SetSubnetsInput, ctx): SetSubnetsOutput {
    const lb = setLoadBalancerSubnets(
      ctx.twin,
      model,
      loadBalancerOf(model, input.LoadBalancerArn),
      subnetsOf(input),
    );
    const { AvailabilityZones, IpAddressType } = renderLoadBalancer(lb, ctx.time);
    return { AvailabilityZones, IpAddressType };
  },

  DescribeLoadBalancerAttributes(
    model,
    input: DescribeLoadBalancerAttributesInput,
  ): DescribeLoadBalancerAttributesOutput {
    const lb = loadBalancerOf(model, input.LoadBalancerArn);
    return { Attributes: [...lb.attributes].map(([Key, Value]) => ({ Key, Value })) };
  },

  ModifyLoadBalancerAttributes(
    model,
    input: ModifyLoadBalancerAttributesInput,
  ): ModifyLoadBalancerAttributesOutput {
    const lb = loadBalancerOf(model, input.LoadBalancerArn);
    setLoadBalancerAttributes(lb, input.Attributes ?? []);
    return { Attributes: [...lb.attributes].map(([Key, Value]) => ({ Key, Value })) };
  },
};

/** For other files: the load balancer an ARN names anywhere in the twin. */
export function anyLoadBalancer(ctx: RequestContext, arn: string | undefined): LoadBalancerState | undefined {
  return loadBalancerByArn(ctx.twin, arn);
}
