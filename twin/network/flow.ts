/**
 * What a probe sends, in the terms filters match on: IP protocol, ports
 * and ICMP type. A reply is the same flow turned around (ICMP echo reply,
 * or the server's port back to the client's ephemeral port), which is what
 * stateless network ACLs see on the way back.
 */
export type ProbeProtocol = 'icmp' | { tcp: number };

export interface Flow {
  protocol: 'icmp' | 'tcp';
  /** TCP ports; 0 for ICMP, as flow logs record it. */
  srcPort: number;
  dstPort: number;
  /** ICMP type and code: 8/0 echo request, 0/0 echo reply. */
  icmpType: number;
  icmpCode: number;
}

/** IANA protocol numbers, as network ACL entries and flow logs write them. */
export const PROTOCOL_NUMBER = { icmp: 1, tcp: 6 } as const;

/**
 * Linux picks client ports from 32768–60999 (`net.ipv4.ip_local_port_range`);
 * a stable pick per probe keeps flow records reproducible.
 */
export function ephemeralPort(seed: number): number {
  return 32768 + (seed % (60999 - 32768));
}

/** The request flow of a probe. */
export function requestFlow(protocol: ProbeProtocol, seed: number): Flow {
  if (protocol === 'icmp') return { protocol: 'icmp', srcPort: 0, dstPort: 0, icmpType: 8, icmpCode: 0 };
  return { protocol: 'tcp', srcPort: ephemeralPort(seed), dstPort: protocol.tcp, icmpType: -1, icmpCode: -1 };
}

/** The answer to `flow`: echo reply, or TCP from the server port to the client's port. */
export function replyFlow(flow: Flow): Flow {
  if (flow.protocol === 'icmp') return { ...flow, icmpType: 0, icmpCode: 0 };
  return { ...flow, srcPort: flow.dstPort, dstPort: flow.srcPort };
}

/** Whether a rule's protocol (`-1`, a name or a number as a string) covers the flow. */
export function protocolMatches(ruleProtocol: string, flow: Flow): boolean {
  const p = ruleProtocol.toLowerCase();
  if (p === '-1' || p === 'all') return true;
  return p === flow.protocol || p === String(PROTOCOL_NUMBER[flow.protocol]);
}

/** "ICMP echo request", "TCP port 443", for hop explanations. */
export function describeFlow(flow: Flow): string {
  if (flow.protocol === 'tcp') return `TCP ${flow.srcPort}→${flow.dstPort}`;
  return flow.icmpType === 8
    ? 'ICMP echo request'
    : flow.icmpType === 0
      ? 'ICMP echo reply'
      : `ICMP type ${flow.icmpType}`;
}
