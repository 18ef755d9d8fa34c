/**
 * Elastic Load Balancing v2 — Network Load Balancers, their listeners and
 * target groups, over awsQuery 2015-12-01. Target health and where a
 * connection to a node goes are computed from the lab's configuration by
 * twin/network/target-health.ts and twin/network/load-balancing.ts.
 *
 * LIMITATIONS
 * - Network Load Balancers only: CreateLoadBalancer with Type application or
 *   gateway (or no Type, which is application in AWS), ALB/GWLB protocols,
 *   lambda and alb target types, rules, trust stores and capacity
 *   reservations are refused with a ValidationError naming the twin.
 * - IPv4 only; no Elastic IPs in subnet mappings, so an internet-facing NLB
 *   has no public address and nothing from the internet reaches it.
 *   SetSubnets and SetIpAddressType are not served.
 * - A running EC2 instance in a reachable position is taken to listen on
 *   the target group's port (the twin cannot know what a process listens
 *   on): its TCP health check passes when the path from each node to it
 *   (security groups, ACLs, routes, and the answer's way back) is open.
 *   HTTP and HTTPS health checks are judged as their TCP connection (no
 *   path or status code). An ip target that is no interface of the lab has
 *   nothing answering: it is unhealthy. UDP health checks do not exist in
 *   AWS either; UDP listeners do not forward in the reachability engine.
 * - A target is healthy only when every enabled zone's node's checks pass;
 *   AWS may show a target whose checks pass from some nodes only as
 *   flapping. Health is recomputed on every call, so a change to a security
 *   group shows at once rather than after UnhealthyThresholdCount intervals;
 *   the first verdict comes HealthyThresholdCount × interval after
 *   registration (profile time: elbv2SecondMs).
 * - The target group attribute load_balancing.cross_zone.enabled is stored
 *   but the load balancer's attribute decides; stickiness, proxy protocol,
 *   connection termination and target failover are stored, not applied.
 * - A node sends a connection to the first target in service it reaches
 *   (no flow hash); failing open it still keeps to its own zone's targets
 *   unless cross-zone load balancing is on (the stricter reading).
 * - TLS listeners do not check that their certificate exists in ACM.
 * - SetSubnets only adds zones: the twin refuses leaving out a subnet enabled
 *   before (API_SetSubnets' older rule), where the Network Load Balancers
 *   guide now lets one go unless VPC endpoints are associated. Stricter.
 * - Client traffic reaches a node only through the PrivateLink path
 *   (twin/network's endpoint → NLB hop); a probe to a node's own address is
 *   not answered until reachability.ts asks connectToNode
 *   (twin/network/load-balancing.ts), which computes it.
 * - Client IP preservation is judged by the target's security groups only
 *   (the answer's way straight back to the client is not walked).
 * - Health checks are computed, not sent: they do not appear in flow logs.
 */
import * as sdk from '@aws-sdk/client-elastic-load-balancing-v2';
import type { RequestContext } from '../../core/context.ts';
import { type AuthorizationRequest, defineService } from '../../core/service.ts';
import { listenerHandlers } from './api/listeners.ts';
import { loadBalancerHandlers } from './api/load-balancers.ts';
import { targetGroupHandlers } from './api/target-groups.ts';
import { accessDenied } from './errors.ts';
import { ELBV2_SIGNING_NAME, Elbv2Model } from './model/index.ts';

/** The member naming the resource an operation acts on. */
const RESOURCE_MEMBER: Record<string, string> = {
  DeleteLoadBalancer: 'LoadBalancerArn',
  ModifyLoadBalancerAttributes: 'LoadBalancerArn',
  SetSecurityGroups: 'LoadBalancerArn',
  SetSubnets: 'LoadBalancerArn',
  CreateListener: 'LoadBalancerArn',
  DeleteTargetGroup: 'TargetGroupArn',
  ModifyTargetGroup: 'TargetGroupArn',
  ModifyTargetGroupAttributes: 'TargetGroupArn',
  RegisterTargets: 'TargetGroupArn',
  DeregisterTargets: 'TargetGroupArn',
  DeleteListener: 'ListenerArn',
  ModifyListener: 'ListenerArn',
};

/**
 * `elasticloadbalancing:<Operation>`: Describe* actions take no resource
 * ("Describe actions do not support resource-level permissions", Service
 * Authorization Reference, Elastic Load Balancing V2); the others act on
 * the load balancer, target group or listener ARN the call names. Creates
 * and tagging authorize in the handler, once the new ARN is known.
 */
function authorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest | 'in-handler' {
  const action = `elasticloadbalancing:${operation}`;
  if (['CreateLoadBalancer', 'CreateTargetGroup', 'AddTags', 'RemoveTags'].includes(operation))
    return 'in-handler';
  const member = RESOURCE_MEMBER[operation];
  const arn = member ? input[member] : undefined;
  if (typeof arn === 'string' && arn) return { action, resource: arn, resourceAccount: ctx.accountId };
  return { action, resource: '*' };
}

export const elbv2 = defineService<Elbv2Model>({
  signingName: ELBV2_SIGNING_NAME,
  iamPrefix: 'elasticloadbalancing',
  protocol: 'awsQuery',
  sdk,
  namespace: 'com.amazonaws.elasticloadbalancingv2',
  xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  version: '2015-12-01',
  createModel: (twin, accountId, region) => new Elbv2Model(twin, accountId, region),
  accessDenied,
  authorization,
  handlers: { ...loadBalancerHandlers, ...targetGroupHandlers, ...listenerHandlers },
});
