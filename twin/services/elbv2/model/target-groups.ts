import { ipInCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { registrableIp } from '../../../network/load-balancing.ts';
import { loadBalancersUsing } from '../../../network/target-health.ts';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { vpcCidrs } from '../../ec2/model/vpc-lookups.ts';
import { invalidConfiguration, invalidTarget, notServed, validationError } from '../errors.ts';
import type { Elbv2Model } from './index.ts';
import { ec2Of } from './load-balancers.ts';
import type {
  HealthCheckSettings,
  RegisteredTarget,
  TargetGroupProtocol,
  TargetGroupState,
} from './state.ts';

/** Protocols of NLB target groups (API_CreateTargetGroup, Protocol: "For Network Load Balancers, the supported protocols are TCP, TLS, UDP, or TCP_UDP"). */
export const NLB_PROTOCOLS: readonly TargetGroupProtocol[] = ['TCP', 'TLS', 'UDP', 'TCP_UDP'];

/**
 * Health-check defaults of an NLB target group: "HealthCheckIntervalSeconds
 * ... 30 seconds", HealthCheckTimeoutSeconds 10 for TCP (6 for HTTP, 10 for
 * HTTPS), HealthyThresholdCount 5, UnhealthyThresholdCount 2, port
 * `traffic-port` ("Health checks for Network Load Balancer target groups").
 */
export function defaultHealthCheck(protocol: HealthCheckSettings['protocol']): HealthCheckSettings {
  return {
    enabled: true,
    protocol,
    port: 'traffic-port',
    intervalSeconds: 30,
    timeoutSeconds: protocol === 'HTTP' ? 6 : 10,
    healthyThreshold: 5,
    unhealthyThreshold: 2,
    ...(protocol !== 'TCP' && { path: '/', matcher: '200-399' }),
  };
}

/** Target group attributes of an NLB's group and their defaults (API Reference, TargetGroupAttribute). */
export function defaultTargetGroupAttributes(
  protocol: TargetGroupProtocol,
  targetType: 'instance' | 'ip',
): Record<string, string> {
  return {
    'deregistration_delay.timeout_seconds': '300',
    'deregistration_delay.connection_termination.enabled': 'false',
    'stickiness.enabled': 'false',
    'stickiness.type': 'source_ip',
    'proxy_protocol_v2.enabled': 'false',
    // "enabled for instance targets and for IP targets of UDP and TCP_UDP; disabled for IP targets of TCP and TLS".
    'preserve_client_ip.enabled': String(
      targetType === 'instance' || protocol === 'UDP' || protocol === 'TCP_UDP',
    ),
    'load_balancing.cross_zone.enabled': 'use_load_balancer_configuration',
    'target_health_state.unhealthy.connection_termination.enabled': 'true',
    'target_health_state.unhealthy.draining_interval_seconds': '0',
    'target_failover.on_deregistration': 'no_rebalance',
    'target_failover.on_unhealthy': 'no_rebalance',
  };
}

const TG_ATTRIBUTE_VALUES: Record<string, RegExp> = {
  'deregistration_delay.timeout_seconds': /^([0-9]|[1-9][0-9]{1,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|3600)$/,
  'deregistration_delay.connection_termination.enabled': /^(true|false)$/,
  'stickiness.enabled': /^(true|false)$/,
  'stickiness.type': /^source_ip$/,
  'proxy_protocol_v2.enabled': /^(true|false)$/,
  'preserve_client_ip.enabled': /^(true|false)$/,
  'load_balancing.cross_zone.enabled': /^(true|false|use_load_balancer_configuration)$/,
  'target_health_state.unhealthy.connection_termination.enabled': /^(true|false)$/,
  'target_health_state.unhealthy.draining_interval_seconds': /^\d+$/,
  'target_failover.on_deregistration': /^(rebalance|no_rebalance)$/,
  'target_failover.on_unhealthy': /^(rebalance|no_rebalance)$/,
};

export function setTargetGroupAttributes(
  group: TargetGroupState,
  pairs: { Key?: string; Value?: string }[],
): void {
  for (const { Key: key = '', Value: value = '' } of pairs) {
    const valid = TG_ATTRIBUTE_VALUES[key];
    if (!valid) throw invalidConfiguration(`Key ${key} not valid`);
    if (!valid.test(value)) throw invalidConfiguration(`${value} is not a valid value for ${key}`);
  }
  for (const { Key: key = '', Value: value = '' } of pairs) group.attributes.set(key, value);
}

/** "A maximum of 32 alphanumeric characters or hyphens; must not begin or end with a hyphen" (API_CreateTargetGroup, Name). */
export function checkTargetGroupName(name: string | undefined): string {
  if (
    !name ||
    name.length > 32 ||
    !/^[a-zA-Z0-9-]+$/.test(name) ||
    name.startsWith('-') ||
    name.endsWith('-')
  )
    throw validationError(
      `Target group name '${name ?? ''}' can have a maximum of 32 characters, must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    );
  return name;
}

function inRange(what: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
    throw validationError(`${what} must be between ${min} and ${max}`);
}

/**
 * "If the target type is instance, ip, or alb, health checks are always
 * enabled and can't be disabled" (API_CreateTargetGroup, HealthCheckEnabled).
 */
export function refuseDisabledChecks(enabled: boolean | undefined): void {
  if (enabled === false)
    throw validationError(
      'Health checks cannot be disabled for target groups with target type instance or ip',
    );
}

export interface NewTargetGroup {
  name: string;
  protocol: string | undefined;
  port: number | undefined;
  vpcId: string | undefined;
  targetType: string | undefined;
  healthCheck: Partial<Omit<HealthCheckSettings, 'protocol'>> & { protocol?: string };
  tags: Map<string, string>;
}

function sameSettings(group: TargetGroupState, spec: NewTargetGroup): boolean {
  return (
    group.protocol === spec.protocol &&
    group.port === spec.port &&
    group.vpcId === spec.vpcId &&
    group.targetType === (spec.targetType ?? 'instance')
  );
}

/**
 * CreateTargetGroup for an NLB: TCP/TLS/UDP/TCP_UDP, target type instance
 * or ip, a port and a VPC; "If you attempt to create multiple target groups
 * with the same settings, each call succeeds" (API_CreateTargetGroup).
 */
export function createTargetGroup(
  twin: Twin,
  model: Elbv2Model,
  spec: NewTargetGroup,
  id: string,
): TargetGroupState {
  const targetType = spec.targetType ?? 'instance';
  if (targetType !== 'instance' && targetType !== 'ip') throw notServed(`target type ${targetType}`);
  if (!spec.protocol) throw validationError('A protocol must be specified');
  if (!NLB_PROTOCOLS.includes(spec.protocol as TargetGroupProtocol))
    throw notServed(`target group protocol ${spec.protocol}`);
  if (spec.port === undefined) throw validationError('A port must be specified');
  inRange('Port', spec.port, 1, 65535);
  if (!spec.vpcId) throw validationError('A VPC ID must be specified');
  const existing = [...model.targetGroups.values()].find((g) => g.name === spec.name);
  if (existing) {
    if (sameSettings(existing, spec)) return existing;
    throw new AwsError(
      'DuplicateTargetGroupNameException',
      `A target group with the same name '${spec.name}' exists, but with different settings`,
    );
  }
  const vpc = ec2Of(twin, model).vpcs.get(spec.vpcId);
  if (!vpc) throw validationError(`The VPC ID '${spec.vpcId}' is not found`);
  const protocol = spec.protocol as TargetGroupProtocol;
  const hc = spec.healthCheck;
  const hcProtocol = (hc.protocol ?? 'TCP') as HealthCheckSettings['protocol'];
  if (!['TCP', 'HTTP', 'HTTPS'].includes(hcProtocol))
    throw validationError(
      `Health check protocol '${hcProtocol}' is not supported for target groups with protocol '${protocol}'`,
    );
  refuseDisabledChecks(hc.enabled);
  inRange('Health check interval', hc.intervalSeconds, 5, 300);
  inRange('Health check timeout', hc.timeoutSeconds, 2, 120);
  inRange('Healthy threshold count', hc.healthyThreshold, 2, 10);
  inRange('Unhealthy threshold count', hc.unhealthyThreshold, 2, 10);
  if (hc.port !== undefined && hc.port !== 'traffic-port')
    inRange('Health check port', Number(hc.port), 1, 65535);
  const base = defaultHealthCheck(hcProtocol);
  const healthCheck: HealthCheckSettings = {
    ...base,
    ...Object.fromEntries(Object.entries(hc).filter(([, v]) => v !== undefined)),
    protocol: hcProtocol,
  } as HealthCheckSettings;
  const group: TargetGroupState = {
    arn: model.arnOf('targetgroup', `${spec.name}/${id}`),
    name: spec.name,
    id,
    accountId: model.accountId,
    region: model.region,
    protocol,
    port: spec.port,
    vpcId: spec.vpcId,
    targetType,
    healthCheck,
    attributes: new Map(Object.entries(defaultTargetGroupAttributes(protocol, targetType))),
    targets: new Map(),
    tags: spec.tags,
  };
  model.targetGroups.set(group.arn, group);
  return group;
}

export interface TargetSpec {
  Id?: string;
  Port?: number;
  AvailabilityZone?: string;
}

export const targetKey = (id: string, port: number) => `${id}:${port}`;

/**
 * RegisterTargets. Instance targets must be running instances in the
 * group's VPC; ip targets must be in the VPC's CIDR blocks or in RFC 1918
 * or RFC 6598 ranges, and one outside the VPC needs AvailabilityZone `all`
 * (API_TargetDescription: "If the IP address is outside the VPC, this
 * parameter is required ... all"; "you can't specify publicly routable IP addresses").
 */
export function registerTargets(
  twin: Twin,
  model: Elbv2Model,
  group: TargetGroupState,
  targets: TargetSpec[],
): void {
  if (!targets.length) throw validationError('At least one target must be specified');
  const state = ec2Of(twin, model);
  const now = twin.clock.now();
  const checked: RegisteredTarget[] = [];
  for (const t of targets) {
    const id = t.Id ?? '';
    const port = t.Port ?? group.port;
    inRange('Port', port, 1, 65535);
    if (group.targetType === 'instance') {
      const instance = state.instances.get(id);
      if (!instance) throw invalidTarget(`The following targets are not valid instances: '${id}'`);
      if (instance.vpcId !== group.vpcId)
        throw invalidTarget(
          `The following targets are not in the target group VPC '${group.vpcId}': '${id}'`,
        );
      if (instance.state !== 'running')
        throw invalidTarget(
          `The following targets are not in a running state and cannot be registered: '${id}'`,
        );
    } else {
      const vpc = state.vpcs.get(group.vpcId);
      const cidrs = vpc ? vpcCidrs(vpc) : [];
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(id) || !registrableIp(id, cidrs))
        throw invalidTarget(`The IP address '${id}' is not a valid IPv4 address in an allowed range`);
      const insideVpc = cidrs.some((c) => ipInCidr(id, c));
      if (!insideVpc && t.AvailabilityZone !== 'all')
        throw validationError(
          `The IP address '${id}' is outside the VPC: the Availability Zone must be 'all'`,
        );
    }
    checked.push({
      id,
      port,
      ...(t.AvailabilityZone && { availabilityZone: t.AvailabilityZone }),
      registeredAt: now,
    });
  }
  for (const target of checked) {
    const key = targetKey(target.id, target.port);
    const was = group.targets.get(key);
    // Registering a registered target again changes nothing; a draining one comes back as new.
    if (was && was.deregisteredAt === undefined) continue;
    group.targets.set(key, target);
  }
}

/**
 * DeregisterTargets: a target in use drains for
 * deregistration_delay.timeout_seconds ("Elastic Load Balancing stops
 * sending requests to targets that are deregistering ... the default value
 * is 300 seconds"), then it is gone; a group no load balancer uses lets it
 * go at once.
 */
export function deregisterTargets(twin: Twin, group: TargetGroupState, targets: TargetSpec[]): void {
  if (!targets.length) throw validationError('At least one target must be specified');
  const now = twin.clock.now();
  const keys = targets.map((t) => targetKey(t.Id ?? '', t.Port ?? group.port));
  const missing = keys.filter((k) => !group.targets.has(k));
  if (missing.length)
    throw invalidTarget(
      `The following targets are not registered in target group '${group.arn}': ${missing.map((k) => `'${k.split(':')[0]}'`).join(', ')}`,
    );
  const used = loadBalancersUsing(twin, group).length > 0;
  const seconds = Number(group.attributes.get('deregistration_delay.timeout_seconds') ?? '300');
  for (const key of keys) {
    const target = group.targets.get(key)!;
    if (!used) {
      group.targets.delete(key);
      continue;
    }
    if (target.deregisteredAt !== undefined) continue;
    target.deregisteredAt = now;
    target.drainedAt = now + seconds * delay(twin.profile, 'elbv2SecondMs');
  }
}
