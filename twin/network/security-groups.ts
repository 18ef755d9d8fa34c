import { ipInCidr } from '../../common/ip.ts';
import type { NetworkInterfaceState, SecurityGroupRuleState } from '../services/ec2/model/state.ts';
import { describeFlow, type Flow, protocolMatches } from './flow.ts';
import { prefixListById } from './prefix-lists.ts';
import type { NetworkView } from './view.ts';

/**
 * Security groups: stateful filters on an interface. A request must be
 * allowed out by the sender's groups and in by the receiver's; the answer
 * to an allowed request passes both without a rule
 * (docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html).
 * Any one rule of any one group allowing the flow is enough: rules only allow.
 */
export interface SecurityGroupVerdict {
  allowed: boolean;
  /** The rule that allowed the flow. */
  ruleId?: string;
  groupIds: string[];
  says: string;
}

export interface Peer {
  ip: string;
  /** The interface behind `ip`, when it is one the twin holds; needed for group references. */
  eni?: NetworkInterfaceState | undefined;
}

/**
 * Interfaces AWS manages without security groups: NAT and Transit Gateway
 * ENIs, and a Network Load Balancer's made without any ("If you don't assign
 * a security group to your Network Load Balancer, all client traffic can
 * reach the Network Load Balancer listeners and all traffic can leave" it,
 * docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html).
 */
export function hasSecurityGroups(eni: NetworkInterfaceState): boolean {
  if (eni.interfaceType === 'network_load_balancer') return eni.securityGroupIds.length > 0;
  return eni.interfaceType !== 'nat_gateway' && eni.interfaceType !== 'transit_gateway';
}

/** ICMP rules keep the type in FromPort and the code in ToPort, -1 meaning any. */
function portsMatch(rule: SecurityGroupRuleState, flow: Flow): boolean {
  if (rule.protocol === '-1') return true;
  if (flow.protocol === 'icmp') {
    return (
      (rule.fromPort === -1 || rule.fromPort === flow.icmpType) &&
      (rule.toPort === -1 || rule.toPort === flow.icmpCode)
    );
  }
  return rule.fromPort <= flow.dstPort && flow.dstPort <= rule.toPort;
}

/**
 * A referenced group admits interfaces that are members of it, in the same
 * VPC or across an active peering connection
 * (docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
 */
function memberOfReferencedGroup(
  view: NetworkView,
  own: NetworkInterfaceState,
  groupId: string,
  peer: Peer,
): boolean {
  if (!peer.eni?.securityGroupIds.includes(groupId)) return false;
  if (peer.eni.vpcId === own.vpcId) return true;
  return activePeeringBetween(view, own.vpcId, peer.eni.vpcId);
}

/** Whether an active peering connection joins two VPCs. */
export function activePeeringBetween(view: NetworkView, a: string, b: string): boolean {
  return view.models.some((m) =>
    [...m.peeringConnections.values()].some(
      (p) =>
        p.status === 'active' &&
        ((p.requester.vpcId === a && p.accepter.vpcId === b) ||
          (p.requester.vpcId === b && p.accepter.vpcId === a)),
    ),
  );
}

function peerMatches(
  view: NetworkView,
  own: NetworkInterfaceState,
  rule: SecurityGroupRuleState,
  peer: Peer,
): boolean {
  if (rule.cidrIpv4) return ipInCidr(peer.ip, rule.cidrIpv4);
  if (rule.referencedGroupId) return memberOfReferencedGroup(view, own, rule.referencedGroupId, peer);
  if (rule.prefixListId)
    return prefixListById(view, rule.prefixListId)?.cidrs.some((c) => ipInCidr(peer.ip, c)) ?? false;
  return false;
}

/**
 * Whether `eni`'s groups let `flow` out to (egress) or in from (ingress) `peer`.
 *
 * @example securityGroupsAllow(view, eni, 'ingress', { ip: '10.40.1.10' }, requestFlow('icmp', 0)).allowed
 */
export function securityGroupsAllow(
  view: NetworkView,
  eni: NetworkInterfaceState,
  direction: 'ingress' | 'egress',
  peer: Peer,
  flow: Flow,
): SecurityGroupVerdict {
  const groupIds = eni.securityGroupIds;
  const word = direction === 'egress' ? `out to ${peer.ip}` : `in from ${peer.ip}`;
  for (const groupId of groupIds) {
    const group = view.securityGroup(groupId);
    for (const rule of group?.rules ?? []) {
      if (rule.egress !== (direction === 'egress') || !protocolMatches(rule.protocol, flow)) continue;
      if (portsMatch(rule, flow) && peerMatches(view, eni, rule, peer)) {
        return {
          allowed: true,
          ruleId: rule.id,
          groupIds,
          says: `${groupId} (rule ${rule.id}) lets ${describeFlow(flow)} ${word}`,
        };
      }
    }
  }
  const names = groupIds.length ? groupIds.join(', ') : 'no security group';
  return {
    allowed: false,
    groupIds,
    says: `${names} of ${eni.id} has no ${direction} rule allowing ${describeFlow(flow)} ${word}`,
  };
}
