/**
 * Target health of a Network Load Balancer's target group, computed from
 * the lab's configuration each time it is asked: every enabled zone's node
 * checks every target from its own private address, and the check's path
 * (the node's security groups and subnet ACL, routing, the target's ACL and
 * security groups, and the answer's way back) is the reachability engine's.
 *
 * States and reason codes are the API Reference's TargetHealth
 * (docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html)
 * as the Network Load Balancers guide lists them for NLBs ("Check the
 * health of your Network Load Balancer targets"): initial
 * (Elb.RegistrationInProgress, Elb.InitialHealthChecking), unhealthy
 * (Target.FailedHealthChecks only: Target.Timeout and
 * Target.ResponseCodeMismatch apply to ALBs and GWLBs), unused
 * (Target.NotRegistered, Target.NotInUse, Target.InvalidState), draining
 * (Target.DeregistrationInProgress).
 */

import {
  elbv2Models,
  type LoadBalancerState,
  type LoadBalancerZone,
  type RegisteredTarget,
  stateOf,
  type TargetGroupState,
} from '../services/elbv2/model/index.ts';
import { delay } from '../state/profile.ts';
import type { Twin } from '../twin.ts';
import { probePath } from './reachability.ts';
import { NetworkView } from './view.ts';

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TargetHealthVerdict {
  state: TargetHealthState;
  reason?: string;
  /** AWS's fixed description for the reason. */
  description?: string;
  /** The twin's own account of why: the hop where a health check died. */
  because?: string;
  /** The target's address and zone, when the twin can place it. */
  ip?: string;
  zoneName?: string;
}

const DESCRIPTION: Record<string, string> = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checks in progress',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.NotRegistered': 'Target is not registered to the target group',
  'Target.NotInUse': 'Target group is not configured to receive traffic from the load balancer',
  'Target.InvalidState': 'Target is in the stopped or terminated state',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.HealthCheckDisabled': 'Health checks are disabled',
};

function verdict(state: TargetHealthState, reason?: string, extra: Partial<TargetHealthVerdict> = {}) {
  return { state, ...(reason && { reason, description: DESCRIPTION[reason] ?? reason }), ...extra };
}

/** The load balancers whose listeners forward to the group (an NLB listener has one forward action). */
export function loadBalancersUsing(twin: Twin, group: TargetGroupState): LoadBalancerState[] {
  const out: LoadBalancerState[] = [];
  for (const model of elbv2Models(twin)) {
    for (const listener of model.listeners.values()) {
      if (listener.targetGroupArn !== group.arn) continue;
      const lb = model.loadBalancers.get(listener.loadBalancerArn);
      if (lb && !out.includes(lb)) out.push(lb);
    }
  }
  return out;
}

/** Where a target is: its address, zone and the instance behind it (instance targets, or an ip that is an instance's). */
export function placeTarget(
  view: NetworkView,
  group: TargetGroupState,
  target: Pick<RegisteredTarget, 'id' | 'availabilityZone'>,
): { ip?: string; zoneName?: string; instanceState?: string } {
  if (group.targetType === 'instance') {
    const instance = view.instance(target.id);
    if (!instance) return {};
    return { ip: instance.privateIp, zoneName: instance.availabilityZone, instanceState: instance.state };
  }
  const eni = view.eniByIp(group.vpcId, target.id);
  const instance = view.instance(eni?.attachment?.instanceId);
  const zoneName =
    target.availabilityZone && target.availabilityZone !== 'all'
      ? target.availabilityZone
      : eni?.availabilityZone;
  return {
    ip: target.id,
    ...(zoneName && { zoneName }),
    ...(instance && { instanceState: instance.state }),
  };
}

/** The port health checks go to: the target's (`traffic-port`) or the group's override. */
export function healthCheckPort(group: TargetGroupState, target: RegisteredTarget): number {
  return group.healthCheck.port === 'traffic-port' ? target.port : Number(group.healthCheck.port);
}

/**
 * One health check from a node to a target: a TCP connection from the
 * node's interface (its private address as the source) to the target's
 * address and health-check port, answered or not. The node's security
 * groups judge it on the way out only: "Health checks are subject to
 * outbound rules, but not inbound rules" (Network Load Balancers guide,
 * "Security groups", Considerations); the answer is tracked. HTTP(S)
 * checks are judged as their TCP connection (LIMITATIONS in elbv2/api.ts).
 */
export function checkFromNode(
  twin: Twin,
  node: LoadBalancerZone,
  ip: string,
  port: number,
): { passed: boolean; because?: string } {
  const result = probePath(twin, {
    from: { accountId: '', region: '', networkInterfaceId: node.networkInterfaceId },
    to: ip,
    protocol: { tcp: port },
  });
  return result.answered
    ? { passed: true }
    : { passed: false, because: result.diedAt?.reason ?? 'no answer' };
}

/**
 * The health of one registered target as DescribeTargetHealth reports it
 * at `now`. A target is healthy only when every enabled zone's node's
 * checks pass (each node checks every target, Network Load Balancers
 * guide, "Health checks for Network Load Balancer target groups"): a node
 * whose checks fail keeps it out of service there, and the twin reports the
 * first failure rather than flap.
 */
export function targetHealth(
  twin: Twin,
  group: TargetGroupState,
  target: RegisteredTarget,
): TargetHealthVerdict {
  const now = twin.clock.now();
  const view = new NetworkView(twin);
  const place = placeTarget(view, group, target);
  const where = { ...(place.ip && { ip: place.ip }), ...(place.zoneName && { zoneName: place.zoneName }) };
  if (target.deregisteredAt !== undefined) {
    // "draining: The target is deregistering and connection draining is in process."
    return verdict('draining', 'Target.DeregistrationInProgress', where);
  }
  if (place.instanceState && place.instanceState !== 'running')
    return verdict('unused', 'Target.InvalidState', where);
  const lbs = loadBalancersUsing(twin, group);
  if (!lbs.length) return verdict('unused', 'Target.NotInUse', where);
  const lb = lbs[0]!;
  const crossZone = lb.attributes.get('load_balancing.cross_zone.enabled') === 'true';
  // "Target.NotInUse - ... the target is in an Availability Zone that is not enabled for its load balancer."
  if (place.zoneName && !crossZone && !lb.zones.some((z) => z.zoneName === place.zoneName))
    return verdict('unused', 'Target.NotInUse', where);
  if (!group.healthCheck.enabled) return verdict('unavailable', 'Target.HealthCheckDisabled', where);
  const startedAt = Math.max(target.registeredAt, lb.activeAt);
  if (stateOf(lb, now) === 'provisioning') return verdict('initial', 'Elb.RegistrationInProgress', where);
  const second = delay(twin.profile, 'elbv2SecondMs');
  const settledAt =
    startedAt + group.healthCheck.healthyThreshold * group.healthCheck.intervalSeconds * second;
  if (now < settledAt) return verdict('initial', 'Elb.InitialHealthChecking', where);
  if (!place.ip)
    return verdict('unhealthy', 'Target.FailedHealthChecks', {
      ...where,
      because: `${target.id} does not exist`,
    });
  const port = healthCheckPort(group, target);
  for (const node of lb.zones) {
    const check = checkFromNode(twin, node, place.ip, port);
    if (!check.passed)
      return verdict('unhealthy', 'Target.FailedHealthChecks', {
        ...where,
        because: `the health check from ${lb.name}'s node in ${node.zoneName} (${node.privateIp}) to ${place.ip}:${port}: ${check.because}`,
      });
  }
  return verdict('healthy', undefined, where);
}

/** Drops targets whose draining ended (deregistration_delay.timeout_seconds after DeregisterTargets). */
export function sweepDrained(group: TargetGroupState, now: number): void {
  for (const [key, t] of group.targets)
    if (t.drainedAt !== undefined && now >= t.drainedAt) group.targets.delete(key);
}
