import type {
  Instance,
  InstanceStateChange,
  InstanceStatus,
  Reservation,
  InstanceState as SdkInstanceState,
} from '@aws-sdk/client-ec2';
import type { Ec2Model } from '../model/index.ts';
import { instanceProfileId } from '../model/instance-profiles.ts';
import { instanceGroupIds, STATE_CODES, type StateChange } from '../model/instances.ts';
import { macAddressOf, privateDnsNameOf, publicDnsNameOf } from '../model/network-interfaces.ts';
import type { InstanceState, InstanceStateName } from '../model/state.ts';
import { renderEniAssociation, renderGroups } from './network-interfaces.ts';
import { renderTags } from './shared.ts';

/** Instances in the SDK's shapes: DescribeInstances, state changes, status checks. */

export function renderState(name: InstanceStateName): SdkInstanceState {
  return { Code: STATE_CODES[name], Name: name };
}

/** The instance's primary ENI as DescribeInstances nests it. */
function renderInstanceEni(model: Ec2Model, instance: InstanceState): Instance['NetworkInterfaces'] {
  const eni = model.networkInterfaces.get(instance.primaryNetworkInterfaceId);
  if (!eni) return [];
  const association = renderEniAssociation(model, eni);
  const dnsName = privateDnsNameOf(model.region, eni.privateIp);
  return [
    {
      NetworkInterfaceId: eni.id,
      SubnetId: eni.subnetId,
      VpcId: eni.vpcId,
      OwnerId: eni.ownerId,
      Description: eni.description,
      Groups: renderGroups(model, eni.securityGroupIds),
      InterfaceType: eni.interfaceType,
      MacAddress: macAddressOf(eni.id),
      PrivateDnsName: dnsName,
      PrivateIpAddress: eni.privateIp,
      PrivateIpAddresses: [
        {
          Primary: true,
          PrivateIpAddress: eni.privateIp,
          PrivateDnsName: dnsName,
          ...(association && { Association: association }),
        },
      ],
      SourceDestCheck: eni.sourceDestCheck,
      Status: eni.status,
      ...(association && { Association: association }),
      ...(eni.attachment && {
        Attachment: {
          AttachmentId: eni.attachment.id,
          AttachTime: new Date(instance.launchTime),
          DeleteOnTermination: true,
          DeviceIndex: eni.attachment.deviceIndex,
          NetworkCardIndex: 0,
          Status: eni.attachment.status,
        },
      }),
    },
  ];
}

/** An instance as DescribeInstances and RunInstances show it; `state` overrides the stored one (RunInstances says pending). */
export function renderInstance(
  model: Ec2Model,
  instance: InstanceState,
  state: InstanceStateName = instance.state,
): Instance {
  const live = instance.state !== 'terminated';
  const running = instance.state === 'running';
  const groups = renderGroups(model, instanceGroupIds(model, instance));
  const userStopped = instance.state === 'stopped' || instance.state === 'terminated';
  return {
    InstanceId: instance.id,
    ImageId: instance.imageId,
    InstanceType: instance.instanceType as Instance['InstanceType'],
    State: renderState(state),
    ...(live && { PrivateIpAddress: instance.privateIp, SubnetId: instance.subnetId, VpcId: instance.vpcId }),
    PrivateDnsName: live ? privateDnsNameOf(model.region, instance.privateIp) : '',
    PublicDnsName: running && instance.publicIp ? publicDnsNameOf(model.region, instance.publicIp) : '',
    ...(running && instance.publicIp && { PublicIpAddress: instance.publicIp }),
    StateTransitionReason: userStopped
      ? `User initiated (${new Date(instance.stateChangedAt ?? instance.launchTime).toISOString().replace('T', ' ').slice(0, 19)} GMT)`
      : '',
    ...(userStopped && {
      StateReason: {
        Code: 'Client.UserInitiatedShutdown',
        Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
      },
    }),
    ...(instance.keyName && { KeyName: instance.keyName }),
    AmiLaunchIndex: 0,
    LaunchTime: new Date(instance.launchTime),
    Placement: { AvailabilityZone: instance.availabilityZone, GroupName: '', Tenancy: 'default' },
    Monitoring: { State: 'disabled' },
    SecurityGroups: groups,
    NetworkInterfaces: live ? renderInstanceEni(model, instance) : [],
    SourceDestCheck: model.networkInterfaces.get(instance.primaryNetworkInterfaceId)?.sourceDestCheck ?? true,
    ...(instance.iamInstanceProfileArn && {
      IamInstanceProfile: {
        Arn: instance.iamInstanceProfileArn,
        Id: instanceProfileId(instance.iamInstanceProfileArn),
      },
    }),
    Architecture: 'x86_64',
    Hypervisor: 'xen',
    VirtualizationType: 'hvm',
    RootDeviceType: 'ebs',
    RootDeviceName: '/dev/xvda',
    EbsOptimized: false,
    EnaSupport: true,
    Tags: renderTags(instance.tags),
  };
}

export function renderChanges(changes: StateChange[]): InstanceStateChange[] {
  return changes.map((c) => ({
    InstanceId: c.instance.id,
    CurrentState: renderState(c.current),
    PreviousState: renderState(c.previous),
  }));
}

/** Instances grouped into their reservations, in the order given. */
export function reservations(model: Ec2Model, instances: InstanceState[]): Reservation[] {
  const byId = new Map<string, Reservation>();
  for (const instance of instances) {
    const id = instance.reservationId ?? `r-${instance.id.slice(2)}`;
    let r = byId.get(id);
    if (!r) {
      r = { ReservationId: id, OwnerId: instance.ownerId, Groups: [], Instances: [] };
      byId.set(id, r);
    }
    r.Instances!.push(renderInstance(model, instance));
  }
  return [...byId.values()];
}

/** A running instance passes its checks at once (see LIMITATIONS); others have no checks to report. */
export function instanceStatus(instance: InstanceState): InstanceStatus {
  const summary: InstanceStatus['InstanceStatus'] =
    instance.state === 'running'
      ? { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] }
      : { Status: 'not-applicable' };
  return {
    InstanceId: instance.id,
    AvailabilityZone: instance.availabilityZone,
    InstanceState: renderState(instance.state),
    InstanceStatus: summary,
    SystemStatus: summary,
  };
}
