import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { aws, hasAwsCli, startTestTwin, type TestTwin } from '../../support/twin.ts';

/**
 * What an operator types: the AWS CLI (botocore, awsQuery) building a
 * Network Load Balancer in front of an instance and waiting on it with the
 * CLI's own waiters (load-balancer-available, target-in-service), which
 * poll DescribeLoadBalancers and DescribeTargetHealth. The fast profile
 * settles in well under a CLI call, so each waiter's first poll succeeds.
 * Few calls: each costs about a second of CPU.
 */
let twin: TestTwin;
// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON is read field by field
type Json = any;

beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

async function ok(args: string[]): Promise<Json> {
  const out = await aws(twin, args);
  expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(0);
  return out.json;
}

describe.runIf(hasAwsCli)('aws elbv2 (CLI 2.9, awsQuery)', () => {
  test('create-load-balancer, create-target-group, register-targets, create-listener, the waiters, describe-target-health', async () => {
    const vpc = (await ok(['ec2', 'create-vpc', '--cidr-block', '10.90.0.0/16'])).Vpc.VpcId;
    const subnet = (
      await ok([
        'ec2',
        'create-subnet',
        '--vpc-id',
        vpc,
        '--cidr-block',
        '10.90.1.0/24',
        '--availability-zone',
        'us-east-1a',
      ])
    ).Subnet.SubnetId;
    const group = (
      await ok([
        'ec2',
        'create-security-group',
        '--group-name',
        'svc',
        '--description',
        'svc',
        '--vpc-id',
        vpc,
      ])
    ).GroupId;
    await ok([
      'ec2',
      'authorize-security-group-ingress',
      '--group-id',
      group,
      '--protocol',
      'tcp',
      '--port',
      '443',
      '--cidr',
      '10.90.0.0/16',
    ]);
    const instance = (
      await ok([
        'ec2',
        'run-instances',
        '--image-id',
        'ami-0abcdef1234567890',
        '--subnet-id',
        subnet,
        '--security-group-ids',
        group,
      ])
    ).Instances[0].InstanceId;

    const lb = (
      await ok([
        'elbv2',
        'create-load-balancer',
        '--name',
        'cli-nlb',
        '--type',
        'network',
        '--scheme',
        'internal',
        '--subnets',
        subnet,
      ])
    ).LoadBalancers[0];
    expect(lb).toMatchObject({ Type: 'network', Scheme: 'internal', VpcId: vpc });
    const tg = (
      await ok([
        'elbv2',
        'create-target-group',
        '--name',
        'cli-tg',
        '--protocol',
        'TCP',
        '--port',
        '443',
        '--vpc-id',
        vpc,
        '--target-type',
        'instance',
      ])
    ).TargetGroups[0];
    expect(tg).toMatchObject({ HealthCheckProtocol: 'TCP', HealthyThresholdCount: 5 });
    await ok([
      'elbv2',
      'register-targets',
      '--target-group-arn',
      tg.TargetGroupArn,
      '--targets',
      `Id=${instance}`,
    ]);
    const listener = (
      await ok([
        'elbv2',
        'create-listener',
        '--load-balancer-arn',
        lb.LoadBalancerArn,
        '--protocol',
        'TCP',
        '--port',
        '443',
        '--default-actions',
        `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`,
      ])
    ).Listeners[0];
    expect(listener).toMatchObject({ Port: 443, Protocol: 'TCP' });

    const available = await aws(twin, [
      'elbv2',
      'wait',
      'load-balancer-available',
      '--load-balancer-arns',
      lb.LoadBalancerArn,
    ]);
    expect(available.code, available.stderr).toBe(0);
    const inService = await aws(twin, [
      'elbv2',
      'wait',
      'target-in-service',
      '--target-group-arn',
      tg.TargetGroupArn,
      '--targets',
      `Id=${instance}`,
    ]);
    expect(inService.code, inService.stderr).toBe(0);
    const health = await ok(['elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn]);
    expect(health.TargetHealthDescriptions).toEqual([
      {
        Target: { Id: instance, Port: 443 },
        HealthCheckPort: '443',
        TargetHealth: { State: 'healthy' },
      },
    ]);

    const dup = await aws(twin, [
      'elbv2',
      'create-listener',
      '--load-balancer-arn',
      lb.LoadBalancerArn,
      '--protocol',
      'TLS',
      '--port',
      '443',
      '--default-actions',
      `Type=forward,TargetGroupArn=${tg.TargetGroupArn}`,
      '--certificates',
      'CertificateArn=arn:aws:acm:us-east-1:123456789012:certificate/x',
    ]);
    // The port is taken by the TCP listener.
    expect(dup.code).toBe(254);
    expect(dup.stderr).toContain('(DuplicateListener)');
    const missing = await aws(twin, ['elbv2', 'describe-load-balancers', '--names', 'no-such-nlb']);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toContain('(LoadBalancerNotFound)');
  });
});
