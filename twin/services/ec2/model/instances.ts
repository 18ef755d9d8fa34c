import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import { allocatePublicIp } from './gateways.ts';
import type { Ec2Model } from './index.ts';
import {
  addNetworkInterface,
  removeNetworkInterface,
  resolveSecurityGroups,
  setNetworkInterfaceGroups,
} from './network-interfaces.ts';
import type { World } from './peering.ts';
import type { InstanceState, InstanceStateName, Tags } from './state.ts';
import { availableIpAddressCount } from './subnets.ts';
import { getSubnet } from './vpc-lookups.ts';

/**
 * EC2 instances. The stored state is where an action ends (running,
 * stopped, terminated); the transitional state AWS reports on the way there
 * (pending, stopping, shutting-down) is what the action itself returns.
 */

/** Instance state codes (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html). */
export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

/**
 * "Recently terminated instances might appear in the returned results. This
 * interval is usually less than one hour." (API_DescribeInstances.html)
 */
export const TERMINATED_VISIBLE_MS = 60 * 60_000;

export function isVisible(instance: InstanceState, now: number): boolean {
  return (
    instance.state !== 'terminated' ||
    now - (instance.stateChangedAt ?? instance.launchTime) < TERMINATED_VISIBLE_MS
  );
}

/** Instances of this account that DescribeInstances still shows. */
export function visibleInstances(model: Ec2Model, now: number): InstanceState[] {
  return [...model.instances.values()].filter((i) => isVisible(i, now));
}

/** The named instances, or InvalidInstanceID.NotFound naming every missing one, as EC2 words it. */
export function requireInstances(model: Ec2Model, ids: readonly string[], now: number): InstanceState[] {
  const missing = ids.filter((id) => {
    const i = model.instances.get(id);
    return !i || !isVisible(i, now);
  });
  if (missing.length === 1) throw notFoundError('instance', missing[0]!);
  if (missing.length > 1) {
    throw new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  return ids.map((id) => model.instances.get(id)!);
}

export interface RunSpec {
  imageId: string | undefined;
  instanceType: string | undefined;
  minCount: number;
  maxCount: number;
  subnetId: string | undefined;
  securityGroupIds?: string[] | undefined;
  privateIp?: string | undefined;
  /** Undefined: follow the subnet's MapPublicIpOnLaunch. */
  associatePublicIp?: boolean | undefined;
  iamInstanceProfileArn?: string | undefined;
  keyName?: string | undefined;
  instanceTags: Tags;
  networkInterfaceTags: Tags;
}

function validateCounts(spec: RunSpec): void {
  if (!Number.isInteger(spec.minCount) || spec.minCount < 1) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${spec.minCount}) for parameter minCount is invalid. Expected a positive integer.`,
    );
  }
  if (!Number.isInteger(spec.maxCount) || spec.maxCount < spec.minCount) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value (${spec.maxCount}) for parameter maxCount is invalid. Expected a value not less than minCount.`,
    );
  }
  if (spec.privateIp && spec.minCount > 1) {
    throw new AwsError(
      'InvalidParameterCombination',
      'A private IP address can be specified only when launching a single instance.',
    );
  }
}

/** `ami-` followed by 8 or 17 hex digits; any such id is accepted (the twin keeps no AMI catalogue). */
function validateImage(imageId: string | undefined): string {
  if (!imageId || !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(imageId)) {
    throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${imageId ?? ''}" (expecting "ami-...")`);
  }
  return imageId;
}

/**
 * RunInstances: launches between MinCount and MaxCount instances (as many as
 * the subnet has addresses for, failing below MinCount), each with a primary
 * ENI of type `interface` at device index 0.
 */
export function runInstances(
  model: Ec2Model,
  world: World,
  spec: RunSpec,
  now: number,
): { reservationId: string; instances: InstanceState[] } {
  const imageId = validateImage(spec.imageId);
  validateCounts(spec);
  if (!spec.subnetId) {
    // No default VPC exists in the twin (see LIMITATIONS), so a launch must name a subnet.
    throw new AwsError(
      'VPCIdNotSpecified',
      'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.',
    );
  }
  const subnet = getSubnet(model, spec.subnetId);
  const groups = resolveSecurityGroups(model, subnet, spec.securityGroupIds);
  const free = availableIpAddressCount(model, subnet);
  if (free < spec.minCount) {
    throw new AwsError(
      'InsufficientFreeAddressesInSubnet',
      `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`,
    );
  }
  // A fixed address can be held by one instance only.
  const count = spec.privateIp ? 1 : Math.min(spec.maxCount, free);
  const reservationId = model.newId('r');
  const publicIp = spec.associatePublicIp ?? subnet.mapPublicIpOnLaunch;
  const instances: InstanceState[] = [];
  for (let n = 0; n < count; n++) {
    const id = model.newId('i');
    const eni = addNetworkInterface(model, {
      subnetId: subnet.id,
      securityGroupIds: groups,
      privateIp: spec.privateIp,
      publicIp: publicIp ? allocatePublicIp(world) : undefined,
      interfaceType: 'interface',
      requesterManaged: false,
      attachment: { id: model.newId('eni-attach'), instanceId: id, deviceIndex: 0, status: 'attached' },
      tags: { ...spec.networkInterfaceTags },
    });
    const instance: InstanceState = {
      id,
      ownerId: model.accountId,
      subnetId: subnet.id,
      vpcId: subnet.vpcId,
      availabilityZone: subnet.availabilityZone,
      imageId,
      instanceType: spec.instanceType ?? 'm1.small',
      state: 'running',
      launchTime: now,
      stateChangedAt: now,
      primaryNetworkInterfaceId: eni.id,
      privateIp: eni.privateIp,
      reservationId,
      tags: { ...spec.instanceTags },
    };
    if (eni.publicIp) instance.publicIp = eni.publicIp;
    if (spec.keyName) instance.keyName = spec.keyName;
    if (spec.iamInstanceProfileArn) {
      instance.iamInstanceProfileArn = spec.iamInstanceProfileArn;
      instance.iamInstanceProfileAssociationId = model.newId('iip-assoc');
    }
    model.instances.set(id, instance);
    instances.push(instance);
  }
  return { reservationId, instances };
}

export interface StateChange {
  instance: InstanceState;
  previous: InstanceStateName;
  current: InstanceStateName;
}

function change(
  instance: InstanceState,
  to: InstanceStateName,
  reported: InstanceStateName,
  now: number,
): StateChange {
  const previous = instance.state;
  if (previous !== to) {
    instance.state = to;
    instance.stateChangedAt = now;
  }
  return { instance, previous, current: previous === to ? to : reported };
}

/**
 * TerminateInstances: the instance's primary ENI (DeleteOnTermination) and
 * its instance-profile association go with it; it stays described as
 * `terminated` for about an hour.
 */
export function terminateInstances(model: Ec2Model, ids: readonly string[], now: number): StateChange[] {
  return requireInstances(model, ids, now).map((instance) => {
    const result = change(instance, 'terminated', 'shutting-down', now);
    removeNetworkInterface(model, instance.primaryNetworkInterfaceId);
    delete instance.iamInstanceProfileArn;
    delete instance.iamInstanceProfileAssociationId;
    return result;
  });
}

/** StopInstances: running → stopped (reported as `stopping`); a terminated instance cannot be stopped. */
export function stopInstances(model: Ec2Model, ids: readonly string[], now: number): StateChange[] {
  return requireInstances(model, ids, now).map((instance) => {
    if (instance.state === 'terminated') {
      throw new AwsError(
        'IncorrectInstanceState',
        `This instance '${instance.id}' is not in a state from which it can be stopped.`,
      );
    }
    return change(instance, 'stopped', 'stopping', now);
  });
}

/** StartInstances: stopped → running (reported as `pending`); a terminated instance cannot be started. */
export function startInstances(model: Ec2Model, ids: readonly string[], now: number): StateChange[] {
  return requireInstances(model, ids, now).map((instance) => {
    if (instance.state === 'terminated') {
      throw new AwsError(
        'IncorrectInstanceState',
        `The instance '${instance.id}' is not in a state from which it can be started.`,
      );
    }
    return change(instance, 'running', 'pending', now);
  });
}

/** ModifyInstanceAttribute `Groups`: the groups of the instance's primary ENI. */
export function setInstanceGroups(
  model: Ec2Model,
  instance: InstanceState,
  groupIds: readonly string[],
): void {
  const eni = model.networkInterfaces.get(instance.primaryNetworkInterfaceId);
  if (!eni)
    throw new AwsError(
      'IncorrectInstanceState',
      `The instance '${instance.id}' is not in a state from which its groups can be changed.`,
    );
  setNetworkInterfaceGroups(model, eni, groupIds);
}

/** Security groups of an instance: those of its primary ENI. */
export function instanceGroupIds(model: Ec2Model, instance: InstanceState): string[] {
  return model.networkInterfaces.get(instance.primaryNetworkInterfaceId)?.securityGroupIds ?? [];
}
