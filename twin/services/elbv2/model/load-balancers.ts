import { ipInCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { ec2 } from '../../ec2/api.ts';
import type { Ec2Model } from '../../ec2/model/index.ts';
import { createServiceEni, removeNetworkInterface } from '../../ec2/model/network-interfaces.ts';
import { invalidConfiguration, validationError } from '../errors.ts';
import type { Elbv2Model } from './index.ts';
import { listenersOf } from './index.ts';
import type { LoadBalancerState } from './state.ts';

/**
 * Network Load Balancers: one node per enabled Availability Zone, each a
 * requester-managed ENI in the subnet named for that zone, described
 * `ELB net/NAME/ID` ("Requester-managed network interfaces", EC2 User
 * Guide: "Elastic Load Balancing ... ELB app/name/id or ELB net/name/id").
 */

/** Shown as RequesterId on the nodes' interfaces. */
export const ELB_REQUESTER_ID = 'amazon-elb';

/**
 * CanonicalHostedZoneId of Network Load Balancers by Region (Elastic Load
 * Balancing endpoints and quotas, "Network Load Balancers" column).
 */
const NLB_ZONE_IDS: Record<string, string> = {
  'us-east-1': 'Z26RNL4JYFTOTI',
  'us-east-2': 'ZLMOA37VPKANP',
  'us-west-1': 'Z24FKFUX50B4VW',
  'us-west-2': 'Z18D5FSROUN65G',
  'eu-west-1': 'Z2IFOLAFXWLO4F',
  'eu-central-1': 'Z3F0SRJ5LGBH90',
};

export function canonicalHostedZoneId(region: string): string {
  return NLB_ZONE_IDS[region] ?? 'Z26RNL4JYFTOTI';
}

/** Attributes of a new NLB and their defaults (API Reference, LoadBalancerAttribute). */
export const NLB_ATTRIBUTES: Record<string, string> = {
  'deletion_protection.enabled': 'false',
  'load_balancing.cross_zone.enabled': 'false',
  'access_logs.s3.enabled': 'false',
  'access_logs.s3.bucket': '',
  'access_logs.s3.prefix': '',
  'ipv6.deny_all_igw_traffic': 'false',
  'dns_record.client_routing_policy': 'any_availability_zone',
  'zonal_shift.config.enabled': 'false',
};

const BOOLEAN = /^(true|false)$/;
const ATTRIBUTE_VALUES: Record<string, RegExp> = {
  'deletion_protection.enabled': BOOLEAN,
  'load_balancing.cross_zone.enabled': BOOLEAN,
  'access_logs.s3.enabled': BOOLEAN,
  'access_logs.s3.bucket': /^.*$/,
  'access_logs.s3.prefix': /^.*$/,
  'ipv6.deny_all_igw_traffic': BOOLEAN,
  'dns_record.client_routing_policy':
    /^(availability_zone_affinity|partial_availability_zone_affinity|any_availability_zone)$/,
  'zonal_shift.config.enabled': BOOLEAN,
};

/**
 * "The name must be unique within your set of load balancers for the
 * Region, can have a maximum of 32 characters, must contain only
 * alphanumeric characters or hyphens, must not begin or end with a
 * hyphen, and must not begin with 'internal-'" (API_CreateLoadBalancer, Name).
 */
export function checkLoadBalancerName(name: string | undefined): string {
  if (!name)
    throw validationError(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  if (name.length > 32 || !/^[a-zA-Z0-9-]+$/.test(name) || name.startsWith('-') || name.endsWith('-'))
    throw validationError(
      `Load balancer name '${name}' must contain only alphanumeric characters or hyphens, have at most 32 characters, and must not begin or end with a hyphen`,
    );
  if (name.startsWith('internal-'))
    throw validationError(`Load balancer name '${name}' cannot begin with 'internal-'`);
  return name;
}

export interface NewLoadBalancer {
  name: string;
  scheme: 'internal' | 'internet-facing';
  subnets: { subnetId: string; privateIp?: string }[];
  securityGroupIds: string[];
  ipAddressType: 'ipv4' | 'dualstack';
  tags: Map<string, string>;
}

export function ec2Of(twin: Twin, model: Elbv2Model): Ec2Model {
  return twin.model(ec2, model.accountId, model.region);
}

/** The subnets' VPC, each subnet known, one per zone, addresses inside their subnet. */
function placeSubnets(state: Ec2Model, spec: NewLoadBalancer): string {
  if (!spec.subnets.length)
    throw validationError('At least one subnet must be specified for a Network Load Balancer');
  const vpcs = new Set<string>();
  const zones = new Set<string>();
  for (const s of spec.subnets) {
    const subnet = state.subnets.get(s.subnetId);
    if (!subnet) throw subnetError(s.subnetId);
    vpcs.add(subnet.vpcId);
    // "You can specify one subnet per Availability Zone" (API_CreateLoadBalancer, Subnets).
    if (zones.has(subnet.availabilityZone))
      throw invalidConfiguration(
        'A load balancer cannot be attached to multiple subnets in the same Availability Zone',
      );
    zones.add(subnet.availabilityZone);
    if (s.privateIp !== undefined) {
      if (spec.scheme !== 'internal')
        throw invalidConfiguration(
          'A private IPv4 address can be specified only for an internal load balancer',
        );
      if (!ipInCidr(s.privateIp, subnet.cidr))
        throw invalidConfiguration(
          `The private IPv4 address '${s.privateIp}' is not in subnet '${subnet.id}'`,
        );
    }
  }
  if (vpcs.size > 1) throw invalidConfiguration('All subnets must belong to the same VPC');
  return [...vpcs][0]!;
}

function subnetError(id: string): AwsError {
  return new AwsError('SubnetNotFoundException', `The subnet ID '${id}' is not valid`);
}

/** Security groups of the NLB: each must exist in its VPC ("InvalidSecurityGroup"). */
function checkGroups(state: Ec2Model, vpcId: string, ids: string[]): void {
  for (const id of ids) {
    const group = state.securityGroups.get(id);
    if (!group || group.vpcId !== vpcId)
      throw new AwsError(
        'InvalidSecurityGroupException',
        `Security group '${id}' does not exist in VPC '${vpcId}'`,
      );
  }
}

/** Whether an existing load balancer was made with these settings (CreateLoadBalancer is idempotent for them). */
function sameSettings(lb: LoadBalancerState, spec: NewLoadBalancer): boolean {
  const subnets = spec.subnets.map((s) => s.subnetId).sort();
  return (
    lb.scheme === spec.scheme &&
    lb.zones
      .map((z) => z.subnetId)
      .sort()
      .join() === subnets.join() &&
    [...lb.securityGroupIds].sort().join() === [...spec.securityGroupIds].sort().join()
  );
}

/**
 * CreateLoadBalancer for `Type=network`: "If you attempt to create multiple
 * load balancers with the same settings, each call succeeds"; the same name
 * with other settings is DuplicateLoadBalancerName (API_CreateLoadBalancer).
 * An internet-facing NLB needs an internet gateway on its VPC ("InvalidSubnet").
 */
export function createLoadBalancer(
  twin: Twin,
  model: Elbv2Model,
  spec: NewLoadBalancer,
  id: string,
): LoadBalancerState {
  const state = ec2Of(twin, model);
  const existing = [...model.loadBalancers.values()].find((lb) => lb.name === spec.name);
  if (existing) {
    if (sameSettings(existing, spec)) return existing;
    throw new AwsError(
      'DuplicateLoadBalancerNameException',
      `A load balancer with the same name '${spec.name}' exists, but with different settings`,
    );
  }
  const vpcId = placeSubnets(state, spec);
  checkGroups(state, vpcId, spec.securityGroupIds);
  if (spec.scheme === 'internet-facing') {
    const igw = [...state.internetGateways.values()].some((g) =>
      g.attachments.some((a) => a.vpcId === vpcId && a.state === 'attached'),
    );
    if (!igw) throw new AwsError('InvalidSubnetException', `VPC ${vpcId} has no internet gateway`);
  }
  const now = twin.clock.now();
  const arn = model.arnOf('loadbalancer/net', `${spec.name}/${id}`);
  const zones = spec.subnets.map((s) => nodeIn(state, s, spec.name, id, spec.securityGroupIds));
  const lb: LoadBalancerState = {
    arn,
    name: spec.name,
    id,
    type: 'network',
    scheme: spec.scheme,
    accountId: model.accountId,
    region: model.region,
    vpcId,
    createdAt: now,
    activeAt: now + delay(twin.profile, 'elbv2ProvisioningMs'),
    dnsName: `${spec.name}-${id}.elb.${model.region}.amazonaws.com`,
    ipAddressType: spec.ipAddressType,
    securityGroupIds: spec.securityGroupIds,
    enforceInboundOnPrivateLink: spec.securityGroupIds.length > 0,
    zones,
    attributes: new Map(Object.entries(NLB_ATTRIBUTES)),
    tags: spec.tags,
  };
  model.loadBalancers.set(arn, lb);
  return lb;
}

/** A load balancer node in one subnet: its requester-managed interface and address. */
function nodeIn(
  state: Ec2Model,
  s: NewLoadBalancer['subnets'][number],
  name: string,
  id: string,
  securityGroupIds: string[],
): LoadBalancerState['zones'][number] {
  const subnet = state.subnets.get(s.subnetId)!;
  const eni = createServiceEni(state, {
    subnetId: subnet.id,
    type: 'network_load_balancer',
    description: `ELB net/${name}/${id}`,
    requesterId: ELB_REQUESTER_ID,
    securityGroupIds,
    ...(s.privateIp && { privateIp: s.privateIp }),
  });
  return {
    zoneName: subnet.availabilityZone,
    zoneId: subnet.availabilityZoneId,
    subnetId: subnet.id,
    networkInterfaceId: eni.id,
    privateIp: eni.privateIp,
    ...(s.privateIp && { requestedIp: true }),
  };
}

/**
 * SetSubnets for a Network Load Balancer, adding Availability Zones: "When you specify subnets for a
 * Network Load Balancer, you must include all subnets that were enabled previously, with their existing
 * configurations, plus any additional subnets" (API_SetSubnets). The Network Load Balancers guide now
 * allows removing a subnet, except while the load balancer has active VPC endpoint associations
 * ("Update the Availability Zones for your Network Load Balancer"); the twin keeps the older, stricter
 * rule and refuses every removal (LIMITATIONS).
 */
export function setLoadBalancerSubnets(
  twin: Twin,
  model: Elbv2Model,
  lb: LoadBalancerState,
  subnets: NewLoadBalancer['subnets'],
): LoadBalancerState {
  const state = ec2Of(twin, model);
  const vpcId = placeSubnets(state, { ...settingsOf(lb), subnets });
  if (vpcId !== lb.vpcId)
    throw invalidConfiguration('All subnets must belong to the VPC of the load balancer');
  const asked = new Set(subnets.map((s) => s.subnetId));
  const dropped = lb.zones.filter((z) => !asked.has(z.subnetId)).map((z) => z.subnetId);
  if (dropped.length)
    throw invalidConfiguration(
      `Subnets that were enabled previously must all be specified: ${dropped.join(', ')} missing`,
    );
  const known = new Set(lb.zones.map((z) => z.subnetId));
  for (const s of subnets.filter((x) => !known.has(x.subnetId)))
    lb.zones.push(nodeIn(state, s, lb.name, lb.id, lb.securityGroupIds));
  return lb;
}

/** The settings of an existing load balancer, as a create would name them. */
function settingsOf(lb: LoadBalancerState): NewLoadBalancer {
  return {
    name: lb.name,
    scheme: lb.scheme,
    subnets: lb.zones.map((z) => ({ subnetId: z.subnetId })),
    securityGroupIds: lb.securityGroupIds,
    ipAddressType: lb.ipAddressType,
    tags: lb.tags,
  };
}

/**
 * DeleteLoadBalancer: its listeners go with it and its nodes' interfaces
 * are released; deletion protection refuses ("OperationNotPermitted").
 */
export function deleteLoadBalancer(twin: Twin, model: Elbv2Model, lb: LoadBalancerState): void {
  if (lb.attributes.get('deletion_protection.enabled') === 'true')
    throw new AwsError(
      'OperationNotPermittedException',
      `Load balancer '${lb.arn}' cannot be deleted because deletion protection is enabled`,
    );
  for (const listener of listenersOf(model, lb.arn)) model.listeners.delete(listener.arn);
  const state = ec2Of(twin, model);
  for (const zone of lb.zones) removeNetworkInterface(state, zone.networkInterfaceId);
  model.loadBalancers.delete(lb.arn);
}

/** ModifyLoadBalancerAttributes: known keys with valid values, else InvalidConfigurationRequest. */
export function setLoadBalancerAttributes(
  lb: LoadBalancerState,
  pairs: { Key?: string; Value?: string }[],
): void {
  for (const { Key: key = '', Value: value = '' } of pairs) {
    const valid = ATTRIBUTE_VALUES[key];
    if (!valid) throw invalidConfiguration(`Key ${key} not valid`);
    if (!valid.test(value)) throw invalidConfiguration(`${value} is not a valid value for ${key}`);
  }
  for (const { Key: key = '', Value: value = '' } of pairs) lb.attributes.set(key, value);
}

/** SetSecurityGroups: the groups must be in the load balancer's VPC; its nodes' interfaces carry them. */
export function setLoadBalancerGroups(
  twin: Twin,
  model: Elbv2Model,
  lb: LoadBalancerState,
  ids: string[],
): void {
  const state = ec2Of(twin, model);
  checkGroups(state, lb.vpcId, ids);
  lb.securityGroupIds = ids;
  for (const zone of lb.zones) {
    const eni = state.networkInterfaces.get(zone.networkInterfaceId);
    if (eni) eni.securityGroupIds = [...ids];
  }
}
