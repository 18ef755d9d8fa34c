import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, test } from 'vitest';
import { CannotTellError, LabDeviationError } from '../../../../helpers/errors.ts';
import {
  forwardedGroups,
  getLoadBalancer,
  healthyCount,
  listenerDiffs,
  listListeners,
  loadBalancerDiffs,
  targetLine,
  waitForTargetHealth,
} from '../../../../helpers/privatelink/load-balancer.ts';
import { awsError, mockedClients } from '../support.ts';

/** P1 and P2's readings: the NLB's shape, its listener path, and its targets' health. */

const elbv2 = mockClient(ElasticLoadBalancingV2Client);
afterEach(() => elbv2.reset());

const ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/svc/1';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/svc/1';
const lb: LoadBalancer = {
  LoadBalancerArn: ARN,
  Type: 'network',
  Scheme: 'internal',
  State: { Code: 'active' },
  AvailabilityZones: [
    { ZoneName: 'eu-west-1a', SubnetId: 'subnet-a' },
    { ZoneName: 'eu-west-1b', SubnetId: 'subnet-b' },
  ],
};
const group: TargetGroup = {
  TargetGroupArn: TG,
  TargetGroupName: 'svc',
  Protocol: 'TCP',
  Port: 443,
  HealthCheckIntervalSeconds: 10,
  HealthyThresholdCount: 3,
};
const target = (
  id: string,
  State: 'healthy' | 'unhealthy' | 'initial',
  Reason?: string,
): TargetHealthDescription => ({
  Target: { Id: id, Port: 443 },
  TargetHealth: { State, ...(Reason && { Reason: Reason as 'Target.Timeout' }) },
});

describe('the load balancer (P1)', () => {
  test('internal, network, active, in exactly the intended subnets is no difference', () => {
    expect(loadBalancerDiffs(lb, ['subnet-b', 'subnet-a'])).toEqual([]);
  });

  test('internet-facing, another type, not active, and a subnet too many or too few are named', () => {
    const other: LoadBalancer = {
      ...lb,
      Type: 'application',
      Scheme: 'internet-facing',
      State: { Code: 'provisioning' },
      AvailabilityZones: [{ SubnetId: 'subnet-a' }, { SubnetId: 'subnet-z' }],
    };
    expect(loadBalancerDiffs(other, ['subnet-a', 'subnet-b'])).toEqual([
      'type application, not network',
      'scheme internet-facing, not internal',
      'state provisioning, not active',
      'also in subnet-z',
      'not in subnet-b',
    ]);
  });

  test('a load balancer that is gone is a deviation; one the runner may not read is cannot-tell', async () => {
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('LoadBalancerNotFoundException', 400));
    await expect(getLoadBalancer(mockedClients(), ARN)).rejects.toBeInstanceOf(LabDeviationError);
    elbv2.on(DescribeLoadBalancersCommand).rejects(awsError('AccessDenied', 403));
    await expect(getLoadBalancer(mockedClients(), ARN)).rejects.toBeInstanceOf(CannotTellError);
  });
});

describe('the listener path (P2)', () => {
  test('every page of listeners is read', async () => {
    elbv2
      .on(DescribeListenersCommand)
      .resolvesOnce({ Listeners: [{ Port: 80 }], NextMarker: 'm' })
      .resolves({ Listeners: [{ Port: 443 }] });
    expect((await listListeners(mockedClients(), ARN)).map((l) => l.Port)).toEqual([80, 443]);
  });

  test('a forward names one group, or several with weights', () => {
    expect(
      forwardedGroups({
        DefaultActions: [
          {
            Type: 'forward',
            TargetGroupArn: 'tg-1',
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: 'tg-1' }, { TargetGroupArn: 'tg-2' }] },
          },
          { Type: 'fixed-response' },
        ],
      }),
    ).toEqual(['tg-1', 'tg-2']);
  });

  test('TCP on the port to a TCP group on the target port is no difference', () => {
    expect(listenerDiffs({ Port: 443, Protocol: 'TCP' }, [group], { port: 443, targetPort: 443 })).toEqual(
      [],
    );
  });

  test('no listener, TLS, no group, and a group of another protocol or port are named', () => {
    expect(listenerDiffs(undefined, [], { port: 443, targetPort: 443 })).toEqual(['no listener on port 443']);
    expect(
      listenerDiffs({ Port: 443, Protocol: 'TLS' }, [{ ...group, Protocol: 'UDP', Port: 8080 }], {
        port: 443,
        targetPort: 443,
      }),
    ).toEqual([
      'listener 443 speaks TLS, not TCP',
      'target group svc speaks UDP, not TCP',
      'target group svc forwards to port 8080, not 443',
    ]);
    expect(listenerDiffs({ Port: 443, Protocol: 'TCP' }, [], { port: 443, targetPort: 443 })).toEqual([
      'listener 443 forwards to no target group',
    ]);
  });

  test('targets are counted healthy and named with their reason', () => {
    const targets = [target('10.8.1.5', 'healthy'), target('10.8.1.6', 'unhealthy', 'Target.Timeout')];
    expect(healthyCount(targets)).toBe(1);
    expect(targetLine(targets[1]!)).toBe('10.8.1.6:443 unhealthy (Target.Timeout)');
  });
});

describe('waiting for targets still initial', () => {
  test('an unhealthy answer is taken at once: it is an answer, not a wait', async () => {
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [target('a', 'unhealthy')] });
    const seen = await waitForTargetHealth(mockedClients(), group, 1);
    expect(seen.map(targetLine)).toEqual(['a:443 unhealthy']);
    expect(elbv2.commandCalls(DescribeTargetHealthCommand)).toHaveLength(1);
  });

  test('initial targets are waited for until their health is known', async () => {
    elbv2
      .on(DescribeTargetHealthCommand)
      .resolvesOnce({ TargetHealthDescriptions: [target('a', 'initial')] })
      .resolves({ TargetHealthDescriptions: [target('a', 'healthy')] });
    const seen = await waitForTargetHealth(mockedClients(), group, 1);
    expect(healthyCount(seen)).toBe(1);
  });

  test('targets still initial when the bound passes: the suite cannot tell', async () => {
    elbv2.on(DescribeTargetHealthCommand).resolves({ TargetHealthDescriptions: [target('a', 'initial')] });
    await expect(waitForTargetHealth(mockedClients(), group, 1, { capMs: 300 })).rejects.toBeInstanceOf(
      CannotTellError,
    );
  });
});
