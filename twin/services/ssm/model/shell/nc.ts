import { resolveName } from '../../../../network/dns.ts';
import { probePath } from '../../../../network/reachability.ts';
import { type Outcome, outcome, type Program, type RunAt, recordRun, type ShellHost } from './host.ts';

/**
 * `nc` as Amazon Linux 2023 ships it (nmap-ncat 7.93): `nc -z [-v] [-w N]
 * host port` connects and closes; exit 0 when the connection opens, 1 when
 * it does not, 2 on a usage or name error. Messages go to stderr with the
 * `Ncat:` prefix; -v adds the version banner and the connected line.
 */
interface NcOptions {
  verbose: boolean;
  /** Connect timeout in seconds (-w); without it Linux gives up after its SYN retries (~127 s). */
  wait?: number;
  host?: string;
  port?: string;
}

const BANNER = 'Ncat: Version 7.93 ( https://nmap.org/ncat )\n';
/** net.ipv4.tcp_syn_retries = 6: 1+2+4+8+16+32+64 s. */
const KERNEL_CONNECT_TIMEOUT_MS = 127_000;

function parseWait(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}

function parseArgs(argv: string[]): NcOptions | string {
  const opts: NcOptions = { verbose: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (flag === 'w') {
        const value = arg.slice(j + 1) || argv[++i] || '';
        const wait = parseWait(value);
        if (wait === undefined) return `Ncat: Invalid -w timeout (must be greater than 0). QUITTING.`;
        opts.wait = wait;
        break;
      }
      if (flag === 'v') opts.verbose = true;
      else if (!'zn46'.includes(flag)) return `Ncat: Unrecognized option '-${flag}'. QUITTING.`;
    }
  }
  [opts.host, opts.port] = positional;
  if (!opts.host) return 'Ncat: You must specify a host to connect to. QUITTING.';
  if (!opts.port || !/^\d+$/.test(opts.port) || Number(opts.port) > 65535)
    return `Ncat: Invalid port number "${opts.port ?? ''}". QUITTING.`;
  return opts;
}

function connect(host: ShellHost, opts: NcOptions, ip: string, at: RunAt): Outcome {
  const port = Number(opts.port);
  const probe = probePath(host.twin, {
    from: {
      accountId: host.position.accountId,
      region: host.region,
      networkInterfaceId: host.position.networkInterfaceId,
    },
    to: ip,
    protocol: { tcp: port },
    seed: at.line * 7919 + at.offsetMs,
  });
  const banner = opts.verbose ? BANNER : '';
  if (probe.answered) {
    const realMs = Math.max(probe.rttMs ?? 1, 1);
    recordRun(host, at, realMs, { packets: 1, bytesPerPacket: 60, touched: probe.touched, answered: true });
    const seconds = Math.max(0.01, realMs / 1000).toFixed(2);
    const said = opts.verbose
      ? `${banner}Ncat: Connected to ${ip}:${port}.\nNcat: 0 bytes sent, 0 bytes received in ${seconds} seconds.\n`
      : '';
    return outcome('', said, 0, realMs);
  }
  const realMs = opts.wait !== undefined ? opts.wait * 1000 : KERNEL_CONNECT_TIMEOUT_MS;
  // SYN retransmissions back off 1, 2, 4… seconds within the wait.
  const packets = 1 + Math.max(0, Math.floor(Math.log2(Math.max(1, realMs / 1000))));
  recordRun(host, at, realMs, { packets, bytesPerPacket: 60, touched: probe.touched, answered: false });
  const why = opts.wait !== undefined ? 'TIMEOUT.' : 'Connection timed out.';
  return outcome('', `${banner}Ncat: ${why}\n`, 1, realMs);
}

/** The `nc` (ncat) program. */
export const nc: Program = (host, argv, at) => {
  const opts = parseArgs(argv.slice(1));
  if (typeof opts === 'string') return outcome('', `${opts}\n`, 2, 2);
  const dns = resolveName(host.twin, host.position, opts.host!);
  if (!dns.found) {
    const banner = opts.verbose ? BANNER : '';
    return outcome(
      '',
      `${banner}Ncat: Could not resolve hostname "${opts.host}": Name or service not known. QUITTING.\n`,
      2,
      3,
    );
  }
  return connect(host, opts, dns.addresses[0]!, at);
};
