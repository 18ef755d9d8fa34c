import type { Twin } from '../../../twin.ts';
import type { EndpointServiceConfigurationState } from './endpoint-service-state.ts';
import type {
  ElasticIpState,
  FlowLogState,
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
} from './state.ts';

/**
 * EC2 state of one account in one region. Operations live beside it, one
 * file per resource family (model/vpcs.ts, model/transit-gateways.ts, …),
 * as plain functions of the model; they know nothing of HTTP.
 */
export class Ec2Model {
  readonly vpcs = new Map<string, VpcState>();
  readonly subnets = new Map<string, SubnetState>();
  readonly routeTables = new Map<string, RouteTableState>();
  readonly securityGroups = new Map<string, SecurityGroupState>();
  readonly networkAcls = new Map<string, NetworkAclState>();
  readonly networkInterfaces = new Map<string, NetworkInterfaceState>();
  readonly instances = new Map<string, InstanceState>();
  readonly internetGateways = new Map<string, InternetGatewayState>();
  readonly natGateways = new Map<string, NatGatewayState>();
  readonly elasticIps = new Map<string, ElasticIpState>();
  /** Connections this account requested; the accepter's side is found across accounts. */
  readonly peeringConnections = new Map<string, VpcPeeringConnectionState>();
  readonly transitGateways = new Map<string, TransitGatewayState>();
  readonly transitGatewayAttachments = new Map<string, TransitGatewayVpcAttachmentState>();
  readonly transitGatewayRouteTables = new Map<string, TransitGatewayRouteTableState>();
  readonly vpcEndpoints = new Map<string, VpcEndpointState>();
  /** Endpoint services this account provides (PrivateLink); their consumers' endpoints live in the consumers' models. */
  readonly endpointServiceConfigurations = new Map<string, EndpointServiceConfigurationState>();
  readonly flowLogs = new Map<string, FlowLogState>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}

  /** A fresh id such as `vpc-0a1b2c3d4e5f67890`. */
  newId(prefix: string): string {
    return this.twin.ids.resource(prefix);
  }
}
