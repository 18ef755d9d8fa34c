import { createServer, type Server, type Socket } from 'node:net';
import { isIpv4, isPrivateAddress } from '../../common/ip.ts';
import type { CallerPosition } from '../core/principal.ts';
import { type DnsAnswer, parseServiceHostname, resolveName } from '../network/dns.ts';
import { resolveEndpointDnsName } from '../network/privatelink-dns.ts';
import { externalHostAddress, servicePublicAddress } from '../network/public-addresses.ts';
import { type ProbeResult, probePath } from '../network/reachability.ts';
import { traceServicePath } from '../network/service-path.ts';
import { recordTraffic } from '../network/traffic-log.ts';
import type { Twin } from '../twin.ts';

/**
 * The twin's answers to a function's network questions, asked by its
 * worker (worker/network-hooks.mjs): what a name resolves to, and whether
 * a TCP connection to an address gets an answer, from where the function
 * sits. A VPC function asks as its Hyperplane ENI; a function outside any
 * VPC sits on Lambda's own network, which reaches the internet and AWS's
 * public endpoints but no VPC's private addresses.
 */
export type DnsReply = { addresses: string[] } | { code: 'ENOTFOUND' | 'EAI_AGAIN' };
export type ConnectVerdict =
  | { kind: 'sink'; port: number }
  | { kind: 'hang'; because: string }
  | { code: string };

/** DNS as the internet answers it: no VPC, so no private names; an interface endpoint's own names are public. */
function publicResolve(twin: Twin, hostname: string): DnsAnswer {
  const endpointName = resolveEndpointDnsName(twin, hostname);
  if (endpointName) return endpointName;
  const name = hostname.toLowerCase().replace(/\.$/, '');
  const service = parseServiceHostname(name);
  if (service)
    return {
      found: true,
      via: 'public',
      addresses: [servicePublicAddress(service.region ?? 'us-east-1', service.service)],
    };
  if (!name.includes('.') || /\.(internal|local|localdomain|invalid|test)$/.test(name)) {
    return { found: false, error: 'NXDOMAIN', because: `${hostname} does not exist` };
  }
  return { found: true, via: 'public', addresses: [externalHostAddress(name)] };
}

/** Resolves `hostname` from the function's position; SERVFAIL reads as getaddrinfo's EAI_AGAIN. */
export function answerDns(twin: Twin, position: CallerPosition | undefined, hostname: string): DnsReply {
  if (isIpv4(hostname)) return { addresses: [hostname] };
  const answer = position ? resolveName(twin, position, hostname) : publicResolve(twin, hostname);
  if (answer.found) return { addresses: answer.addresses };
  return { code: answer.error === 'SERVFAIL' ? 'EAI_AGAIN' : 'ENOTFOUND' };
}

/** One TCP connection's first packet and its answer, recorded for flow logs. */
function recordConnect(twin: Twin, probe: ProbeResult): void {
  const now = twin.clock.now();
  recordTraffic(twin, {
    start: now,
    end: now + Math.max(1, Math.round(probe.rttMs ?? 1)),
    packets: 1,
    bytesPerPacket: 60,
    touched: probe.touched,
    answered: probe.answered,
  });
}

/**
 * Whether a connection from the function to `host:port` opens. With a
 * path it goes to the twin's stand-in on 127.0.0.1 (`sinkPort`); without
 * one it hangs, as SYNs into a VPC with no route do. VPC traffic is
 * recorded for flow logs.
 */
export function decideConnect(
  twin: Twin,
  position: CallerPosition | undefined,
  host: string,
  port: number,
  sinkPort: number,
): ConnectVerdict {
  if (!isIpv4(host) && host.includes(':')) return { kind: 'hang', because: 'the twin has no IPv6 networks' };
  const dns = answerDns(twin, position, host);
  if ('code' in dns) return { code: dns.code };
  const ip = dns.addresses[0]!;
  if (!position) {
    return isPrivateAddress(ip)
      ? { kind: 'hang', because: `${ip} is private and the function is in no VPC` }
      : { kind: 'sink', port: sinkPort };
  }
  const probe = probePath(twin, {
    from: {
      accountId: position.accountId,
      region: position.region,
      networkInterfaceId: position.networkInterfaceId,
    },
    to: ip,
    protocol: { tcp: port },
  });
  recordConnect(twin, probe);
  if (probe.answered) return { kind: 'sink', port: sinkPort };
  return { kind: 'hang', because: probe.diedAt?.reason ?? `no answer from ${ip}:${port}` };
}

/** The credential scope a SigV4 request names: in its Authorization header, or a presigned URL's query. */
export function signedScope(head: string): { service: string; region: string } | undefined {
  const m =
    /Credential=[^/\s,]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/.exec(head) ??
    /X-Amz-Credential=[^&\s]+?(?:%2F|\/)\d{8}(?:%2F|\/)([a-z0-9-]+)(?:%2F|\/)([a-z0-9-]+)(?:%2F|\/)aws4_request/i.exec(
      head,
    );
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

/**
 * Whether a function's connection to the twin, carrying a request for the
 * service its first bytes name, opens. In a VPC a service with no path is
 * a connect that never completes (a SYN with no route gets no answer); a
 * service that is merely slow accepts the connection and answers late —
 * the gateway's latency, not this. Outside a VPC, Lambda's own network
 * reaches every public endpoint.
 */
export function decideServiceConnect(
  twin: Twin,
  position: CallerPosition | undefined,
  head: string,
): { kind: 'twin' } | { kind: 'hang'; because: string } {
  const scope = signedScope(head);
  // Unsigned requests go through: the twin answers them with AWS's own error.
  if (!position || !scope) return { kind: 'twin' };
  const { path, probe } = traceServicePath(twin, position, scope.service, scope.region);
  // The connection's SYN (and its answer) pass the ENIs as any other: flow logs record them.
  if (probe) recordConnect(twin, probe);
  return path.reachable ? { kind: 'twin' } : { kind: 'hang', because: path.because };
}

const STAND_IN_BODY = 'This host is on the internet. The lab twin answers for it without contacting it.\n';

/**
 * What answers for a reachable host that is not the twin: a listener on
 * 127.0.0.1 that accepts every connection; a plain HTTP request gets a
 * short 200, a TLS ClientHello (first byte 0x16) is closed at once (the
 * twin holds no certificate for the host), other protocols see an open,
 * silent connection until they close it.
 */
export class InternetStandIn {
  private server: Server | undefined;
  private listening: Promise<number> | undefined;
  private readonly sockets = new Set<Socket>();

  port(): Promise<number> {
    this.listening ??= new Promise((resolve, reject) => {
      const server = createServer((socket) => this.accept(socket));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.unref();
        resolve((server.address() as { port: number }).port);
      });
      this.server = server;
    });
    return this.listening;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(60_000, () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      if (chunk[0] === 0x16) return socket.destroy();
      if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(chunk.toString('latin1'))) {
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${STAND_IN_BODY.length}\r\nconnection: close\r\n\r\n${STAND_IN_BODY}`,
        );
      }
    });
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }
}
