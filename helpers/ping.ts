import type { AwsClients } from './clients.ts';
import { runShell } from './ssm.ts';

/**
 * A ping run on a lab host through SSM, as evidence: what was sent, what
 * came back, the raw output. It never decides pass or fail.
 */
export interface PingEvidence {
  from: string;
  to: string;
  command: string;
  transmitted: number;
  received: number;
  lossPercent: number;
  rttMs?: { min: number; avg: number; max: number };
  /** TTL of the first reply; it drops by one per routed hop. */
  ttl?: number;
  exitCode: number;
  status: string;
  commandId: string;
  output: string;
}

/** Parses iputils ping output (Amazon Linux): the summary and rtt lines. */
export function parsePing(
  output: string,
): Pick<PingEvidence, 'transmitted' | 'received' | 'lossPercent' | 'rttMs' | 'ttl'> {
  const summary =
    /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ errors)?, ([\d.]+)% packet loss/.exec(
      output,
    );
  const rtt = /rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)\/[\d.]+ ms/.exec(output);
  const ttl = /ttl=(\d+)/.exec(output);
  return {
    transmitted: summary ? Number(summary[1]) : 0,
    received: summary ? Number(summary[2]) : 0,
    lossPercent: summary ? Number(summary[3]) : 100,
    ...(rtt && { rttMs: { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } }),
    ...(ttl && { ttl: Number(ttl[1]) }),
  };
}

/**
 * Pings `toIp` from the instance `fromInstanceId`.
 *
 * @example
 *   const ping = await pingFrom(clients, { name: 'app-a', instanceId: 'i-0abc' }, { name: 'app-b', ip: '172.21.1.10' });
 *   ping.received > 0 // answered
 */
export async function pingFrom(
  clients: AwsClients,
  from: { name: string; instanceId: string },
  to: { name: string; ip: string },
  options: { count: number; timeoutSeconds: number; signal?: AbortSignal; runId: string },
): Promise<PingEvidence> {
  const command = `ping -c ${options.count} -W ${options.timeoutSeconds} ${to.ip}`;
  const result = await runShell(clients, from.instanceId, [command], {
    timeoutMs: 60_000 + options.count * options.timeoutSeconds * 1000,
    comment: `meshcheck ${options.runId}: ${from.name} -> ${to.name}`,
    ...(options.signal && { signal: options.signal }),
  });
  return {
    from: from.name,
    to: to.name,
    command,
    ...parsePing(result.stdout),
    exitCode: result.exitCode,
    status: result.status,
    commandId: result.commandId,
    output: (result.stdout + result.stderr).trim(),
  };
}

export interface ConnectEvidence {
  from: string;
  to: string;
  command: string;
  port: number;
  open: boolean;
  exitCode: number;
  commandId: string;
  output: string;
}

/** Tries a TCP connection from a lab host with `nc -z`, through SSM. */
export async function connectFrom(
  clients: AwsClients,
  from: { name: string; instanceId: string },
  to: { name: string; ip: string; port: number },
  options: { timeoutSeconds: number; signal?: AbortSignal; runId: string },
): Promise<ConnectEvidence> {
  const command = `nc -z -v -w ${options.timeoutSeconds} ${to.ip} ${to.port}`;
  const result = await runShell(clients, from.instanceId, [command], {
    timeoutMs: 60_000,
    comment: `meshcheck ${options.runId}: ${from.name} -> ${to.name}:${to.port}`,
    ...(options.signal && { signal: options.signal }),
  });
  return {
    from: from.name,
    to: to.name,
    command,
    port: to.port,
    open: result.exitCode === 0,
    exitCode: result.exitCode,
    commandId: result.commandId,
    output: (result.stdout + result.stderr).trim(),
  };
}
