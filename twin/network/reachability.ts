/**
 * The reachability engine's entry point. twin/network is pure functions
 * over the EC2 state records (NetworkView reads every account's model);
 * each concern has its file: cidr, security-groups, network-acls, routing,
 * walk (one packet, one direction), dns, service-path, traffic-log.
 *
 * LIMITATIONS
 * - IPv4 only; each interface has one private address (no secondary
 *   addresses). Secondary VPC CIDR blocks route as `local` like the primary.
 * - Transit Gateways: VPC attachments only (no VPN, Direct Connect or TGW
 *   peering); appliance mode and security group referencing across a TGW
 *   are not modelled. Traffic that entered a VPC through a TGW may leave it
 *   only to a local interface or a NAT gateway (no inspection-VPC hairpin
 *   back to the TGW); traffic that came over peering only to a local one.
 * - Gateway route tables (ingress routing) are not applied; customer-managed
 *   prefix lists are not resolved (a rule or route naming one matches nothing).
 * - PrivateLink (privatelink.ts): behind an endpoint to a service of your
 *   own, the load balancer's answer is the connection's; the provider side
 *   (NLB node → target) writes no flow-log records.
 * - What answers: a running instance on ICMP and every TCP port (the twin
 *   does not know what listens), an AWS service's VPC endpoint interface on
 *   443 only (an endpoint to a service of your own: what its NLB forwards), AWS
 *   service endpoints on 80/443 but not ICMP, internet hosts on ICMP, 80 and
 *   443. A path answers every packet or none (no partial loss); responders
 *   are Linux (TTL 64 less each routed hop: TGW, NAT gateway, appliance).
 * - DNS: no Route 53 private hosted zones or Resolver rules, so interface
 *   endpoints answer only inside their own VPC. A subnet with no recorded
 *   network ACL is treated as having the default (allow-all) one.
 */

import { isIpv4 } from '../../common/ip.ts';
import type { NetworkInterfaceState } from '../services/ec2/model/state.ts';
import type { Twin } from '../twin.ts';
import { type ProbeProtocol, replyFlow, requestFlow } from './flow.ts';
import { stableHash } from './hash.ts';
import { throughPrivateLink } from './privatelink.ts';
import { NetworkView } from './view.ts';
import { type WalkResult, walkFrom, walkInto } from './walk.ts';
import type { Arrival, EniTouch, Hop, Walk } from './walk-state.ts';
import { silentBecause } from './walk-targets.ts';

/**
 * Does an ICMP echo or a TCP connection from an interface to an address get
 * an answer, as AWS would decide it: the request's walk, then the answer's
 * own walk back, which must be routable too (a missing return route means
 * no answer, whatever the request did).
 */
export interface ProbeRequest {
  from: { accountId: string; region: string; networkInterfaceId: string };
  /** An IPv4 address (resolve names first: dns.ts). */
  to: string;
  protocol: ProbeProtocol;
  /** Varies the client's ephemeral port between probes. */
  seed?: number;
}

export interface ProbeResult {
  answered: boolean;
  /** The request's hops, then the answer's. */
  hops: Hop[];
  diedAt?: { hop: Hop; reason: string; direction: 'request' | 'reply' };
  /** Every interface a packet touched, request and answer, for flow logs. */
  touched: EniTouch[];
  /** TTL of the answer as it arrives: the responder's initial TTL less each routed hop. */
  ttl?: number;
  /** Round-trip time before jitter, in ms. */
  rttMs?: number;
  /** What the request reached, when it reached something. */
  reached?:
    | { kind: 'eni'; networkInterfaceId: string }
    | { kind: 'service'; endpointId?: string }
    | { kind: 'internet' };
  /** NAT gateways the request went through, and the internet gateway exit, if any. */
  natGatewayIds: string[];
  leftThroughInternetGateway: boolean;
}

/** Linux answers with TTL 64; hosts on the internet are some dozen routers away. */
const LINUX_TTL = 64;
const INTERNET_TTL = 52;
const HOST_PROCESSING_MS = 0.02;

function died(walk: Walk, direction: 'request' | 'reply'): ProbeResult['diedAt'] {
  return walk.died && { ...walk.died, direction };
}

/** Whether what the request reached answers this protocol at all. */
function answers(
  view: NetworkView,
  arrival: Arrival,
  protocol: ProbeProtocol,
  srcIp: string,
): string | undefined {
  if (arrival.kind === 'eni') {
    const eni = arrival.eni;
    if (eni.attachment?.instanceId) return undefined;
    // Behind an endpoint to a service of your own, the service's load balancer and target answer.
    const privateLink = throughPrivateLink(view, eni, protocol, srcIp);
    if (privateLink) return privateLink.answered ? undefined : privateLink.because;
    if (eni.interfaceType === 'vpc_endpoint') {
      return protocol !== 'icmp' && protocol.tcp === 443
        ? undefined
        : `${eni.id} (a VPC endpoint) answers only HTTPS on port 443`;
    }
    return `${eni.id} (${eni.interfaceType}) does not answer ${protocol === 'icmp' ? 'ICMP echo' : `port ${protocol.tcp}`}`;
  }
  if (protocol === 'icmp')
    return arrival.kind === 'service' ? 'AWS service endpoints do not answer ICMP echo' : undefined;
  return [80, 443].includes(protocol.tcp) ? undefined : `nothing answers on port ${protocol.tcp} there`;
}

/** Follows the answer back: to the address the responder saw, then undoing each NAT translation. */
function answerTrip(view: NetworkView, forward: WalkResult): WalkResult[] {
  const request = forward.walk;
  const arrival = forward.arrival!;
  const flow = replyFlow(request.flow);
  const trips: WalkResult[] = [];
  const remote = request.dstIp;
  if (arrival.kind === 'eni') trips.push(walkFrom(view, arrival.eni, request.srcIp, flow, true));
  else if (arrival.kind === 'service' && arrival.endpointId) {
    trips.push(walkInto(view, arrival.vpcId, { ip: remote, through: 'endpoint' }, request.srcIp, flow));
  } else
    trips.push(
      walkInto(
        view,
        arrival.vpcId,
        { ip: remote, through: 'igw' },
        request.exit?.privateIp ?? request.srcIp,
        flow,
      ),
    );
  for (const t of [...request.translations].reverse()) {
    const last = trips[trips.length - 1]!;
    if (last.walk.died || last.arrival?.kind !== 'eni' || last.arrival.eni.id !== t.natEniId) break;
    // The NAT gateway rewrites only the destination back: the source stays the remote's address.
    trips.push(walkFrom(view, last.arrival.eni, t.original, flow, true, remote));
  }
  return trips;
}

function sum(trips: WalkResult[], pick: (w: Walk) => number): number {
  return trips.reduce((total, t) => total + pick(t.walk), 0);
}

function reachedOf(arrival: Arrival): ProbeResult['reached'] {
  if (arrival.kind === 'eni') return { kind: 'eni', networkInterfaceId: arrival.eni.id };
  if (arrival.kind === 'service')
    return { kind: 'service', ...(arrival.endpointId && { endpointId: arrival.endpointId }) };
  return { kind: 'internet' };
}

function unanswered(partial: Partial<ProbeResult> & { hops: Hop[]; touched: EniTouch[] }): ProbeResult {
  return { answered: false, natGatewayIds: [], leftThroughInternetGateway: false, ...partial };
}

/**
 * Probes `to` from an interface, hop by hop.
 *
 * @example probePath(twin, { from: { accountId, region, networkInterfaceId: 'eni-0…' }, to: '10.60.1.10', protocol: 'icmp' }).diedAt?.reason
 */
export function probePath(twin: Twin, request: ProbeRequest): ProbeResult {
  const view = new NetworkView(twin);
  const source = view.eni(request.from.networkInterfaceId);
  const at = request.from.networkInterfaceId;
  if (!source) return unanswered({ hops: [], touched: [], diedAt: dead(at, `${at} does not exist`) });
  const silent = silentBecause(view, source);
  if (silent) return unanswered({ hops: [], touched: [], diedAt: dead(at, silent) });
  if (!isIpv4(request.to))
    return unanswered({ hops: [], touched: [], diedAt: dead(at, `${request.to} is not an IPv4 address`) });
  if (request.to === source.privateIp || request.to.startsWith('127.')) {
    return {
      answered: true,
      hops: [],
      touched: [],
      ttl: LINUX_TTL,
      rttMs: 0.03,
      natGatewayIds: [],
      leftThroughInternetGateway: false,
    };
  }
  const flow = requestFlow(request.protocol, request.seed ?? stableHash(`${source.id}>${request.to}`));
  const forward = walkFrom(view, source, request.to, flow, false);
  const base = {
    natGatewayIds: forward.walk.translations.map((t) => t.natGatewayId),
    leftThroughInternetGateway: Boolean(forward.walk.exit),
  };
  if (!forward.arrival)
    return {
      answered: false,
      hops: forward.walk.hops,
      touched: forward.walk.touches,
      diedAt: died(forward.walk, 'request'),
      ...base,
    };
  const reached = reachedOf(forward.arrival);
  const mute = answers(view, forward.arrival, request.protocol, forward.walk.srcIp);
  if (mute) {
    const hop = {
      at: reached?.kind === 'eni' ? reached.networkInterfaceId : request.to,
      says: mute,
      ok: false,
    };
    return {
      answered: false,
      hops: [...forward.walk.hops, hop],
      touched: forward.walk.touches,
      diedAt: { hop, reason: mute, direction: 'request' },
      reached,
      ...base,
    };
  }
  return finish(view, forward, source, reached, base);
}

function finish(
  view: NetworkView,
  forward: WalkResult,
  source: NetworkInterfaceState,
  reached: ProbeResult['reached'],
  base: Pick<ProbeResult, 'natGatewayIds' | 'leftThroughInternetGateway'>,
): ProbeResult {
  const trips = answerTrip(view, forward);
  const all = [forward, ...trips];
  const hops = all.flatMap((t) => t.walk.hops);
  const touched = all.flatMap((t) => t.walk.touches);
  const last = trips[trips.length - 1]!;
  const failed = trips.find((t) => t.walk.died);
  if (failed) return { answered: false, hops, touched, diedAt: died(failed.walk, 'reply'), reached, ...base };
  if (last.arrival?.kind !== 'eni' || last.arrival.eni.id !== source.id) {
    const hop = { at: source.id, says: `the answer did not come back to ${source.id}`, ok: false };
    return {
      answered: false,
      hops: [...hops, hop],
      touched,
      diedAt: { hop, reason: hop.says, direction: 'reply' },
      reached,
      ...base,
    };
  }
  const initial = forward.arrival?.kind === 'internet' ? INTERNET_TTL : LINUX_TTL;
  const ttl = initial - sum(trips, (w) => w.routedHops);
  const rttMs = forward.walk.latencyMs + sum(trips, (w) => w.latencyMs) + HOST_PROCESSING_MS;
  return { answered: true, hops, touched, ttl, rttMs, reached, ...base };
}

function dead(at: string, reason: string): ProbeResult['diedAt'] {
  return { hop: { at, says: reason, ok: false }, reason, direction: 'request' };
}
