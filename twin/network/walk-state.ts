import type { NetworkInterfaceState } from '../services/ec2/model/state.ts';
import { describeFlow, type Flow } from './flow.ts';
import { networkAclAllows } from './network-acls.ts';
import type { NetworkView } from './view.ts';

/**
 * The record of one packet's trip in one direction: the hops it took with
 * a plain sentence each, the interfaces it touched (what flow logs will
 * show), the routed hops that cost it TTL, and its one-way latency.
 */
export interface Hop {
  /** The resource the sentence is about (`tgw-rtb-0…`, `acl-0…`, `eni-0…`). */
  at: string;
  says: string;
  ok: boolean;
}

/** One packet seen at one interface, as a flow-log record will show it. */
export interface EniTouch {
  networkInterfaceId: string;
  accountId: string;
  direction: 'ingress' | 'egress';
  action: 'ACCEPT' | 'REJECT';
  srcIp: string;
  dstIp: string;
  flow: Flow;
}

/** How the packet came to be where it is; decides where it may go next. */
export type Via = 'origin' | 'tgw' | 'peering' | 'nat' | 'igw' | 'appliance' | 'endpoint';

/** Where a packet is: in a VPC's router, coming from a subnet (absent when it came from outside). */
export interface Position {
  vpcId: string;
  subnetId?: string;
  via: Via;
}

/** A NAT gateway rewrote the source; the answer must come back through it. */
export interface Translation {
  natGatewayId: string;
  natEniId: string | undefined;
  natIp: string;
  publicIp: string | undefined;
  /** The source before translation. */
  original: string;
}

/** Where a packet arrived: an interface, an AWS service's public endpoint, or the internet. */
export type Arrival =
  | { kind: 'eni'; eni: NetworkInterfaceState }
  | { kind: 'service'; region: string; service?: string; endpointId?: string; vpcId: string }
  | { kind: 'internet'; vpcId: string };

/** One-way latencies (ms) of the pieces of a path; a round trip adds both ways. */
export const LATENCY = {
  sameSubnet: 0.09,
  sameAz: 0.13,
  crossAz: 0.42,
  transitGateway: 0.28,
  peering: 0.06,
  natGateway: 0.12,
  appliance: 0.1,
  awsService: 0.75,
  internet: 6.5,
} as const;

export class Walk {
  readonly hops: Hop[] = [];
  readonly touches: EniTouch[] = [];
  readonly translations: Translation[] = [];
  routedHops = 0;
  latencyMs = 0;
  died: { hop: Hop; reason: string } | undefined;
  /** The interface behind the source address, for security-group references. */
  srcEni: NetworkInterfaceState | undefined;
  /** The public address the source has on the internet (its own, or its NAT gateway's). */
  publicSrc: string | undefined;
  /** Set when the packet left through an internet gateway: the answer comes back to `publicIp`. */
  exit: { vpcId: string; privateIp: string; publicIp: string } | undefined;
  /** The sender's egress record and subnet: an outbound ACL deny there shows as REJECT on it. */
  private origin: { touch: EniTouch; subnetId: string } | undefined;

  constructor(
    readonly view: NetworkView,
    readonly flow: Flow,
    /** The source address the packet carries now (rewritten by NAT). */
    public srcIp: string,
    readonly dstIp: string,
    /** Replies pass security groups without a rule: they are stateful. */
    readonly reply: boolean,
  ) {}

  pass(at: string, says: string): true {
    this.hops.push({ at, says, ok: true });
    return true;
  }

  /** Records where and why the packet died; returns false for `return walk.fail(…)`. */
  fail(at: string, says: string): false {
    const hop = { at, says, ok: false };
    this.hops.push(hop);
    this.died = { hop, reason: says };
    return false;
  }

  /** Records the packet leaving its sender. */
  leave(eni: NetworkInterfaceState, action: 'ACCEPT' | 'REJECT'): void {
    this.touch(eni, 'egress', action);
    this.origin = { touch: this.touches[this.touches.length - 1]!, subnetId: eni.subnetId };
  }

  touch(
    eni: NetworkInterfaceState | undefined,
    direction: 'ingress' | 'egress',
    action: 'ACCEPT' | 'REJECT',
  ): void {
    if (!eni) return;
    this.touches.push({
      networkInterfaceId: eni.id,
      accountId: eni.ownerId,
      direction,
      action,
      srcIp: this.srcIp,
      dstIp: this.dstIp,
      flow: this.flow,
    });
  }

  /** One subnet's ACL, one direction; the peer is the remote end of the packet. */
  acl(subnetId: string, direction: 'inbound' | 'outbound'): boolean {
    const peer = direction === 'outbound' ? this.dstIp : this.srcIp;
    const verdict = networkAclAllows(this.view, subnetId, direction, peer, this.flow);
    if (!verdict.allowed) {
      if (direction === 'outbound' && this.origin?.subnetId === subnetId) this.origin.touch.action = 'REJECT';
      return this.fail(verdict.aclId ?? subnetId, `${verdict.says}: dropped at the subnet edge`);
    }
    if (verdict.aclId) this.pass(verdict.aclId, verdict.says);
    return true;
  }

  /**
   * A packet moving between subnets of a VPC passes the outbound ACL of the
   * one it leaves and the inbound ACL of the one it enters; inside one
   * subnet no ACL is evaluated
   * (docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html).
   */
  cross(from: string | undefined, to: string): boolean {
    if (from === to) return true;
    if (from && !this.acl(from, 'outbound')) return false;
    return this.acl(to, 'inbound');
  }

  /** Adds the latency between two subnets (same subnet, same AZ, across AZs). */
  travel(from: string | undefined, to: string): void {
    if (!from) return;
    if (from === to) this.latencyMs += LATENCY.sameSubnet;
    else {
      const a = this.view.subnet(from)?.availabilityZoneId;
      const b = this.view.subnet(to)?.availabilityZoneId;
      this.latencyMs += a && a === b ? LATENCY.sameAz : LATENCY.crossAz;
    }
  }

  what(): string {
    return `${describeFlow(this.flow)} from ${this.srcIp} to ${this.dstIp}`;
  }
}
