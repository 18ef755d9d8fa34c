import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import {
  connectFrom,
  parsePing,
  pingFrom,
  reachConforms,
  reachOf,
  readNc,
  readPing,
} from '../../../helpers/ping.ts';

/** Real output, as iputils 20211215 (Amazon Linux 2023) and nmap-ncat 7.93 print it. */
const PING_ANSWERED = `PING 10.2.1.10 (10.2.1.10) 56(84) bytes of data.
64 bytes from 10.2.1.10: icmp_seq=1 ttl=126 time=1.48 ms
64 bytes from 10.2.1.10: icmp_seq=2 ttl=126 time=0.912 ms
64 bytes from 10.2.1.10: icmp_seq=3 ttl=126 time=0.934 ms

--- 10.2.1.10 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 2003ms
rtt min/avg/max/mdev = 0.912/1.108/1.478/0.259 ms
`;
const PING_SILENT = `PING 10.1.1.10 (10.1.1.10) 56(84) bytes of data.

--- 10.1.1.10 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2055ms

`;
const PING_UNREACHABLE = `PING 10.1.1.10 (10.1.1.10) 56(84) bytes of data.
From 10.0.1.1 icmp_seq=1 Destination Host Unreachable

--- 10.1.1.10 ping statistics ---
3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2040ms
`;
const NC_BANNER = 'Ncat: Version 7.93 ( https://nmap.org/ncat )\n';

describe('readPing: silence counts only when ping proves it sent and waited', () => {
  test.for([
    ['replies', 0, PING_ANSWERED, 'answered'],
    ['a single ping answered', 0, '1 packets transmitted, 1 received, 0% packet loss, time 0ms', 'answered'],
    [
      'a single ping unanswered',
      1,
      '1 packets transmitted, 0 received, 100% packet loss, time 0ms',
      'silent',
    ],
    [
      'more than nine router errors',
      1,
      '12 packets transmitted, 0 received, +12 errors, 100% packet loss, time 11040ms',
      'silent',
    ],
    ['no replies', 1, PING_SILENT, 'silent'],
    ['a router says unreachable', 1, PING_UNREACHABLE, 'silent'],
    ['no ping on the host (exit 127)', 127, '', undefined],
    ['a usage error (exit 2)', 2, '', undefined],
    ['an unknown host (exit 2)', 2, 'ping: nohost: Name or service not known\n', undefined],
    ['a shell error', 1, '', undefined],
    [
      'a run cut short before its statistics',
      -1,
      'PING 10.1.1.10 (10.1.1.10) 56(84) bytes of data.\n',
      undefined,
    ],
    [
      'statistics with nothing sent',
      1,
      '0 packets transmitted, 0 received, 100% packet loss, time 0ms',
      undefined,
    ],
    ['replies but a failing exit', 1, PING_ANSWERED, undefined],
    ['statistics of silence but exit 0', 0, PING_SILENT, undefined],
  ] as const)('%s → %s', ([, exit, out, heard]) => {
    expect(readPing(exit, out)).toBe(heard);
  });

  test('parsePing reads the summary, the rtt line and the first TTL', () => {
    expect(parsePing(PING_ANSWERED)).toEqual({
      statistics: true,
      transmitted: 3,
      received: 3,
      lossPercent: 0,
      rttMs: { min: 0.912, avg: 1.108, max: 1.478 },
      ttl: 126,
    });
    expect(parsePing(PING_UNREACHABLE)).toMatchObject({ statistics: true, transmitted: 3, received: 0 });
    expect(parsePing('bash: ping: command not found')).toMatchObject({ statistics: false, transmitted: 0 });
  });
});

describe('readNc: a closed port counts only when nc reported its timeout or refusal', () => {
  test.for([
    [
      'ncat connected',
      0,
      `${NC_BANNER}Ncat: Connected to 10.2.1.10:22.\nNcat: 0 bytes sent, 0 bytes received in 0.01 seconds.`,
      'connected',
    ],
    ['ncat -w timeout', 1, `${NC_BANNER}Ncat: TIMEOUT.`, 'timeout'],
    ['ncat kernel timeout', 1, `${NC_BANNER}Ncat: Connection timed out.`, 'timeout'],
    ['ncat refused', 1, `${NC_BANNER}Ncat: Connection refused.`, 'refused'],
    ['openbsd connected', 0, 'Connection to 10.2.1.10 22 port [tcp/ssh] succeeded!', 'connected'],
    [
      'openbsd timeout',
      1,
      'nc: connect to 10.2.1.10 port 22 (tcp) timed out: Operation now in progress',
      'timeout',
    ],
    ['openbsd refused', 1, 'nc: connect to 10.2.1.10 port 22 (tcp) failed: Connection refused', 'refused'],
    [
      'no nc (exit 127)',
      127,
      '/var/lib/amazon/ssm/i-0/document/orchestration/x/_script.sh: line 1: nc: command not found',
      undefined,
    ],
    ['a usage error (exit 2)', 2, "Ncat: Unrecognized option '-q'. QUITTING.", undefined],
    [
      'an unknown host (exit 2)',
      2,
      'Ncat: Could not resolve hostname "x": Name or service not known. QUITTING.',
      undefined,
    ],
    ['a shell error', 1, 'bash: syntax error near unexpected token', undefined],
    ['exit 0 with nothing said', 0, '', undefined],
    ['a timeout that exited 0', 0, `${NC_BANNER}Ncat: TIMEOUT.`, undefined],
    ['a connection that exited 1', 1, `${NC_BANNER}Ncat: Connected to 10.2.1.10:22.`, undefined],
  ] as const)('%s → %s', ([, exit, out, said]) => {
    expect(readNc(exit, out)).toBe(said);
  });
});

describe('pingFrom and connectFrom through SSM', () => {
  const ssm = mockClient(SSMClient);
  const clients = { ssm: new SSMClient({ region: 'us-east-1' }) } as unknown as AwsClients;
  const from = { name: 'dev-app', instanceId: 'i-0abc' };
  const options = { count: 3, timeoutSeconds: 1, runId: 'r1' };

  function answers(exit: number, stdout: string, stderr = ''): void {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }],
    });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: exit === 0 ? 'Success' : 'Failed',
      StatusDetails: exit === 0 ? 'Success' : 'Failed',
      ResponseCode: exit,
      StandardOutputContent: stdout,
      StandardErrorContent: stderr,
    });
  }
  beforeEach(() => ssm.reset());

  test('a ping that heard nothing is silence, with its evidence', async () => {
    answers(1, PING_SILENT);
    const ping = await pingFrom(clients, from, { name: 'prod-app', ip: '10.1.1.10' }, options);
    expect(ping).toMatchObject({
      heard: 'silent',
      outcome: 'timeout',
      summary: 'dev-app → prod-app (ICMP): timeout (0/3 replies from 10.1.1.10)',
      transmitted: 3,
      received: 0,
      exitCode: 1,
      commandId: 'c-1',
    });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input.Parameters).toEqual({
      commands: ['ping -c 3 -W 1 10.1.1.10'],
    });
  });

  test('a missing ping is cannot-tell, naming the exit and the output', async () => {
    answers(127, '', '_script.sh: line 1: ping: command not found\n');
    const error = await pingFrom(clients, from, { name: 'prod-app', ip: '10.1.1.10' }, options).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/exited 127 .*command not found/);
  });

  test('nc that timed out is a closed port; nc that is missing is cannot-tell', async () => {
    answers(1, '', `${NC_BANNER}Ncat: TIMEOUT.\n`);
    const nc = await connectFrom(clients, from, { name: 'prod-app', ip: '10.1.1.10', port: 22 }, options);
    expect(nc).toMatchObject({
      open: false,
      said: 'timeout',
      outcome: 'timeout',
      summary: 'dev-app → prod-app (TCP 22): timeout (10.1.1.10:22 timeout)',
    });
    ssm.reset();
    answers(127, '', 'nc: command not found');
    await expect(
      connectFrom(clients, from, { name: 'prod-app', ip: '10.1.1.10', port: 22 }, options),
    ).rejects.toBeInstanceOf(CannotTellError);
  });

  test('nc that connected is an open port', async () => {
    answers(0, '', `${NC_BANNER}Ncat: Connected to 10.1.1.10:22.\n`);
    const nc = await connectFrom(clients, from, { name: 'prod-app', ip: '10.1.1.10', port: 22 }, options);
    expect(nc).toMatchObject({ open: true, said: 'connected', outcome: 'ok', exitCode: 0 });
  });

  test('nc refused by the host: the port answered no', async () => {
    answers(1, '', `${NC_BANNER}Ncat: Connection refused.\n`);
    const nc = await connectFrom(clients, from, { name: 'prod-app', ip: '10.1.1.10', port: 22 }, options);
    expect(nc).toMatchObject({ open: false, said: 'refused', outcome: 'denied' });
  });
});

describe('parsePing: the other shapes ping prints', () => {
  test('BusyBox says "packets received"; a fractional loss; no rtt line and no TTL when nothing came back', () => {
    expect(
      parsePing(
        '--- 10.1.1.10 ping statistics ---\n3 packets transmitted, 2 packets received, 33.3333% packet loss\n',
      ),
    ).toEqual({ statistics: true, transmitted: 3, received: 2, lossPercent: 33.3333 });
  });

  test('nothing printed reads as nothing sent, nothing received, all lost', () => {
    expect(parsePing('')).toEqual({ statistics: false, transmitted: 0, received: 0, lossPercent: 100 });
  });

  test('two-digit counts and the first TTL of several', () => {
    const out = [
      '64 bytes from 10.2.1.10: icmp_seq=1 ttl=254 time=1.5 ms',
      '64 bytes from 10.2.1.10: icmp_seq=2 ttl=63 time=1.5 ms',
      '12 packets transmitted, 10 received, 16.6667% packet loss, time 11012ms',
      'rtt min/avg/max/mdev = 10.912/11.108/12.478/0.259 ms',
    ].join('\n');
    expect(parsePing(out)).toEqual({
      statistics: true,
      transmitted: 12,
      received: 10,
      lossPercent: 16.6667,
      rttMs: { min: 10.912, avg: 11.108, max: 12.478 },
      ttl: 254,
    });
  });
});

describe('pingFrom and connectFrom: the evidence a report shows, and what was asked of SSM', () => {
  const ssm = mockClient(SSMClient);
  const clients = { ssm: new SSMClient({ region: 'us-east-1' }) } as unknown as AwsClients;
  const from = { name: 'dev-app', instanceId: 'i-0abc' };
  const to = { name: 'prod-app', ip: '10.2.1.10' };

  function answers(exit: number, stdout: string, stderr = ''): void {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [{ InstanceId: 'i-0abc', PingStatus: 'Online' }],
    });
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });
    ssm.on(GetCommandInvocationCommand).resolves({
      Status: exit === 0 ? 'Success' : 'Failed',
      StatusDetails: exit === 0 ? 'Success' : 'Failed',
      ResponseCode: exit,
      StandardOutputContent: stdout,
      StandardErrorContent: stderr,
    });
  }
  const sent = () => ssm.commandCalls(SendCommandCommand)[0]!.args[0].input;
  beforeEach(() => ssm.reset());

  test('a ping that was answered: every field of its evidence', async () => {
    answers(0, PING_ANSWERED, 'warning\n');
    await expect(pingFrom(clients, from, to, { count: 3, timeoutSeconds: 1, runId: 'r1' })).resolves.toEqual({
      from: 'dev-app',
      to: 'prod-app',
      command: 'ping -c 3 -W 1 10.2.1.10',
      transmitted: 3,
      received: 3,
      lossPercent: 0,
      rttMs: { min: 0.912, avg: 1.108, max: 1.478 },
      ttl: 126,
      heard: 'answered',
      outcome: 'ok',
      summary: 'dev-app → prod-app (ICMP): ok (3/3 replies from 10.2.1.10)',
      exitCode: 0,
      status: 'Success',
      commandId: 'c-1',
      output: `${PING_ANSWERED}warning`,
    });
  });

  test('SSM is given room for every attempt to time out, and a comment naming the run and the pair', async () => {
    answers(1, PING_SILENT);
    const signal = new AbortController().signal;
    await pingFrom(clients, from, to, { count: 10, timeoutSeconds: 5, runId: 'r1', signal });
    expect(sent()).toMatchObject({
      Parameters: { commands: ['ping -c 10 -W 5 10.2.1.10'] },
      TimeoutSeconds: 110,
      Comment: 'meshcheck r1: dev-app -> prod-app',
    });
    expect((ssm.commandCalls(SendCommandCommand)[0]!.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  test('an unproven ping says which pair, which command, which exit, which SSM command, and what it printed', async () => {
    answers(2, '', 'ping: 10.2.1.10: Name or service not known\n');
    await expect(pingFrom(clients, from, to, { count: 3, timeoutSeconds: 1, runId: 'r1' })).rejects.toThrow(
      new CannotTellError(
        'ping from dev-app to prod-app: `ping -c 3 -W 1 10.2.1.10` exited 2 without proving it probed (command c-1): ping: 10.2.1.10: Name or service not known',
      ),
    );
  });

  test('an unproven probe that printed nothing says so; a long output is cut to its last 400 characters', async () => {
    answers(127, '   \n');
    await expect(pingFrom(clients, from, to, { count: 3, timeoutSeconds: 1, runId: 'r1' })).rejects.toThrow(
      /\(command c-1\): no output$/,
    );
    ssm.reset();
    answers(2, `${'a'.repeat(500)}END`);
    const error = await pingFrom(clients, from, to, { count: 3, timeoutSeconds: 1, runId: 'r1' }).catch(
      (e) => e,
    );
    expect(error.message).toMatch(/\(command c-1\): a{397}END$/);
    expect(error.kind).toBe('unknown');
  });

  test('nc connected: every field of its evidence, and what SSM was asked', async () => {
    answers(0, 'Connection to 10.2.1.10 443 port [tcp/https] succeeded!\n', '');
    const signal = new AbortController().signal;
    await expect(
      connectFrom(clients, from, { ...to, port: 443 }, { timeoutSeconds: 3, runId: 'r1', signal }),
    ).resolves.toEqual({
      from: 'dev-app',
      to: 'prod-app',
      command: 'nc -z -v -w 3 10.2.1.10 443',
      port: 443,
      open: true,
      said: 'connected',
      outcome: 'ok',
      summary: 'dev-app → prod-app (TCP 443): ok (10.2.1.10:443 connected)',
      exitCode: 0,
      commandId: 'c-1',
      output: 'Connection to 10.2.1.10 443 port [tcp/https] succeeded!',
    });
    expect(sent()).toMatchObject({
      Parameters: { commands: ['nc -z -v -w 3 10.2.1.10 443'] },
      TimeoutSeconds: 60,
      Comment: 'meshcheck r1: dev-app -> prod-app:443',
    });
    expect((ssm.commandCalls(SendCommandCommand)[0]!.args as unknown[])[1]).toEqual({ abortSignal: signal });
  });

  test('nc refused is a closed port the host answered; nc reads stdout and stderr together', async () => {
    answers(1, NC_BANNER, 'Ncat: Connection refused.\n');
    await expect(
      connectFrom(clients, from, { ...to, port: 22 }, { timeoutSeconds: 1, runId: 'r1' }),
    ).resolves.toMatchObject({
      open: false,
      said: 'refused',
      exitCode: 1,
      output: `${NC_BANNER}Ncat: Connection refused.`,
    });
  });

  test('an unproven nc names the pair and port', async () => {
    answers(2, '', "Ncat: Unrecognized option '-q'. QUITTING.");
    await expect(
      connectFrom(clients, from, { ...to, port: 22 }, { timeoutSeconds: 1, runId: 'r1' }),
    ).rejects.toThrow(
      new CannotTellError(
        "nc from dev-app to prod-app:22: `nc -z -v -w 1 10.2.1.10 22` exited 2 without proving it probed (command c-1): Ncat: Unrecognized option '-q'. QUITTING.",
      ),
    );
  });
});

describe('what a reachability row heard, and whether that is what it intends', () => {
  test('a ping answers or stays silent', () => {
    expect(reachOf({ heard: 'answered' })).toBe('answered');
    expect(reachOf({ heard: 'silent' })).toBe('silent');
  });

  test('nc connects, times out, or is refused by the host', () => {
    expect(reachOf({ said: 'connected' })).toBe('answered');
    expect(reachOf({ said: 'timeout' })).toBe('silent');
    expect(reachOf({ said: 'refused' })).toBe('refused');
  });

  test('a denied pair conforms only in silence: a refusal shows the network carried the packet', () => {
    expect(reachConforms('deny', 'silent')).toBe(true);
    expect(reachConforms('deny', 'refused')).toBe(false);
    expect(reachConforms('deny', 'answered')).toBe(false);
  });

  test('an allowed pair conforms only when it answers: a refusal is a path with nothing listening', () => {
    expect(reachConforms('allow', 'answered')).toBe(true);
    expect(reachConforms('allow', 'refused')).toBe(false);
    expect(reachConforms('allow', 'silent')).toBe(false);
  });
});
