import type {
  Action,
  AddTagsInput,
  CreateListenerInput,
  CreateListenerOutput,
  DeleteListenerInput,
  DescribeListenersInput,
  DescribeListenersOutput,
  DescribeTagsInput,
  DescribeTagsOutput,
  Listener,
  ModifyListenerInput,
  ModifyListenerOutput,
  RemoveTagsInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { listenerNotFound, loadBalancerNotFound, targetGroupNotFound, validationError } from '../errors.ts';
import {
  type Elbv2Model,
  type ListenerState,
  type LoadBalancerState,
  listenersOf,
  type TargetGroupProtocol,
  type TargetGroupState,
} from '../model/index.ts';
import { loadBalancerOf } from './load-balancers.ts';
import { authorizeTagging, page, tagsOf } from './shared.ts';
import { targetGroupOf } from './target-groups.ts';

export function renderListener(l: ListenerState): Listener {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol,
    ...(l.sslPolicy && { SslPolicy: l.sslPolicy }),
    ...(l.certificateArns.length && {
      Certificates: l.certificateArns.map((CertificateArn) => ({ CertificateArn })),
    }),
    ...(l.alpnPolicy && { AlpnPolicy: l.alpnPolicy }),
    DefaultActions: [
      {
        Type: 'forward',
        TargetGroupArn: l.targetGroupArn,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: l.targetGroupArn, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  };
}

function listenerOf(model: Elbv2Model, arn: string | undefined): ListenerState {
  const l = model.listeners.get(arn ?? '');
  if (!l) throw listenerNotFound();
  return l;
}

/**
 * An NLB listener's default action: one `forward` to one target group
 * ("Network Load Balancers support only forward actions"; a ForwardConfig
 * may name one target group).
 */
function forwardTarget(model: Elbv2Model, actions: Action[] | undefined): TargetGroupState {
  if (!actions?.length) throw validationError('A default action must be specified');
  if (actions.length > 1 || actions[0]!.Type !== 'forward')
    throw new AwsError(
      'InvalidLoadBalancerActionException',
      'Network Load Balancers support only one forward action',
    );
  const action = actions[0]!;
  const fromConfig = action.ForwardConfig?.TargetGroups ?? [];
  if (fromConfig.length > 1)
    throw new AwsError(
      'InvalidLoadBalancerActionException',
      'A forward action of a Network Load Balancer can name one target group',
    );
  const arn = action.TargetGroupArn ?? fromConfig[0]?.TargetGroupArn;
  if (!arn) throw validationError('A target group ARN must be specified for a forward action');
  return targetGroupOf(model, arn);
}

/** Which target group protocols a listener protocol may forward to (API_CreateListener, Protocol; TLS listeners forward to TCP or TLS groups). */
const COMPATIBLE: Record<TargetGroupProtocol, TargetGroupProtocol[]> = {
  TCP: ['TCP', 'TCP_UDP'],
  TLS: ['TLS', 'TCP'],
  UDP: ['UDP', 'TCP_UDP'],
  TCP_UDP: ['TCP_UDP'],
};

function checkListener(
  model: Elbv2Model,
  lb: LoadBalancerState,
  spec: {
    port: number;
    protocol: string;
    group: TargetGroupState;
    certificates: number;
    self?: ListenerState;
  },
): void {
  if (!['TCP', 'TLS', 'UDP', 'TCP_UDP'].includes(spec.protocol))
    throw new AwsError(
      'UnsupportedProtocolException',
      `Protocol '${spec.protocol}' is not supported for load balancers of type 'network'`,
    );
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535)
    throw validationError('Port must be between 1 and 65535');
  const clash = listenersOf(model, lb.arn).find((l) => l.port === spec.port && l !== spec.self);
  // A TCP and a UDP listener may share a port; TCP_UDP takes both.
  if (
    clash &&
    (clash.protocol === spec.protocol ||
      clash.protocol === 'TCP_UDP' ||
      spec.protocol === 'TCP_UDP' ||
      clash.protocol === 'TLS' ||
      spec.protocol === 'TLS')
  )
    throw new AwsError(
      'DuplicateListenerException',
      'A listener already exists on this port for this load balancer',
    );
  if (!COMPATIBLE[spec.protocol as TargetGroupProtocol].includes(spec.group.protocol))
    throw new AwsError(
      'IncompatibleProtocolsException',
      `The listener protocol '${spec.protocol}' is not compatible with the target group protocol '${spec.group.protocol}'`,
    );
  if (spec.group.vpcId !== lb.vpcId)
    throw validationError(
      `The VPC ID of target group '${spec.group.arn}' must match the VPC of the load balancer`,
    );
  // A target group of an NLB can serve only that load balancer (TargetGroupAssociationLimit).
  const other = [...model.listeners.values()].find(
    (l) => l.targetGroupArn === spec.group.arn && l.loadBalancerArn !== lb.arn,
  );
  if (other)
    throw new AwsError(
      'TargetGroupAssociationLimitException',
      `The following target groups cannot be associated with more than one load balancer: ${spec.group.arn}`,
    );
  if (spec.protocol === 'TLS' && spec.certificates === 0)
    throw validationError('A certificate must be specified for TLS listeners');
}

/** A tagged resource of this account by ARN, by its kind (NotFound of that kind otherwise). */
function taggable(model: Elbv2Model, arn: string): { tags: Map<string, string> } {
  if (arn.includes(':loadbalancer/')) {
    const lb = model.loadBalancers.get(arn);
    if (!lb) throw loadBalancerNotFound();
    return lb;
  }
  if (arn.includes(':targetgroup/')) {
    const g = model.targetGroups.get(arn);
    if (!g) throw targetGroupNotFound();
    return g;
  }
  if (arn.includes(':listener/')) return listenerOf(model, arn);
  throw validationError(`'${arn}' is not a valid load balancer, target group or listener ARN`);
}

export const listenerHandlers: Record<string, Handler<Elbv2Model>> = {
  CreateListener(model, input: CreateListenerInput, ctx): CreateListenerOutput {
    const lb = loadBalancerOf(model, input.LoadBalancerArn);
    const group = forwardTarget(model, input.DefaultActions);
    const protocol = input.Protocol ?? 'TCP';
    const port = input.Port ?? 0;
    const existing = listenersOf(model, lb.arn).find(
      (l) => l.port === port && l.protocol === protocol && l.targetGroupArn === group.arn,
    );
    // "If you attempt to create multiple listeners with the same settings, each call succeeds" (API_CreateListener).
    if (existing) return { Listeners: [renderListener(existing)] };
    const certificates = (input.Certificates ?? []).map((c) => c.CertificateArn ?? '');
    checkListener(model, lb, { port, protocol, group, certificates: certificates.length });
    const id = ctx.twin.ids.hex(16);
    const arn = model.arnOf('listener/net', `${lb.name}/${lb.id}/${id}`);
    const tags = tagsOf(input.Tags);
    if (tags.size) authorizeTagging(ctx, arn);
    const listener: ListenerState = {
      arn,
      loadBalancerArn: lb.arn,
      port,
      protocol: protocol as TargetGroupProtocol,
      targetGroupArn: group.arn,
      ...(protocol === 'TLS' && { sslPolicy: input.SslPolicy ?? 'ELBSecurityPolicy-2016-08' }),
      certificateArns: certificates,
      ...(input.AlpnPolicy?.length && { alpnPolicy: input.AlpnPolicy }),
      tags,
    };
    model.listeners.set(arn, listener);
    return { Listeners: [renderListener(listener)] };
  },

  DescribeListeners(model, input: DescribeListenersInput): DescribeListenersOutput {
    let listeners: ListenerState[];
    if (input.ListenerArns?.length) listeners = input.ListenerArns.map((arn) => listenerOf(model, arn));
    else if (input.LoadBalancerArn)
      listeners = listenersOf(model, loadBalancerOf(model, input.LoadBalancerArn).arn);
    else throw validationError('You must specify either listener ARNs or a load balancer ARN');
    const { items, next } = page(listeners, input.Marker, input.PageSize);
    return { Listeners: items.map(renderListener), ...(next && { NextMarker: next }) };
  },

  ModifyListener(model, input: ModifyListenerInput): ModifyListenerOutput {
    const listener = listenerOf(model, input.ListenerArn);
    const lb = loadBalancerOf(model, listener.loadBalancerArn);
    const group = input.DefaultActions
      ? forwardTarget(model, input.DefaultActions)
      : targetGroupOf(model, listener.targetGroupArn);
    const protocol = input.Protocol ?? listener.protocol;
    const port = input.Port ?? listener.port;
    const certificates = input.Certificates
      ? input.Certificates.map((c) => c.CertificateArn ?? '')
      : listener.certificateArns;
    checkListener(model, lb, { port, protocol, group, certificates: certificates.length, self: listener });
    listener.port = port;
    listener.protocol = protocol as TargetGroupProtocol;
    listener.targetGroupArn = group.arn;
    listener.certificateArns = certificates;
    if (input.SslPolicy) listener.sslPolicy = input.SslPolicy;
    if (input.AlpnPolicy) listener.alpnPolicy = input.AlpnPolicy;
    return { Listeners: [renderListener(listener)] };
  },

  DeleteListener(model, input: DeleteListenerInput): object {
    const listener = listenerOf(model, input.ListenerArn);
    model.listeners.delete(listener.arn);
    return {};
  },

  AddTags(model, input: AddTagsInput, ctx): object {
    for (const arn of input.ResourceArns ?? []) authorizeTagging(ctx, arn);
    const resources = (input.ResourceArns ?? []).map((arn) => taggable(model, arn));
    const updated = resources.map((r) => tagsOf(input.Tags, r.tags));
    resources.forEach((r, i) => {
      r.tags = updated[i]!;
    });
    return {};
  },

  RemoveTags(model, input: RemoveTagsInput, ctx): object {
    for (const arn of input.ResourceArns ?? [])
      ctx.authorize({
        action: 'elasticloadbalancing:RemoveTags',
        resource: arn,
        resourceAccount: ctx.accountId,
      });
    for (const arn of input.ResourceArns ?? []) {
      const r = taggable(model, arn);
      for (const key of input.TagKeys ?? []) r.tags.delete(key);
    }
    return {};
  },

  /** At most 20 resources a call (API_DescribeTags, ResourceArns). */
  DescribeTags(model, input: DescribeTagsInput): DescribeTagsOutput {
    const arns = input.ResourceArns ?? [];
    if (arns.length > 20) throw validationError('You can specify up to 20 resources');
    return {
      TagDescriptions: arns.map((arn) => ({
        ResourceArn: arn,
        Tags: [...taggable(model, arn).tags].map(([Key, Value]) => ({ Key, Value })),
      })),
    };
  },
};
