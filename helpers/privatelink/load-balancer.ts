import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';
import { eventually } from '../eventually.ts';

/**
 * The provider's Network Load Balancer as ELBv2 reports it (P1), and the
 * path a connection takes through it: listener → target group → healthy
 * targets (P2). Differences are report lines; the suite asserts.
 */

/**
 * @example
 *   const lb = await getLoadBalancer(lab.clients(), 'arn:aws:elasticloadbalancing:…:loadbalancer/net/nlb/1');
 */
export async function getLoadBalancer({ elbv2 }: AwsClients, arn: string): Promise<LoadBalancer> {
  try {
    const out = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }));
    const lb = out.LoadBalancers?.[0];
    if (lb) return lb;
  } catch (error) {
    // DescribeLoadBalancers answers LoadBalancerNotFound for an ARN it does not hold (ELBv2 API Reference).
    if (classify(error) !== 'not-found')
      return reading(`describe load balancer ${arn}`, () => Promise.reject(error));
  }
  throw new LabDeviationError(`load balancer ${arn} no longer exists`);
}

/** How a load balancer differs from P1's intent: network, internal, active, in exactly `subnetIds`. */
export function loadBalancerDiffs(lb: LoadBalancer, subnetIds: readonly string[]): string[] {
  const out: string[] = [];
  if (lb.Type !== 'network') out.push(`type ${lb.Type}, not network`);
  // "internet-facing … routes requests from clients over the internet"; only `internal` keeps it private
  // (ELBv2 API Reference, CreateLoadBalancer Scheme).
  if (lb.Scheme !== 'internal') out.push(`scheme ${lb.Scheme}, not internal`);
  if (lb.State?.Code !== 'active') out.push(`state ${lb.State?.Code ?? 'unknown'}, not active`);
  const actual = (lb.AvailabilityZones ?? []).map((z) => z.SubnetId!);
  const extra = actual.filter((s) => !subnetIds.includes(s));
  const missing = subnetIds.filter((s) => !actual.includes(s));
  if (extra.length) out.push(`also in ${extra.join(', ')}`);
  if (missing.length) out.push(`not in ${missing.join(', ')}`);
  return out;
}

/** Every listener of a load balancer (DescribeListeners pages with Marker/NextMarker). */
export async function listListeners({ elbv2 }: AwsClients, loadBalancerArn: string): Promise<Listener[]> {
  return reading(`list the listeners of ${loadBalancerArn}`, async () => {
    const listeners: Listener[] = [];
    let Marker: string | undefined;
    do {
      const page = await elbv2.send(
        new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker }),
      );
      listeners.push(...(page.Listeners ?? []));
      Marker = page.NextMarker;
    } while (Marker);
    return listeners;
  });
}

/**
 * The target groups a listener forwards to: a `forward` action names one
 * (TargetGroupArn) or several with weights (ForwardConfig.TargetGroups)
 * (ELBv2 API Reference, Action).
 */
export function forwardedGroups(listener: Listener): string[] {
  const arns = (listener.DefaultActions ?? [])
    .filter((a) => a.Type === 'forward')
    .flatMap((a) => [
      ...(a.TargetGroupArn ? [a.TargetGroupArn] : []),
      ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn!),
    ]);
  return [...new Set(arns)];
}

export async function listTargetGroups({ elbv2 }: AwsClients, arns: string[]): Promise<TargetGroup[]> {
  if (!arns.length) return [];
  const out = await reading(`describe target groups ${arns.join(', ')}`, () =>
    elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: arns })),
  );
  return out.TargetGroups ?? [];
}

/**
 * How the listener on `port` differs from P2's intent: a TCP listener
 * forwarding only to TCP target groups on `targetPort`. No listener on the
 * port is itself the difference.
 */
export function listenerDiffs(
  listener: Listener | undefined,
  groups: readonly TargetGroup[],
  intended: { port: number; targetPort: number },
): string[] {
  if (!listener) return [`no listener on port ${intended.port}`];
  const out: string[] = [];
  if (listener.Protocol !== 'TCP') out.push(`listener ${intended.port} speaks ${listener.Protocol}, not TCP`);
  if (!groups.length) out.push(`listener ${intended.port} forwards to no target group`);
  for (const g of groups) {
    if (g.Protocol !== 'TCP') out.push(`target group ${g.TargetGroupName} speaks ${g.Protocol}, not TCP`);
    if (g.Port !== intended.targetPort)
      out.push(`target group ${g.TargetGroupName} forwards to port ${g.Port}, not ${intended.targetPort}`);
  }
  return out;
}

/** A target as a report names it: `172.20.1.10:443 unhealthy (Target.Timeout)`. */
export function targetLine(t: TargetHealthDescription): string {
  const where = `${t.Target?.Id}${t.Target?.Port ? `:${t.Target.Port}` : ''}`;
  const reason = t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : '';
  return `${where} ${t.TargetHealth?.State ?? 'unknown'}${reason}`;
}

export async function listTargetHealth(
  { elbv2 }: AwsClients,
  targetGroupArn: string,
): Promise<TargetHealthDescription[]> {
  const out = await reading(`describe the target health of ${targetGroupArn}`, () =>
    elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
  );
  return out.TargetHealthDescriptions ?? [];
}

/** The most a gate waits for targets still `initial`, to stay inside the config tag's 60 s. */
export const INITIAL_WAIT_CAP_MS = 45_000;

/**
 * The targets of a group once their health is known. A target registered
 * moments ago is `initial` until it has passed HealthyThresholdCount checks,
 * one per HealthCheckIntervalSeconds ("initial: The load balancer is
 * sending health checks to the target", ELBv2 TargetHealth) — what a gate
 * run right after a deployment sees. When too few are healthy and some are
 * still `initial`, this waits that long (interval × threshold, at most
 * INITIAL_WAIT_CAP_MS); if they are still `initial` then, the suite cannot
 * tell (an error, not a failure). Unhealthy or unused targets are answers.
 *
 * @example
 *   const targets = await waitForTargetHealth(clients, group, 1, { signal });
 */
export async function waitForTargetHealth(
  clients: AwsClients,
  group: TargetGroup,
  healthyNeeded: number,
  options: { signal?: AbortSignal; capMs?: number } = {},
): Promise<TargetHealthDescription[]> {
  const arn = group.TargetGroupArn!;
  const interval = (group.HealthCheckIntervalSeconds ?? 30) * 1000;
  const timeoutMs = Math.min(
    interval * (group.HealthyThresholdCount ?? 5),
    options.capMs ?? INITIAL_WAIT_CAP_MS,
  );
  const settled = (targets: TargetHealthDescription[]) =>
    healthyCount(targets) >= healthyNeeded || !targets.some((t) => t.TargetHealth?.State === 'initial');
  return eventually(
    `the targets of ${group.TargetGroupName} to leave "initial"`,
    () => listTargetHealth(clients, arn),
    {
      timeoutMs,
      until: settled,
      minIntervalMs: 1_000,
      onTimeout: 'cannot-tell',
      show: (targets) => targets.map(targetLine).join(', '),
      reproduce: `aws elbv2 describe-target-health --target-group-arn ${arn}`,
      ...(options.signal && { signal: options.signal }),
    },
  );
}

export function healthyCount(targets: readonly TargetHealthDescription[]): number {
  return targets.filter((t) => t.TargetHealth?.State === 'healthy').length;
}
