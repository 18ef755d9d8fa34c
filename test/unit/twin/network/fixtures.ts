import type {
  RouteTableState,
  SecurityGroupState,
  SubnetState,
  TransitGatewayRouteTableState,
  TransitGatewayState,
  TransitGatewayVpcAttachmentState,
  VpcEndpointState,
  VpcState,
} from '../../../../twin/services/ec2/model/state.ts';
import { ACCOUNT, BaseLab, hostIn, REGION } from './fixtures-core.ts';

export * from './fixtures-core.ts';

/** BaseLab plus gateways, Transit Gateways, peering and VPC endpoints. */
export class LabBuilder extends BaseLab {
  internetGateway(vpc: VpcState): string {
    const id = this.id('igw');
    this.model(vpc.ownerId).internetGateways.set(id, {
      id,
      ownerId: vpc.ownerId,
      attachments: [{ vpcId: vpc.id, state: 'attached' }],
      tags: {},
    });
    return id;
  }

  natGateway(subnet: SubnetState, privateIp: string, publicIp: string): string {
    const id = this.id('nat');
    const eni = this.eni(subnet, privateIp, [], {
      interfaceType: 'nat_gateway',
      requesterManaged: true,
      publicIp,
      sourceDestCheck: false,
    });
    this.model(subnet.ownerId).natGateways.set(id, {
      id,
      vpcId: subnet.vpcId,
      subnetId: subnet.id,
      connectivityType: 'public',
      state: 'available',
      networkInterfaceId: eni.id,
      privateIp,
      publicIp,
      createTime: this.clock.now(),
      tags: {},
    });
    return id;
  }

  transitGateway(account = ACCOUNT): TransitGatewayState {
    const tgw: TransitGatewayState = {
      id: this.id('tgw'),
      ownerId: account,
      description: '',
      state: 'available',
      options: {
        amazonSideAsn: 64512,
        autoAcceptSharedAttachments: false,
        defaultRouteTableAssociation: false,
        defaultRouteTablePropagation: false,
        dnsSupport: true,
        vpnEcmpSupport: true,
        multicastSupport: false,
        securityGroupReferencingSupport: false,
      },
      creationTime: this.clock.now(),
      tags: {},
    };
    this.model(account).transitGateways.set(tgw.id, tgw);
    return tgw;
  }

  /** Attaches `vpc` with one subnet per AZ, making a TGW ENI in each. */
  attach(tgw: TransitGatewayState, vpc: VpcState, subnets: SubnetState[]): TransitGatewayVpcAttachmentState {
    const att: TransitGatewayVpcAttachmentState = {
      id: this.id('tgw-attach'),
      transitGatewayId: tgw.id,
      transitGatewayOwnerId: tgw.ownerId,
      vpcId: vpc.id,
      vpcOwnerId: vpc.ownerId,
      subnetIds: subnets.map((s) => s.id),
      state: 'available',
      dnsSupport: true,
      applianceModeSupport: false,
      networkInterfaceIds: subnets.map(
        (s) =>
          this.eni(s, hostIn(s.cidr, 250), [], { interfaceType: 'transit_gateway', requesterManaged: true })
            .id,
      ),
      creationTime: this.clock.now(),
      tags: {},
    };
    this.model(tgw.ownerId).transitGatewayAttachments.set(att.id, att);
    return att;
  }

  /** A TGW route table associated with `associate` and fed by `propagate`. */
  tgwRouteTable(
    tgw: TransitGatewayState,
    opts: {
      associate?: TransitGatewayVpcAttachmentState[];
      propagate?: TransitGatewayVpcAttachmentState[];
      routes?: { cidr: string; attachment?: TransitGatewayVpcAttachmentState }[];
    },
  ): TransitGatewayRouteTableState {
    const table: TransitGatewayRouteTableState = {
      id: this.id('tgw-rtb'),
      transitGatewayId: tgw.id,
      state: 'available',
      defaultAssociationRouteTable: false,
      defaultPropagationRouteTable: false,
      staticRoutes: (opts.routes ?? []).map((r) => ({
        cidr: r.cidr,
        blackhole: !r.attachment,
        ...(r.attachment && { attachmentId: r.attachment.id }),
      })),
      propagatingAttachmentIds: (opts.propagate ?? []).map((a) => a.id),
      creationTime: this.clock.now(),
      tags: {},
    };
    this.model(tgw.ownerId).transitGatewayRouteTables.set(table.id, table);
    for (const att of opts.associate ?? []) att.associatedRouteTableId = table.id;
    return table;
  }

  peering(
    requester: VpcState,
    accepter: VpcState,
    status: 'active' | 'pending-acceptance' = 'active',
  ): string {
    const id = this.id('pcx');
    const side = (v: VpcState) => ({ ownerId: v.ownerId, vpcId: v.id, region: REGION, cidr: v.cidr });
    this.model(requester.ownerId).peeringConnections.set(id, {
      id,
      requester: side(requester),
      accepter: side(accepter),
      status,
      statusChangedAt: this.clock.now(),
      tags: {},
    });
    return id;
  }

  endpoint(
    vpc: VpcState,
    service: string,
    opts: {
      type: 'Gateway' | 'Interface';
      subnets?: SubnetState[];
      groups?: SecurityGroupState[];
      privateDns?: boolean;
      routeTables?: RouteTableState[];
      policy?: string;
    },
  ): VpcEndpointState {
    const id = this.id('vpce');
    const endpoint: VpcEndpointState = {
      id,
      ownerId: vpc.ownerId,
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${REGION}.${service}`,
      type: opts.type,
      state: 'available',
      policyDocument:
        opts.policy ??
        '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
      routeTableIds: (opts.routeTables ?? []).map((t) => t.id),
      subnetIds: (opts.subnets ?? []).map((s) => s.id),
      securityGroupIds: (opts.groups ?? []).map((g) => g.id),
      privateDnsEnabled: opts.privateDns ?? opts.type === 'Interface',
      networkInterfaceIds: (opts.subnets ?? []).map(
        (s, i) =>
          this.eni(s, hostIn(s.cidr, 200 + i + this.azCounter++), opts.groups ?? [], {
            interfaceType: 'vpc_endpoint',
            requesterManaged: true,
          }).id,
      ),
      creationTimestamp: this.clock.now(),
      tags: {},
    };
    this.model(vpc.ownerId).vpcEndpoints.set(id, endpoint);
    return endpoint;
  }
}
