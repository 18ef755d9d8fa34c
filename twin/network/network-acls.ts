import { ipInCidr } from '../../common/ip.ts';
import type { NetworkAclEntryState } from '../services/ec2/model/state.ts';
import { describeFlow, type Flow, protocolMatches } from './flow.ts';
import type { NetworkView } from './view.ts';

/**
 * Network ACLs: stateless filters at the subnet edge. Rules are evaluated
 * from the lowest number up and the first match decides; nothing matching
 * means the final `*` deny. Replies are filtered like any packet, so the
 * answer needs its own rule (ephemeral ports for TCP, echo reply for ICMP)
 * (docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
 */
export interface AclVerdict {
  allowed: boolean;
  aclId?: string;
  ruleNumber?: number | '*';
  says: string;
}

function entryMatches(entry: NetworkAclEntryState, flow: Flow, peerIp: string): boolean {
  if (!protocolMatches(entry.protocol, flow) || !ipInCidr(peerIp, entry.cidr)) return false;
  if (entry.protocol === '-1' || entry.protocol.toLowerCase() === 'all') return true;
  if (flow.protocol === 'icmp') {
    const icmp = entry.icmp ?? { type: -1, code: -1 };
    return (
      (icmp.type === -1 || icmp.type === flow.icmpType) && (icmp.code === -1 || icmp.code === flow.icmpCode)
    );
  }
  const range = entry.portRange ?? { from: 0, to: 65535 };
  return range.from <= flow.dstPort && flow.dstPort <= range.to;
}

/**
 * Whether the ACL of `subnetId` lets a packet of `flow` out to (outbound)
 * or in from (inbound) `peerIp`. Rules match the remote address and the
 * packet's destination port.
 *
 * @example networkAclAllows(view, 'subnet-0abc', 'inbound', '10.40.1.10', requestFlow('icmp', 0)).allowed
 */
export function networkAclAllows(
  view: NetworkView,
  subnetId: string,
  direction: 'inbound' | 'outbound',
  peerIp: string,
  flow: Flow,
): AclVerdict {
  const acl = view.networkAclForSubnet(subnetId);
  const word =
    direction === 'outbound' ? `out of ${subnetId} to ${peerIp}` : `into ${subnetId} from ${peerIp}`;
  // A subnet always has an ACL in AWS; state without one is read as the default ACL, which allows all.
  if (!acl)
    return { allowed: true, says: `no network ACL is recorded for ${subnetId}: treated as the default ACL` };
  const entries = acl.entries
    .filter((e) => e.egress === (direction === 'outbound'))
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const entry of entries) {
    if (!entryMatches(entry, flow, peerIp)) continue;
    const ruleNumber = entry.ruleNumber >= 32767 ? '*' : entry.ruleNumber;
    const allowed = entry.action === 'allow';
    return {
      allowed,
      aclId: acl.id,
      ruleNumber,
      says: `${acl.id} rule ${ruleNumber} ${allowed ? 'allows' : 'denies'} ${describeFlow(flow)} ${word}`,
    };
  }
  return {
    allowed: false,
    aclId: acl.id,
    ruleNumber: '*',
    says: `${acl.id} has no rule allowing ${describeFlow(flow)} ${word} (rule * denies)`,
  };
}
