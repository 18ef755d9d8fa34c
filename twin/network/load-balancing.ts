/**
 * Network Load Balancers in the reachability engine: what a load balancer
 * is (findNetworkLoadBalancer) and where a TCP connection arriving at one of
 * its nodes ends up (forwardThroughLoadBalancer): listener → target group →
 * a healthy target in the node's zone (every zone's with cross-zone load
 * balancing on), failing open when no target is healthy, then the path from
 * the node to the target through security groups and network ACLs.
 * twin-privatelink's endpoint → NLB hop calls it with `viaPrivateLink`.
 */
import { ipInCidr } from '../../common/ip.ts';
import {
  elbv2Models,
  listenersOf,
  loadBalancerByArn,
  modelOfArn,
  stateOf,
  type TargetGroupState,
  targetGroupByArn,
} from '../services/elbv2/model/index.ts';
import type { Twin } from '../twin.ts';
import { requestFlow } from './flow.ts';
import { securityGroupsAllow } from './security-groups.ts';
import { checkFromNode, placeTarget, type TargetHealthVerdict, targetHealth } from './target-health.ts';
import { NetworkView } from './view.ts';

export interface NetworkLoadBalancer {
  arn: string;
  name: string;
  type: 'network';
  scheme: 'internal' | 'internet-facing';
  state: 'provisioning' | 'active';
  accountId: string;
  region: string;
  vpcId: string;
  zones: { zoneName: string; subnetId: string; networkInterfaceId: string; privateIp: string }[];
}

/**
 * The Network Load Balancer an ARN names, in any account of the twin.
 *
 * @example findNetworkLoadBalancer(twin, 'arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/zero-trust-nlb/0123…')?.zones
 */
export function findNetworkLoadBalancer(twin: Twin, arn: string): NetworkLoadBalancer | undefined {
  const lb = loadBalancerByArn(twin, arn);
  if (!lb) return undefined;
  return {
    arn: lb.arn,
    name: lb.name,
    type: lb.type,
    scheme: lb.scheme,
    state: stateOf(lb, twin.clock.now()),
    accountId: lb.accountId,
    region: lb.region,
    vpcId: lb.vpcId,
    zones: lb.zones.map((z) => ({
      zoneName: z.zoneName,
      subnetId: z.subnetId,
      networkInterfaceId: z.networkInterfaceId,
      privateIp: z.privateIp,
    })),
  };
}

export interface ForwardRequest {
  loadBalancerArn: string;
  /** The listener port the connection arrives on. */
  port: number;
  /** The zone whose node receives it; absent, the first enabled zone that can forward it. */
  zoneName?: string;
  /** Through an interface endpoint: the client's address is not preserved and the NLB's groups apply only if enforced. */
  viaPrivateLink: boolean;
  /**
   * The client's private address, for the NLB's inbound security group
   * rules and client IP preservation. Through PrivateLink too: "If you
   * enable inbound rules for PrivateLink traffic, the source of the traffic
   * is the client's private IP address, not the endpoint interface"
   * (Network Load Balancers guide, "Security groups", Considerations).
   * Absent while the NLB's groups apply, the connection is refused: the
   * twin does not pass what it cannot judge.
   */
  clientIp?: string;
}

export interface ForwardResult {
  answered: boolean;
  because?: string;
  target?: { id: string; port: number };
}

interface Candidate {
  id: string;
  port: number;
  ip?: string;
  zoneName?: string;
  /** An ip target outside the VPC, registered with AvailabilityZone `all`: every enabled zone's node sends to it. */
  anyZone: boolean;
  health: TargetHealthVerdict;
}

/**
 * The NLB's own security groups on client traffic: "If you don't assign a
 * security group ..., all client traffic can reach the Network Load
 * Balancer listeners"; for traffic through PrivateLink their inbound rules
 * are evaluated only while EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic
 * is on (docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html;
 * API_SetSecurityGroups: "The default is on").
 */
function refusedByLoadBalancerGroups(
  view: NetworkView,
  twin: Twin,
  request: ForwardRequest,
  nodeEniId: string,
): string | undefined {
  const lb = loadBalancerByArn(twin, request.loadBalancerArn)!;
  if (!lb.securityGroupIds.length) return undefined;
  if (request.viaPrivateLink && !lb.enforceInboundOnPrivateLink) return undefined;
  const eni = view.eni(nodeEniId);
  if (!eni) return `${nodeEniId} is gone`;
  // The twin cannot judge a rule without the client's address: refuse rather than pass unseen.
  if (!request.clientIp)
    return `${lb.name}'s security groups filter client traffic and the client's address is unknown`;
  const verdict = securityGroupsAllow(
    view,
    eni,
    'ingress',
    { ip: request.clientIp },
    requestFlow({ tcp: request.port }, 0),
  );
  return verdict.allowed ? undefined : verdict.says;
}

function preservesClientIp(group: TargetGroupState, viaPrivateLink: boolean): boolean {
  // "Client IP preservation has no effect on inbound traffic from AWS PrivateLink. The source IP
  // of the AWS PrivateLink traffic is always the private IP address of the Network Load Balancer."
  // (Network Load Balancers guide, "Client IP preservation").
  if (viaPrivateLink) return false;
  const set = group.attributes.get('preserve_client_ip.enabled');
  // Default: on for instance targets and for ip targets of UDP/TCP_UDP; off for ip targets of TCP/TLS.
  if (set !== undefined) return set === 'true';
  return group.targetType === 'instance' || group.protocol === 'UDP' || group.protocol === 'TCP_UDP';
}

/**
 * Follows a TCP connection arriving at the load balancer's node on `port`.
 *
 * @example forwardThroughLoadBalancer(twin, { loadBalancerArn, port: 443, viaPrivateLink: true }).target?.id
 */
export function forwardThroughLoadBalancer(twin: Twin, request: ForwardRequest): ForwardResult {
  const lb = loadBalancerByArn(twin, request.loadBalancerArn);
  if (!lb) return { answered: false, because: `load balancer ${request.loadBalancerArn} does not exist` };
  if (stateOf(lb, twin.clock.now()) !== 'active')
    return { answered: false, because: `${lb.name} is still provisioning` };
  const model = modelOfArn(twin, lb.arn)!;
  const listener = listenersOf(model, lb.arn).find((l) => l.port === request.port);
  if (!listener) return { answered: false, because: `${lb.name} has no listener on port ${request.port}` };
  if (listener.protocol === 'UDP')
    return { answered: false, because: `${lb.name}'s listener on ${request.port} is UDP, not TCP` };
  const group = targetGroupByArn(twin, listener.targetGroupArn);
  if (!group)
    return { answered: false, because: `${lb.name}'s listener forwards to a target group that is gone` };
  const nodes = request.zoneName ? lb.zones.filter((z) => z.zoneName === request.zoneName) : lb.zones;
  if (!nodes.length) return { answered: false, because: `${lb.name} has no node in ${request.zoneName}` };

  const view = new NetworkView(twin);
  const candidates: Candidate[] = [...group.targets.values()].map((t) => {
    const place = placeTarget(view, group, t);
    return {
      id: t.id,
      port: t.port,
      ...(place.ip && { ip: place.ip }),
      ...(place.zoneName && { zoneName: place.zoneName }),
      anyZone: t.availabilityZone === 'all',
      health: targetHealth(twin, group, t),
    };
  });
  if (!candidates.length) return { answered: false, because: `${group.name} has no registered targets` };
  const crossZone = lb.attributes.get('load_balancing.cross_zone.enabled') === 'true';
  const inService = candidates.filter((c) => c.health.state === 'healthy');
  // "If all targets fail health checks at the same time in all enabled Availability Zones, the load
  // balancer fails open" (Network Load Balancers guide, "Health checks for Network Load Balancer target groups").
  const failingOpen = inService.length === 0 && candidates.some((c) => c.health.state === 'unhealthy');
  const pool = failingOpen ? candidates.filter((c) => c.health.state === 'unhealthy') : inService;
  if (!pool.length) {
    const states = candidates.map(
      (c) => `${c.id} ${c.health.state}${c.health.reason ? ` (${c.health.reason})` : ''}`,
    );
    return { answered: false, because: `${group.name} has no target in service: ${states.join(', ')}` };
  }

  const reasons: string[] = [];
  for (const node of nodes) {
    const refused = refusedByLoadBalancerGroups(view, twin, request, node.networkInterfaceId);
    if (refused) {
      reasons.push(refused);
      continue;
    }
    // Failing open does not cross zones: each node still sends only to its own zone's targets
    // unless cross-zone load balancing is on (the twin takes the stricter reading).
    const reachable = pool.filter((c) => crossZone || c.anyZone || c.zoneName === node.zoneName);
    if (!reachable.length) {
      reasons.push(
        `${lb.name}'s node in ${node.zoneName} has no ${failingOpen ? '' : 'healthy '}target in its zone and cross-zone load balancing is off`,
      );
      continue;
    }
    for (const candidate of reachable) {
      if (!candidate.ip) continue;
      const path = checkFromNode(twin, node, candidate.ip, candidate.port);
      if (!path.passed) {
        reasons.push(
          `from ${lb.name}'s node ${node.privateIp} to ${candidate.ip}:${candidate.port}: ${path.because}`,
        );
        continue;
      }
      if (preservesClientIp(group, request.viaPrivateLink) && request.clientIp) {
        const target = view.eniByIp(group.vpcId, candidate.ip);
        const admitted =
          target &&
          securityGroupsAllow(
            view,
            target,
            'ingress',
            { ip: request.clientIp },
            requestFlow({ tcp: candidate.port }, 0),
          );
        if (admitted && !admitted.allowed) {
          reasons.push(`client IP preservation: ${admitted.says}`);
          continue;
        }
      }
      return { answered: true, target: { id: candidate.id, port: candidate.port } };
    }
  }
  return { answered: false, because: reasons.join('; ') || `${lb.name} could not forward to any target` };
}

/** Whether `ip` may be registered as an ip target of a group in a VPC with `vpcCidrs` (RegisterTargets). */
export function registrableIp(ip: string, vpcCidrs: string[]): boolean {
  const ranges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];
  return [...vpcCidrs, ...ranges].some((c) => ipInCidr(ip, c));
}

/**
 * A TCP connection from a client straight to a node's own address (not
 * through PrivateLink): what the reachability engine needs to let an NLB
 * node answer. Not wired into reachability.ts's `answers` yet (that file is
 * being changed for the PrivateLink hop); until it is, a probe to a node's
 * address is not answered (elbv2/api.ts LIMITATIONS).
 *
 * @example connectToNode(twin, { networkInterfaceId: 'eni-0…', port: 443, clientIp: '10.0.1.10' }).answered
 */
export function connectToNode(
  twin: Twin,
  request: { networkInterfaceId: string; port: number; clientIp: string },
): ForwardResult {
  for (const model of elbv2Models(twin)) {
    for (const lb of model.loadBalancers.values()) {
      const zone = lb.zones.find((z) => z.networkInterfaceId === request.networkInterfaceId);
      if (zone)
        return forwardThroughLoadBalancer(twin, {
          loadBalancerArn: lb.arn,
          port: request.port,
          zoneName: zone.zoneName,
          viaPrivateLink: false,
          clientIp: request.clientIp,
        });
    }
  }
  return { answered: false, because: `${request.networkInterfaceId} is no load balancer's node` };
}
