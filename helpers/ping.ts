import { type Outcome, outcomeLine } from '../common/outcome.ts';
import type { AwsClients } from './clients.ts';
import { CannotTellError } from './errors.ts';
import { runShell, type ShellResult } from './ssm.ts';

/**
 * What a probe run on a host heard. Silence is evidence only when the
 * program proves it ran and waited: a missing `ping` (exit 127), a shell
 * error or a usage error also print no replies, and must never read as "no
 * answer" on a deny row (issue 9, "Silence needs proof the probe ran").
 */
export type Heard = 'answered' | 'silent';

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
  heard: Heard;
  /** `ok` when a reply came, `timeout` when none did. */
  outcome: Outcome;
  /** One line: `app-a → app-b (ICMP): ok (3/3 replies)`. */
  summary: string;
  exitCode: number;
  status: string;
  commandId: string;
  output: string;
}

/** Parses iputils ping output (Amazon Linux): the summary and rtt lines; `statistics` is whether ping printed them. */
export function parsePing(output: string): Pick<
  PingEvidence,
  'transmitted' | 'received' | 'lossPercent' | 'rttMs' | 'ttl'
> & {
  statistics: boolean;
} {
  const summary =
    /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ errors)?, ([\d.]+)% packet loss/.exec(
      output,
    );
  const rtt = /rtt min\/avg\/max\/mdev = ([\d.]+)\/([\d.]+)\/([\d.]+)\/[\d.]+ ms/.exec(output);
  const ttl = /ttl=(\d+)/.exec(output);
  return {
    statistics: Boolean(summary),
    transmitted: summary ? Number(summary[1]) : 0,
    received: summary ? Number(summary[2]) : 0,
    lossPercent: summary ? Number(summary[3]) : 100,
    ...(rtt && { rttMs: { min: Number(rtt[1]), avg: Number(rtt[2]), max: Number(rtt[3]) } }),
    ...(ttl && { ttl: Number(ttl[1]) }),
  };
}

/**
 * What a ping heard, or undefined when its output proves nothing. iputils
 * exits 0 when a reply came and 1 when none did, after printing its
 * statistics; exit 2 (usage, unknown host), 127 (no ping) or a run cut
 * short prints none (iputils ping(8), "EXIT STATUS").
 *
 * @example
 *   readPing(0, '3 packets transmitted, 3 received, 0% packet loss, time 2003ms') // 'answered'
 *   readPing(127, '') // undefined
 */
export function readPing(exitCode: number, stdout: string): Heard | undefined {
  const seen = parsePing(stdout);
  if (!seen.statistics || seen.transmitted < 1) return undefined;
  if (exitCode === 0 && seen.received > 0) return 'answered';
  if (exitCode === 1 && seen.received === 0) return 'silent';
  return undefined;
}

/** The suite cannot tell: the command ran, or did not, without proving what the network did. */
function unproven(what: string, command: string, result: ShellResult): CannotTellError {
  const output = (result.stdout + result.stderr).trim().slice(-400) || 'no output';
  return new CannotTellError(
    `${what}: \`${command}\` exited ${result.exitCode} without proving it probed (command ${result.commandId}): ${output}`,
    'unknown',
  );
}

/**
 * Pings `toIp` from the instance `fromInstanceId`.
 *
 * @example
 *   const ping = await pingFrom(clients, { name: 'app-a', instanceId: 'i-0abc' }, { name: 'app-b', ip: '172.21.1.10' });
 *   ping.heard // 'answered' or 'silent'; anything else throws CannotTellError
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
  const heard = readPing(result.exitCode, result.stdout);
  if (!heard) throw unproven(`ping from ${from.name} to ${to.name}`, command, result);
  const { statistics: _, ...seen } = parsePing(result.stdout);
  const outcome: Outcome = heard === 'answered' ? 'ok' : 'timeout';
  return {
    from: from.name,
    to: to.name,
    command,
    ...seen,
    heard,
    outcome,
    summary: outcomeLine({
      what: `${from.name} → ${to.name} (ICMP)`,
      outcome,
      detail: `${seen.received}/${seen.transmitted} replies from ${to.ip}`,
    }),
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
  /** How nc said the connection ended: connected, timed out, or refused by the host. */
  said: NcSaid;
  /** `ok` connected, `timeout` when nothing answered, `denied` when the host refused the port. */
  outcome: Outcome;
  /** One line: `app-a → app-b (TCP 443): timeout (nc: timeout)`. */
  summary: string;
  exitCode: number;
  commandId: string;
  output: string;
}

export type NcSaid = 'connected' | 'timeout' | 'refused';

const NC_OUTCOME: Record<NcSaid, Outcome> = { connected: 'ok', timeout: 'timeout', refused: 'denied' };

// nmap-ncat (Amazon Linux 2023) and OpenBSD netcat (Ubuntu) phrase the same three endings.
const NC_SAID: [NcSaid, RegExp][] = [
  ['connected', /^Ncat: Connected to \S+\.$|^Connection to \S+ \d+ port \S+ succeeded!$/m],
  ['timeout', /^Ncat: (?:TIMEOUT|Connection timed out)\.$|^nc: connect to \S+ port \d+ \(tcp\) timed out/m],
  [
    'refused',
    /^Ncat: Connection refused\.$|^nc: connect to \S+ port \d+ \(tcp\) failed: Connection refused$/m,
  ],
];

/**
 * How `nc -z -v` ended, or undefined when its output proves nothing (exit
 * 127, a usage or name error, a shell error). ncat exits 0 connected, 1 on
 * a timeout or refusal, 2 on its own errors (ncat(1), "EXIT CODE").
 *
 * @example
 *   readNc(1, 'Ncat: Version 7.93 ( https://nmap.org/ncat )\nNcat: TIMEOUT.') // 'timeout'
 */
export function readNc(exitCode: number, output: string): NcSaid | undefined {
  const said = NC_SAID.find(([, pattern]) => pattern.test(output))?.[0];
  if (said === 'connected') return exitCode === 0 ? said : undefined;
  if (said) return exitCode === 1 ? said : undefined;
  return undefined;
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
  const output = (result.stdout + result.stderr).trim();
  const said = readNc(result.exitCode, output);
  if (!said) throw unproven(`nc from ${from.name} to ${to.name}:${to.port}`, command, result);
  return {
    from: from.name,
    to: to.name,
    command,
    port: to.port,
    open: said === 'connected',
    said,
    outcome: NC_OUTCOME[said],
    summary: outcomeLine({
      what: `${from.name} → ${to.name} (TCP ${to.port})`,
      outcome: NC_OUTCOME[said],
      detail: `${to.ip}:${to.port} ${said}`,
    }),
    exitCode: result.exitCode,
    commandId: result.commandId,
    output,
  };
}

/**
 * What a reachability row heard, in the words its verdict needs: a reply or
 * a connection; the host's own refusal of the port; or silence. A refusal
 * is an answer from the host: the network carried the packet there and the
 * reset back. Security groups and network ACLs never refuse — what they do
 * not allow they drop — so a refusal proves the path is open and only the
 * port is closed (VPC User Guide, "Security groups": rules are allow-only,
 * "Network ACLs": a deny drops the packet).
 */
export type Reach = 'answered' | 'refused' | 'silent';

export function reachOf(evidence: Pick<PingEvidence, 'heard'> | Pick<ConnectEvidence, 'said'>): Reach {
  if ('heard' in evidence) return evidence.heard;
  return evidence.said === 'connected' ? 'answered' : evidence.said === 'refused' ? 'refused' : 'silent';
}

/**
 * Whether what was heard is what the row intends: an allowed pair must
 * answer (a refusal is a path with nothing listening, not a talk), and a
 * denied pair must stay silent (a refusal shows the network let it through).
 */
export function reachConforms(intent: 'allow' | 'deny', reach: Reach): boolean {
  return intent === 'allow' ? reach === 'answered' : reach === 'silent';
}
