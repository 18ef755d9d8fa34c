import { privateDnsName } from '../agent.ts';
import { outcome, type Program } from './host.ts';

/** `echo [-n] [-e] words…` as bash's builtin. */
const echo: Program = (_host, argv) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('n')) newline = false;
    if (args[0].includes('e')) escapes = true;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\\\/g, '\\');
  return outcome(text + (newline ? '\n' : ''), '', 0, 0.05);
};

/** `hostname`: the instance's private DNS name (Amazon Linux sets the IP-based name); -s short, -i/-I the address. */
const hostname: Program = (host, argv) => {
  const name = privateDnsName(host.position.privateIp, host.region);
  const flag = argv[1];
  if (flag === '-s' || flag === '--short') return outcome(`${name.split('.')[0]}\n`, '', 0, 1);
  if (flag === '-i' || flag === '--ip-address') return outcome(`${host.position.privateIp}\n`, '', 0, 1);
  if (flag === '-I' || flag === '--all-ip-addresses')
    return outcome(`${host.position.privateIp} \n`, '', 0, 1);
  return outcome(`${name}\n`, '', 0, 1);
};

const sleep: Program = (_host, argv) => {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(argv[1] ?? '');
  if (!m) return outcome('', `sleep: invalid time interval '${argv[1] ?? ''}'\n`, 1, 1);
  const factor = { '': 1000, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as '' | 's' | 'm' | 'h'];
  return outcome('', '', 0, Number(m[1]) * factor);
};

const constant =
  (stdout: string, exitCode = 0): Program =>
  () =>
    outcome(stdout, '', exitCode, 0.05);

/** Shell builtins and the small utilities a connectivity check calls. */
export const builtins: Record<string, Program> = {
  echo,
  hostname,
  sleep,
  true: constant(''),
  false: constant('', 1),
  ':': constant(''),
  set: constant(''),
  whoami: constant('root\n'),
  pwd: constant('/usr/bin\n'),
};
