import type {
  DescribeInstanceStatusRequest,
  DescribeInstanceStatusResult,
  DescribeInstancesRequest,
  DescribeInstancesResult,
  ModifyInstanceAttributeRequest,
  Reservation,
  RunInstancesRequest,
  StartInstancesRequest,
  StartInstancesResult,
  StopInstancesRequest,
  StopInstancesResult,
  TerminateInstancesRequest,
  TerminateInstancesResult,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import { instanceProfileArn, instanceProfileId } from '../model/instance-profiles.ts';
import {
  instanceGroupIds,
  requireInstances,
  runInstances,
  STATE_CODES,
  setInstanceGroups,
  startInstances,
  stopInstances,
  terminateInstances,
  visibleInstances,
} from '../model/instances.ts';
import { privateDnsNameOf, publicDnsNameOf } from '../model/network-interfaces.ts';
import type { InstanceState } from '../model/state.ts';
import { instanceStatus, renderChanges, renderInstance, reservations } from './instance-render.ts';
import { describe, specTags, withDryRun, worldOf } from './shared.ts';

/** DescribeInstances filters (API_DescribeInstances.html); group-id/group-name are the legacy spellings. */
function instanceFilters(model: Ec2Model): Accessors<InstanceState> {
  const eni = (i: InstanceState) => model.networkInterfaces.get(i.primaryNetworkInterfaceId);
  const groupIds = (i: InstanceState) => instanceGroupIds(model, i);
  const groupNames = (i: InstanceState) => groupIds(i).map((id) => model.securityGroups.get(id)?.name);
  return {
    'availability-zone': (i) => i.availabilityZone,
    'dns-name': (i) =>
      i.publicIp && i.state === 'running' ? publicDnsNameOf(model.region, i.publicIp) : undefined,
    'group-id': groupIds,
    'group-name': groupNames,
    'iam-instance-profile.arn': (i) => i.iamInstanceProfileArn,
    'iam-instance-profile.id': (i) =>
      i.iamInstanceProfileArn ? instanceProfileId(i.iamInstanceProfileArn) : undefined,
    'image-id': (i) => i.imageId,
    'instance-id': (i) => i.id,
    'instance-state-code': (i) => STATE_CODES[i.state],
    'instance-state-name': (i) => i.state,
    'instance-type': (i) => i.instanceType,
    'instance.group-id': groupIds,
    'instance.group-name': groupNames,
    'ip-address': (i) => (i.state === 'running' ? i.publicIp : undefined),
    'key-name': (i) => i.keyName,
    'network-interface.addresses.private-ip-address': (i) => eni(i)?.privateIp,
    'network-interface.network-interface-id': (i) => eni(i)?.id,
    'network-interface.subnet-id': (i) => eni(i)?.subnetId,
    'network-interface.vpc-id': (i) => eni(i)?.vpcId,
    'network-interface.group-id': (i) => eni(i)?.securityGroupIds,
    'owner-id': (i) => i.ownerId,
    'private-dns-name': (i) =>
      i.state !== 'terminated' ? privateDnsNameOf(model.region, i.privateIp) : undefined,
    'private-ip-address': (i) => (i.state !== 'terminated' ? i.privateIp : undefined),
    'reservation-id': (i) => i.reservationId,
    'subnet-id': (i) => (i.state !== 'terminated' ? i.subnetId : undefined),
    'vpc-id': (i) => (i.state !== 'terminated' ? i.vpcId : undefined),
  };
}

function runSpec(input: RunInstancesRequest, ctx: RequestContext) {
  const nic =
    input.NetworkInterfaces?.find((n) => (n.DeviceIndex ?? 0) === 0) ?? input.NetworkInterfaces?.[0];
  if (nic && (input.SubnetId || input.SecurityGroupIds?.length || input.PrivateIpAddress)) {
    // "Network interfaces and an instance-level subnet ID may not be specified on the same request"
    const what = input.SubnetId
      ? 'subnet ID'
      : input.PrivateIpAddress
        ? 'private IP address'
        : 'security groups';
    throw new AwsError(
      'InvalidParameterCombination',
      `Network interfaces and an instance-level ${what} may not be specified on the same request`,
    );
  }
  return {
    imageId: input.ImageId,
    instanceType: input.InstanceType,
    minCount: input.MinCount ?? 1,
    maxCount: input.MaxCount ?? input.MinCount ?? 1,
    subnetId: nic?.SubnetId ?? input.SubnetId,
    securityGroupIds: nic?.Groups ?? input.SecurityGroupIds,
    privateIp: nic?.PrivateIpAddress ?? input.PrivateIpAddress,
    associatePublicIp: nic?.AssociatePublicIpAddress,
    iamInstanceProfileArn: instanceProfileArn(ctx.accountId, input.IamInstanceProfile),
    keyName: input.KeyName,
    instanceTags: specTags(input, 'instance'),
    networkInterfaceTags: specTags(input, 'network-interface'),
  };
}

export const instanceHandlers = withDryRun({
  /** Running at once: the twin stores the end state and reports `pending` here, as AWS's response does (see LIMITATIONS). */
  RunInstances(model: Ec2Model, input: RunInstancesRequest, ctx: RequestContext): Reservation {
    const { reservationId, instances } = runInstances(model, worldOf(ctx), runSpec(input, ctx), ctx.time);
    return {
      ReservationId: reservationId,
      OwnerId: model.accountId,
      Groups: [],
      Instances: instances.map((i) => renderInstance(model, i, 'pending')),
    };
  },

  TerminateInstances(
    model: Ec2Model,
    input: TerminateInstancesRequest,
    ctx: RequestContext,
  ): TerminateInstancesResult {
    return {
      TerminatingInstances: renderChanges(terminateInstances(model, input.InstanceIds ?? [], ctx.time)),
    };
  },

  StopInstances(model: Ec2Model, input: StopInstancesRequest, ctx: RequestContext): StopInstancesResult {
    return { StoppingInstances: renderChanges(stopInstances(model, input.InstanceIds ?? [], ctx.time)) };
  },

  StartInstances(model: Ec2Model, input: StartInstancesRequest, ctx: RequestContext): StartInstancesResult {
    return { StartingInstances: renderChanges(startInstances(model, input.InstanceIds ?? [], ctx.time)) };
  },

  DescribeInstances(
    model: Ec2Model,
    input: DescribeInstancesRequest,
    ctx: RequestContext,
  ): DescribeInstancesResult {
    const chosen = input.InstanceIds?.length
      ? requireInstances(model, input.InstanceIds, ctx.time)
      : visibleInstances(model, ctx.time);
    const { page, nextToken } = describe(chosen, input, {
      idOf: (i) => i.id,
      missing: () => new AwsError('InvalidInstanceID.NotFound', 'unreachable'),
      accessors: instanceFilters(model),
    });
    return { Reservations: reservations(model, page), ...(nextToken && { NextToken: nextToken }) };
  },

  /** Only running instances unless IncludeAllInstances (API_DescribeInstanceStatus.html). */
  DescribeInstanceStatus(
    model: Ec2Model,
    input: DescribeInstanceStatusRequest,
    ctx: RequestContext,
  ): DescribeInstanceStatusResult {
    const named = input.InstanceIds?.length
      ? requireInstances(model, input.InstanceIds, ctx.time)
      : visibleInstances(model, ctx.time);
    const chosen = input.IncludeAllInstances ? named : named.filter((i) => i.state === 'running');
    const status = (i: InstanceState) => (i.state === 'running' ? 'ok' : 'not-applicable');
    const { page, nextToken } = describe(chosen, input, {
      idOf: (i) => i.id,
      missing: () => new AwsError('InvalidInstanceID.NotFound', 'unreachable'),
      accessors: {
        'availability-zone': (i) => i.availabilityZone,
        'instance-state-code': (i) => STATE_CODES[i.state],
        'instance-state-name': (i) => i.state,
        'instance-status.status': status,
        'instance-status.reachability': (i) => (i.state === 'running' ? 'passed' : 'not-applicable'),
        'system-status.status': status,
        'system-status.reachability': (i) => (i.state === 'running' ? 'passed' : 'not-applicable'),
      },
    });
    return { InstanceStatuses: page.map(instanceStatus), ...(nextToken && { NextToken: nextToken }) };
  },

  ModifyInstanceAttribute(
    model: Ec2Model,
    input: ModifyInstanceAttributeRequest,
    ctx: RequestContext,
  ): Record<string, never> {
    const [instance] = requireInstances(model, [input.InstanceId ?? ''], ctx.time);
    if (input.Groups) setInstanceGroups(model, instance!, input.Groups);
    if (input.SourceDestCheck?.Value !== undefined) {
      const eni = model.networkInterfaces.get(instance!.primaryNetworkInterfaceId);
      if (eni) eni.sourceDestCheck = input.SourceDestCheck.Value;
    }
    const type = input.InstanceType?.Value ?? (input.Attribute === 'instanceType' ? input.Value : undefined);
    if (type) {
      if (instance!.state !== 'stopped') {
        throw new AwsError(
          'IncorrectInstanceState',
          `The instance '${instance!.id}' is not in the 'stopped' state.`,
        );
      }
      instance!.instanceType = type;
    }
    return {};
  },
});
