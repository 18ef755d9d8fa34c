import { isIpv4 } from '../../../../../common/ip.ts';
import { resolveName } from '../../../../network/dns.ts';
import { stableHash } from '../../../../network/hash.ts';
import { probePath } from '../../../../network/reachability.ts';
import { NetworkView } from '../../../../network/view.ts';
import { privateDnsName } from '../agent.ts';
import { type Outcome, outcome, type Program, type RunAt, recordRun, type ShellHost } from './host.ts';

/**
 * `ping` as Amazon Linux's iputils prints it (aws-fidelity.md, "Ping
 * output"; iputils ping_common.c): one line per reply, the statistics
 * block, `rtt min/avg/max/mdev`; exit 0 if any reply came, 1 if none (or
 * fewer than asked before a -w deadline), 2 on a usage or name error.
 */
interface PingOptions {
  count?: number;
  /** Seconds between packets (-i, default 1). */
  interval: number;
  /** Seconds to wait for a reply once all are sent (-W, default 10). */
  linger: number;
  /** Seconds before ping exits whatever happened (-w). */
  deadline?: number;
  quiet: boolean;
  numeric: boolean;
  size: number;
  host?: string;
}

const WITH_VALUE = new Set(['c', 'i', 'W', 'w', 's', 't', 'I', 'l', 'p', 'Q', 'M', 'T']);
const FLAGS = new Set(['q', 'n', '4', 'v', 'D', 'O', 'a', 'A', 'b', 'B', 'd', 'f', 'L', 'r', 'R', 'U']);

function badArgument(value: string, min?: number): string {
  return min === undefined
    ? `ping: invalid argument: '${value}'`
    : `ping: invalid argument: '${value}': out of range: ${min} <= value <= 9223372036854775807`;
}

function applyOption(opts: PingOptions, flag: string, value: string): string | undefined {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value)) return badArgument(value);
  if (flag === 'c') {
    if (!Number.isInteger(n) || n < 1) return badArgument(value, 1);
    opts.count = n;
  } else if (flag === 'i') opts.interval = n;
  else if (flag === 'W') opts.linger = n;
  else if (flag === 'w') opts.deadline = n;
  else if (flag === 's') opts.size = n;
  return undefined;
}

/** iputils' option syntax: `-c 3`, `-c3`, clustered flags (`-qn`). */
function parseArgs(argv: string[]): PingOptions | string {
  const opts: PingOptions = { interval: 1, linger: 10, quiet: false, numeric: false, size: 56 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      opts.host = arg;
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (WITH_VALUE.has(flag)) {
        const value = arg.slice(j + 1) || argv[++i];
        if (value === undefined) return `ping: option requires an argument -- '${flag}'`;
        const problem = applyOption(opts, flag, value);
        if (problem) return problem;
        break;
      }
      if (!FLAGS.has(flag))
        return `ping: invalid option -- '${flag}'\n\nUsage\n  ping [options] <destination>`;
      if (flag === 'q') opts.quiet = true;
      if (flag === 'n') opts.numeric = true;
    }
  }
  return opts.host ? opts : 'ping: usage error: Destination address required';
}

/** iputils writes an RTT with three significant-ish decimals: 0.912, 1.23, 12.3, 123. */
function replyTime(ms: number): string {
  const us = Math.round(ms * 1000);
  if (us >= 100_000 - 50) return String(Math.round(us / 1000));
  if (us >= 10_000 - 5) return (us / 1000).toFixed(1);
  if (us >= 1000) return (us / 1000).toFixed(2);
  return (us / 1000).toFixed(3);
}

function statistics(rtts: number[]): string {
  const min = Math.min(...rtts);
  const max = Math.max(...rtts);
  const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
  const mdev = Math.sqrt(Math.max(0, rtts.reduce((a, b) => a + b * b, 0) / rtts.length - avg * avg));
  return `rtt min/avg/max/mdev = ${[min, avg, max, mdev].map((v) => v.toFixed(3)).join('/')} ms`;
}

/** How many packets go out: -c, else as many as fit before -w, else until the command is killed. */
function packetsToSend(opts: PingOptions, remainingMs: number): { sent: number; killed: boolean } {
  const interval = Math.max(opts.interval, 0.002);
  const byDeadline =
    opts.deadline !== undefined ? Math.max(1, Math.ceil(opts.deadline / interval)) : undefined;
  if (opts.count !== undefined)
    return { sent: Math.min(opts.count, byDeadline ?? opts.count), killed: false };
  if (byDeadline !== undefined) return { sent: byDeadline, killed: false };
  return { sent: Math.max(1, Math.floor(remainingMs / (interval * 1000)) + 1), killed: true };
}

/** Per-packet RTTs: the first a little slower (flow setup), the rest jittered around the path's RTT. */
function rttsFor(base: number, count: number, seed: string): number[] {
  return Array.from({ length: count }, (_, i) => {
    const spread = 0.9 + ((stableHash(`${seed}:${i}`) % 1000) / 1000) * 0.25;
    return base * spread * (i === 0 ? 1.4 : 1);
  });
}

function replyFrom(host: ShellHost, target: string, ip: string, opts: PingOptions): string {
  if (isIpv4(target) || opts.numeric) return ip;
  const view = new NetworkView(host.twin);
  const lab = view.models.some((m) => [...m.networkInterfaces.values()].some((e) => e.privateIp === ip));
  return lab ? `${privateDnsName(ip, host.region)} (${ip})` : ip;
}

function summary(target: string, sent: number, received: number, timeMs: number): string {
  const loss = sent ? Number((((sent - received) / sent) * 100).toPrecision(6)) : 0;
  return `\n--- ${target} ping statistics ---\n${sent} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.round(timeMs)}ms\n`;
}

function pingTo(host: ShellHost, opts: PingOptions, target: string, ip: string, at: RunAt): Outcome {
  const probe = probePath(host.twin, {
    from: {
      accountId: host.position.accountId,
      region: host.region,
      networkInterfaceId: host.position.networkInterfaceId,
    },
    to: ip,
    protocol: 'icmp',
  });
  const { sent, killed } = packetsToSend(opts, at.remainingMs);
  const spacing = opts.interval * 1000;
  const rtts = probe.answered ? rttsFor(probe.rttMs ?? 0.5, sent, `${host.seed}:${at.line}`) : [];
  const jitter = stableHash(`${host.seed}:${at.line}:time`);
  let out = `PING ${target} (${ip}) ${opts.size}(${opts.size + 28}) bytes of data.\n`;
  if (!opts.quiet) {
    const from = replyFrom(host, target, ip, opts);
    out += rtts
      .map(
        (rtt, i) =>
          `${opts.size + 8} bytes from ${from}: icmp_seq=${i + 1} ttl=${probe.ttl} time=${replyTime(rtt)} ms\n`,
      )
      .join('');
  }
  const sendingMs = (sent - 1) * spacing;
  const waited = probe.answered ? (rtts[rtts.length - 1] ?? 0) : opts.linger * 1000;
  const realMs = Math.min(
    sendingMs + waited,
    opts.deadline !== undefined ? opts.deadline * 1000 : Number.POSITIVE_INFINITY,
  );
  recordRun(host, at, realMs, {
    packets: sent,
    bytesPerPacket: opts.size + 28,
    touched: probe.touched,
    answered: probe.answered,
  });
  if (killed) return outcome(out, '', -1, at.remainingMs);
  const timeMs = sendingMs + (probe.answered ? Math.ceil(waited) + (jitter % 3) : 20 + (jitter % 40));
  out += summary(target, sent, rtts.length, timeMs);
  out += rtts.length ? `${statistics(rtts)}\n` : '\n';
  const exitCode =
    rtts.length === 0 || (opts.deadline !== undefined && rtts.length < (opts.count ?? sent)) ? 1 : 0;
  return outcome(out, '', exitCode, realMs);
}

/** The `ping` program. */
export const ping: Program = (host, argv, at) => {
  const opts = parseArgs(argv.slice(1));
  if (typeof opts === 'string') return outcome('', `${opts}\n`, 2, 1);
  const target = opts.host!;
  const dns = resolveName(host.twin, host.position, target);
  if (!dns.found) {
    const why =
      dns.error === 'SERVFAIL' ? 'Temporary failure in name resolution' : 'Name or service not known';
    return outcome('', `ping: ${target}: ${why}\n`, 2, dns.error === 'SERVFAIL' ? 10_000 : 3);
  }
  return pingTo(host, opts, target, dns.addresses[0]!, at);
};
