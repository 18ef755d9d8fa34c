import { beforeEach, describe, expect, test } from 'vitest';
import { trafficOf } from '../../../../twin/network/traffic-log.ts';
import { instancePosition } from '../../../../twin/services/ssm/model/agent.ts';
import type { ShellHost } from '../../../../twin/services/ssm/model/shell/host.ts';
import { runScript, type ScriptResult } from '../../../../twin/services/ssm/model/shell/run.ts';
import { REGION } from '../network/fixtures.ts';
import { type SsmLab, ssmLab } from './fixtures.ts';

let env: SsmLab;
let host: ShellHost;
beforeEach(() => {
  env = ssmLab();
  const { instance } = env.hosts.a;
  host = {
    twin: env.lab.twin,
    region: REGION,
    instance,
    position: instancePosition(env.lab.twin, instance, REGION)!,
    scriptPath:
      '/var/lib/amazon/ssm/i-x/document/orchestration/c/awsrunShellScript/0.awsrunShellScript/_script.sh',
    startAt: env.lab.clock.now(),
    seed: 'test',
  };
});

const run = (...commands: string[]): ScriptResult => runScript(host, commands, 3_600_000);

describe('ping', () => {
  test('an answered ping prints iputils lines, statistics and exits 0', () => {
    const r = run('ping -c 3 10.20.1.10');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PING 10.20.1.10 (10.20.1.10) 56(84) bytes of data.');
    for (const [i, line] of lines.slice(1, 4).entries()) {
      expect(line).toMatch(
        new RegExp(`^64 bytes from 10\\.20\\.1\\.10: icmp_seq=${i + 1} ttl=63 time=\\d\\.\\d{2,3} ms$`),
      );
    }
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('--- 10.20.1.10 ping statistics ---');
    expect(lines[6]).toMatch(/^3 packets transmitted, 3 received, 0% packet loss, time 200[0-9]ms$/);
    expect(lines[7]).toMatch(/^rtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/);
    expect(r.exitCode).toBe(0);
    expect(r.realMs).toBeGreaterThan(2000);
    expect(r.realMs).toBeLessThan(2100);
  });

  test('a deny pair loses every packet: 100% loss, no rtt line, exit 1, after the 10 s linger', () => {
    const r = run('ping -c 3 10.30.1.10');
    expect(r.stdout).toMatch(
      /^PING 10\.30\.1\.10 \(10\.30\.1\.10\) 56\(84\) bytes of data\.\n\n--- 10\.30\.1\.10 ping statistics ---\n3 packets transmitted, 0 received, 100% packet loss, time 20\d\dms\n\n$/,
    );
    expect(r.exitCode).toBe(1);
    expect(r.realMs).toBe(12_000);
  });

  test('-W shortens the wait for a lost reply, -w ends ping at its deadline, -q keeps only the summary', () => {
    expect(run('ping -c 2 -W 1 10.30.1.10').realMs).toBe(2000);
    const deadline = run('ping -w 3 10.30.1.10');
    expect(deadline.stdout).toContain('3 packets transmitted, 0 received');
    expect(deadline.realMs).toBe(3000);
    const quiet = run('ping -q -c 2 10.20.1.10');
    expect(quiet.stdout).not.toContain('icmp_seq');
    expect(quiet.stdout).toContain('2 packets transmitted, 2 received');
  });

  test('a name resolves through the VPC resolver and replies name the host; an unknown name exits 2', () => {
    const named = run('ping -c 1 ip-10-20-1-10.ec2.internal');
    expect(named.stdout).toContain('PING ip-10-20-1-10.ec2.internal (10.20.1.10) 56(84) bytes of data.');
    expect(named.stdout).toContain(
      '64 bytes from ip-10-20-1-10.ec2.internal (10.20.1.10): icmp_seq=1 ttl=63',
    );
    const unknown = run('ping -c 1 nowhere.internal');
    expect(unknown).toMatchObject({
      exitCode: 2,
      stdout: '',
      stderr: 'ping: nowhere.internal: Name or service not known\n',
    });
    expect(run('ping -c 0 10.20.1.10')).toMatchObject({ exitCode: 2 });
    expect(run('ping -x 10.20.1.10').stderr).toContain("ping: invalid option -- 'x'");
  });

  test('each ping is recorded for flow logs, with the interfaces it touched', () => {
    run('ping -c 3 10.20.1.10', 'ping -c 3 10.30.1.10');
    const [ok, lost] = trafficOf(env.lab.twin);
    expect(ok).toMatchObject({ packets: 3, bytesPerPacket: 84, answered: true });
    expect(
      ok!.touched.some((t) => t.networkInterfaceId === env.hosts.b.eni.id && t.direction === 'ingress'),
    ).toBe(true);
    expect(lost).toMatchObject({ answered: false });
    expect(lost!.touched.some((t) => t.networkInterfaceId === env.hosts.c.eni.id)).toBe(false);
    expect(lost!.start).toBeGreaterThan(ok!.start);
  });
});

describe('nc', () => {
  test('nc -zv prints ncat lines on stderr and exits 0 when the port opens', () => {
    const r = run('nc -zv -w 3 10.20.1.10 443');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^Ncat: Version 7\.93 \( https:\/\/nmap\.org\/ncat \)\nNcat: Connected to 10\.20\.1\.10:443\.\nNcat: 0 bytes sent, 0 bytes received in \d\.\d\d seconds\.\n$/,
    );
  });

  test('a blocked port times out after -w seconds with exit 1; without -w the kernel gives up after ~127 s', () => {
    expect(run('nc -z -w 2 10.20.1.10 22')).toMatchObject({
      exitCode: 1,
      stderr: 'Ncat: TIMEOUT.\n',
      realMs: 2000,
    });
    expect(run('nc -z 10.30.1.10 443')).toMatchObject({
      exitCode: 1,
      stderr: 'Ncat: Connection timed out.\n',
      realMs: 127_000,
    });
    expect(run('nc -z nowhere.internal 443')).toMatchObject({ exitCode: 2 });
  });
});

describe('AWS service names from the instance', () => {
  test('the ssm name resolves to the endpoint interface: HTTPS opens, ping gets nothing back', () => {
    const nc = run('nc -zv -w 2 ssm.us-east-1.amazonaws.com 443');
    expect(nc.exitCode).toBe(0);
    expect(nc.stderr).toMatch(/Connected to 10\.10\.1\.\d+:443\./);
    expect(run('ping -c 1 -W 1 ssm.us-east-1.amazonaws.com').stdout).toContain(
      '1 packets transmitted, 0 received',
    );
  });

  test('S3 has no endpoint and no NAT here: the connection times out', () => {
    expect(run('nc -z -w 5 s3.us-east-1.amazonaws.com 443')).toMatchObject({
      exitCode: 1,
      stderr: 'Ncat: TIMEOUT.\n',
    });
  });
});

describe('the script', () => {
  test('lines run in order, a failing line does not stop the next, the last status is the script status', () => {
    const r = run('false', 'echo "after false: $?"', 'hostname');
    expect(r.stdout).toBe('after false: 1\nip-10-10-1-10.ec2.internal\n');
    expect(r.exitCode).toBe(0);
    expect(run('echo one', 'false').exitCode).toBe(1);
  });

  test('&&, || and exit', () => {
    expect(run('ping -c 1 -W 1 10.30.1.10 >/dev/null && echo reachable || echo blocked').stdout).toBe(
      'blocked\n',
    );
    expect(run('ping -c 1 10.20.1.10 > /dev/null 2>&1 && echo reachable').stdout).toBe('reachable\n');
    const exited = run('echo before; exit 3', 'echo never');
    expect(exited).toMatchObject({ stdout: 'before\n', exitCode: 3 });
  });

  test('an unknown program is "command not found" from the script file, exit 127; pipes are refused', () => {
    const r = run('echo ok', 'curl https://example.com');
    expect(r.stderr).toBe(`${host.scriptPath}: line 2: curl: command not found\n`);
    expect(r.exitCode).toBe(127);
    expect(run('ping -c 1 10.20.1.10 | tail -1').stderr).toContain("'|' is not interpreted");
  });

  test('a ping without -c runs until the execution timeout', () => {
    const r = runScript(host, ['ping 10.20.1.10'], 5000);
    expect(r.timedOut).toBe(true);
    expect(r.stdout.split('\n').filter((l) => l.includes('icmp_seq'))).toHaveLength(6);
  });
});
