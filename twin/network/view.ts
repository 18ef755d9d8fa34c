import type { Ec2Model } from '../services/ec2/model/index.ts';
import { networkAclFor } from '../services/ec2/model/network-acls.ts';
import { effectiveRouteTable } from '../services/ec2/model/route-tables.ts';
import type {
  InstanceState,
  InternetGatewayState,
  NatGatewayState,
  NetworkAclState,
  NetworkInterfaceState,
  RouteTableState,
  SecurityGroupState,
  SubnetState,
  TransitGatewayRouteTableState,
  TransitGatewayState,
  TransitGatewayVpcAttachmentState,
  VpcEndpointState,
  VpcPeeringConnectionState,
  VpcState,
} from '../services/ec2/model/state.ts';
import type { Twin } from '../twin.ts';

/**
 * A read-only view of every account's EC2 state, for the reachability
 * engine: a packet crosses accounts (peering, shared Transit Gateways), so
 * lookups search every model. Resource ids are unique across accounts, as
 * AWS's are. Built per question, never cached across calls, so a change
 * made through the API is seen by the next probe.
 */
export class NetworkView {
  readonly models: readonly Ec2Model[];

  constructor(readonly twin: Twin) {
    this.models = twin.modelsSigning<Ec2Model>('ec2').map(([, model]) => model);
  }

  private find<T>(pick: (m: Ec2Model) => Map<string, T>, id: string | undefined): T | undefined {
    if (!id) return undefined;
    for (const model of this.models) {
      const found = pick(model).get(id);
      if (found) return found;
    }
    return undefined;
  }

  private all<T extends { id: string }>(pick: (m: Ec2Model) => Map<string, T>): T[] {
    const seen = new Map<string, T>();
    for (const model of this.models)
      for (const item of pick(model).values()) if (!seen.has(item.id)) seen.set(item.id, item);
    return [...seen.values()];
  }

  vpc = (id: string | undefined): VpcState | undefined => this.find((m) => m.vpcs, id);
  subnet = (id: string | undefined): SubnetState | undefined => this.find((m) => m.subnets, id);
  routeTable = (id: string | undefined): RouteTableState | undefined => this.find((m) => m.routeTables, id);
  securityGroup = (id: string | undefined): SecurityGroupState | undefined =>
    this.find((m) => m.securityGroups, id);
  eni = (id: string | undefined): NetworkInterfaceState | undefined =>
    this.find((m) => m.networkInterfaces, id);
  instance = (id: string | undefined): InstanceState | undefined => this.find((m) => m.instances, id);
  internetGateway = (id: string | undefined): InternetGatewayState | undefined =>
    this.find((m) => m.internetGateways, id);
  natGateway = (id: string | undefined): NatGatewayState | undefined => this.find((m) => m.natGateways, id);
  peering = (id: string | undefined): VpcPeeringConnectionState | undefined =>
    this.find((m) => m.peeringConnections, id);
  transitGateway = (id: string | undefined): TransitGatewayState | undefined =>
    this.find((m) => m.transitGateways, id);
  tgwAttachment = (id: string | undefined): TransitGatewayVpcAttachmentState | undefined =>
    this.find((m) => m.transitGatewayAttachments, id);
  tgwRouteTable = (id: string | undefined): TransitGatewayRouteTableState | undefined =>
    this.find((m) => m.transitGatewayRouteTables, id);
  endpoint = (id: string | undefined): VpcEndpointState | undefined => this.find((m) => m.vpcEndpoints, id);

  /** The region a VPC lives in (the region of the model that holds it). */
  regionOfVpc(vpcId: string): string | undefined {
    return this.models.find((m) => m.vpcs.has(vpcId))?.region;
  }

  /**
   * The interface in `vpcId` that owns `ip` as its private address. A NAT
   * gateway whose ENI the state does not hold is stood in for by one made
   * from the gateway's own record, so address lookups still find it.
   */
  eniByIp(vpcId: string, ip: string): NetworkInterfaceState | undefined {
    const eni = this.all((m) => m.networkInterfaces).find((e) => e.vpcId === vpcId && e.privateIp === ip);
    if (eni) return eni;
    const nat = this.all((m) => m.natGateways).find((n) => n.vpcId === vpcId && n.privateIp === ip);
    return nat && this.natInterface(nat);
  }

  /** The ENI of a NAT gateway, from the state or made from the gateway's record. */
  natInterface(nat: NatGatewayState): NetworkInterfaceState {
    const eni = this.eni(nat.networkInterfaceId);
    if (eni) return eni;
    const subnet = this.subnet(nat.subnetId);
    return {
      id: nat.networkInterfaceId,
      subnetId: nat.subnetId,
      vpcId: nat.vpcId,
      ownerId: subnet?.ownerId ?? '',
      availabilityZone: subnet?.availabilityZone ?? '',
      privateIp: nat.privateIp,
      ...(nat.publicIp && { publicIp: nat.publicIp }),
      securityGroupIds: [],
      interfaceType: 'nat_gateway',
      status: 'in-use',
      description: `Interface for NAT Gateway ${nat.id}`,
      requesterManaged: true,
      sourceDestCheck: false,
      tags: {},
    };
  }

  /** The NAT gateway or interface that owns a public address. */
  ownerOfPublicIp(ip: string): NetworkInterfaceState | undefined {
    const nat = this.all((m) => m.natGateways).find((n) => n.publicIp === ip && n.state === 'available');
    return nat ? this.natInterface(nat) : this.eniByPublicIp(ip);
  }

  /** Interfaces whose public address (auto-assigned or Elastic IP) is `ip`. */
  eniByPublicIp(ip: string): NetworkInterfaceState | undefined {
    return this.all((m) => m.networkInterfaces).find((e) => e.publicIp === ip);
  }

  interfacesInGroup(groupId: string): NetworkInterfaceState[] {
    return this.all((m) => m.networkInterfaces).filter((e) => e.securityGroupIds.includes(groupId));
  }

  /** The model of the account that owns a subnet. */
  private ownerOfSubnet(subnetId: string): Ec2Model | undefined {
    return this.models.find((m) => m.subnets.has(subnetId));
  }

  /** The route table a subnet uses (its explicit association, else the VPC's main table), as EC2 decides it. */
  routeTableForSubnet(subnetId: string): RouteTableState | undefined {
    const model = this.ownerOfSubnet(subnetId);
    return model && effectiveRouteTable(model, subnetId);
  }

  /** The network ACL of a subnet: its association, else the VPC's default ACL. */
  networkAclForSubnet(subnetId: string): NetworkAclState | undefined {
    const model = this.ownerOfSubnet(subnetId);
    if (!model) return undefined;
    const vpc = this.vpc(model.subnets.get(subnetId)?.vpcId);
    return networkAclFor(model, subnetId) ?? model.networkAcls.get(vpc?.defaultNetworkAclId ?? '');
  }

  /** Internet gateways attached to `vpcId`. */
  internetGatewaysOf(vpcId: string): InternetGatewayState[] {
    return this.all((m) => m.internetGateways).filter((g) =>
      g.attachments.some((a) => a.vpcId === vpcId && a.state === 'attached'),
    );
  }

  /** VPC attachments of `vpcId` to `transitGatewayId`, in any account. */
  attachmentsOf(vpcId: string, transitGatewayId: string): TransitGatewayVpcAttachmentState[] {
    return this.all((m) => m.transitGatewayAttachments).filter(
      (a) => a.vpcId === vpcId && a.transitGatewayId === transitGatewayId,
    );
  }

  attachmentsOfTgw(transitGatewayId: string): TransitGatewayVpcAttachmentState[] {
    return this.all((m) => m.transitGatewayAttachments).filter(
      (a) => a.transitGatewayId === transitGatewayId,
    );
  }

  endpointsOf(vpcId: string): VpcEndpointState[] {
    return this.all((m) => m.vpcEndpoints).filter((e) => e.vpcId === vpcId);
  }
}
