/**
 * EC2 state as the twin holds it: plain records with required fields, one
 * per resource, rendered into the SDK's shapes by api/. The reachability
 * engine (twin/network) reads these directly. Route and attachment states
 * that AWS derives (a route is `blackhole` when its target is gone) are
 * computed when read, never stored, so they cannot go stale.
 */
import type { LogFormat } from './flow-logs-format.ts';

export type Tags = Record<string, string>;

/** A secondary IPv4 block (AssociateVpcCidrBlock); `associating`/`disassociating` are only ever answered, never stored. */
export interface VpcCidrAssociationState {
  /** `vpc-cidr-assoc-…` */
  id: string;
  cidr: string;
  state: 'associated' | 'disassociated';
  /** Epoch ms of DisassociateVpcCidrBlock; the block stays described for a while after it. */
  disassociatedAt?: number;
}

export interface VpcState {
  id: string;
  ownerId: string;
  region: string;
  cidr: string;
  state: 'pending' | 'available';
  /** Secondary IPv4 blocks in association order; absent until the first AssociateVpcCidrBlock. */
  secondaryCidrs?: VpcCidrAssociationState[];
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  mainRouteTableId: string;
  defaultNetworkAclId: string;
  defaultSecurityGroupId: string;
  tags: Tags;
}

export interface SubnetState {
  id: string;
  vpcId: string;
  ownerId: string;
  cidr: string;
  availabilityZone: string;
  availabilityZoneId: string;
  mapPublicIpOnLaunch: boolean;
  state: 'pending' | 'available';
  tags: Tags;
}

export type RouteTarget =
  | { kind: 'local' }
  | { kind: 'internet-gateway'; id: string }
  | { kind: 'nat-gateway'; id: string }
  | { kind: 'transit-gateway'; id: string }
  | { kind: 'peering'; id: string }
  /** A gateway endpoint's prefix-list route (`vpce-…` as GatewayId). */
  | { kind: 'gateway-endpoint'; id: string }
  | { kind: 'network-interface'; id: string }
  | { kind: 'instance'; id: string };

export interface RouteState {
  /** Exactly one of destinationCidr / destinationPrefixListId. */
  destinationCidr?: string;
  destinationPrefixListId?: string;
  target: RouteTarget;
  origin: 'CreateRouteTable' | 'CreateRoute' | 'EnableVgwRoutePropagation';
}

export interface RouteTableAssociationState {
  id: string;
  /** Absent for the main association. */
  subnetId?: string;
  gatewayId?: string;
  main: boolean;
}

export interface RouteTableState {
  id: string;
  vpcId: string;
  ownerId: string;
  routes: RouteState[];
  associations: RouteTableAssociationState[];
  tags: Tags;
}

/** `-1` means all protocols; otherwise `tcp`, `udp`, `icmp` or a protocol number as a string. */
export type IpProtocol = string;

export interface SecurityGroupRuleState {
  id: string;
  groupId: string;
  egress: boolean;
  protocol: IpProtocol;
  /** For ICMP: the ICMP type (-1 all); for TCP/UDP the port range; -1 with protocol -1. */
  fromPort: number;
  toPort: number;
  /** Exactly one source/destination. */
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedGroupId?: string;
  prefixListId?: string;
  description?: string;
}

export interface SecurityGroupState {
  id: string;
  vpcId: string;
  ownerId: string;
  name: string;
  description: string;
  rules: SecurityGroupRuleState[];
  tags: Tags;
}

export interface NetworkAclEntryState {
  ruleNumber: number;
  egress: boolean;
  /** `-1`, or a protocol number as a string (`1` ICMP, `6` TCP, `17` UDP). */
  protocol: string;
  action: 'allow' | 'deny';
  cidr: string;
  icmp?: { type: number; code: number };
  portRange?: { from: number; to: number };
}

export interface NetworkAclState {
  id: string;
  vpcId: string;
  ownerId: string;
  isDefault: boolean;
  entries: NetworkAclEntryState[];
  associations: { id: string; subnetId: string }[];
  tags: Tags;
}

export type InterfaceType =
  | 'interface'
  | 'nat_gateway'
  | 'vpc_endpoint'
  | 'lambda'
  | 'transit_gateway'
  | 'network_load_balancer';

export interface NetworkInterfaceState {
  id: string;
  subnetId: string;
  vpcId: string;
  ownerId: string;
  availabilityZone: string;
  privateIp: string;
  publicIp?: string;
  securityGroupIds: string[];
  interfaceType: InterfaceType;
  status: 'available' | 'in-use';
  description: string;
  /** Made by an AWS service for you (endpoint, Lambda, NAT, TGW ENIs). */
  requesterManaged: boolean;
  requesterId?: string;
  attachment?: { id: string; instanceId?: string; deviceIndex: number; status: 'attached' | 'detached' };
  sourceDestCheck: boolean;
  tags: Tags;
}

export type InstanceStateName =
  | 'pending'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'shutting-down'
  | 'terminated';

export interface InstanceState {
  id: string;
  ownerId: string;
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  imageId: string;
  instanceType: string;
  state: InstanceStateName;
  launchTime: number;
  primaryNetworkInterfaceId: string;
  privateIp: string;
  publicIp?: string;
  /** `arn:aws:iam::ACCOUNT:instance-profile/NAME` */
  iamInstanceProfileArn?: string;
  /** `iip-assoc-…`, present while a profile is associated. */
  iamInstanceProfileAssociationId?: string;
  keyName?: string;
  /** `r-…`: the RunInstances call that launched it (DescribeInstances groups by it). */
  reservationId?: string;
  /** Epoch ms of the last state change; a terminated instance stays described for about an hour after it. */
  stateChangedAt?: number;
  tags: Tags;
}

export interface InternetGatewayState {
  id: string;
  ownerId: string;
  attachments: { vpcId: string; state: 'attached' | 'detached' }[];
  tags: Tags;
}

export interface NatGatewayState {
  id: string;
  vpcId: string;
  subnetId: string;
  connectivityType: 'public' | 'private';
  state: 'pending' | 'available' | 'deleting' | 'deleted' | 'failed';
  networkInterfaceId: string;
  privateIp: string;
  publicIp?: string;
  allocationId?: string;
  createTime: number;
  /** Epoch ms; a deleted NAT gateway stays described for about an hour. */
  deleteTime?: number;
  tags: Tags;
}

export interface ElasticIpState {
  allocationId: string;
  publicIp: string;
  associationId?: string;
  networkInterfaceId?: string;
  tags: Tags;
}

export interface PeeringSide {
  ownerId: string;
  vpcId: string;
  region: string;
  cidr: string;
}

export interface VpcPeeringConnectionState {
  id: string;
  requester: PeeringSide;
  accepter: PeeringSide;
  status:
    | 'initiating-request'
    | 'pending-acceptance'
    | 'active'
    | 'deleted'
    | 'rejected'
    | 'failed'
    | 'expired'
    | 'deleting';
  /** Epoch ms; a deleted or rejected connection stays visible for a while, as in AWS. */
  statusChangedAt: number;
  /** The account whose call made the last change: how long a deleted connection stays visible depends on it. */
  statusChangedBy?: string;
  /** The requester's tags; AWS keeps each account's tags on a connection apart. */
  tags: Tags;
  /** Tags the accepter's account put on the connection. */
  accepterTags?: Tags;
}

export interface TransitGatewayOptionsState {
  amazonSideAsn: number;
  autoAcceptSharedAttachments: boolean;
  defaultRouteTableAssociation: boolean;
  defaultRouteTablePropagation: boolean;
  associationDefaultRouteTableId?: string;
  propagationDefaultRouteTableId?: string;
  dnsSupport: boolean;
  vpnEcmpSupport: boolean;
  multicastSupport: boolean;
  securityGroupReferencingSupport: boolean;
}

export interface TransitGatewayState {
  id: string;
  ownerId: string;
  description: string;
  state: 'pending' | 'available' | 'modifying' | 'deleting' | 'deleted';
  options: TransitGatewayOptionsState;
  creationTime: number;
  tags: Tags;
}

export interface TransitGatewayVpcAttachmentState {
  id: string;
  transitGatewayId: string;
  transitGatewayOwnerId: string;
  vpcId: string;
  vpcOwnerId: string;
  subnetIds: string[];
  state:
    | 'pendingAcceptance'
    | 'pending'
    | 'available'
    | 'modifying'
    | 'deleting'
    | 'deleted'
    | 'rejected'
    | 'failed';
  dnsSupport: boolean;
  applianceModeSupport: boolean;
  /** The route table this attachment is associated with: an attachment has at most one. */
  associatedRouteTableId?: string;
  /** The ENIs the attachment places in each of its subnets. */
  networkInterfaceIds: string[];
  creationTime: number;
  tags: Tags;
}

export interface TransitGatewayStaticRouteState {
  cidr: string;
  /** Absent for a blackhole route. */
  attachmentId?: string;
  blackhole: boolean;
}

export interface TransitGatewayRouteTableState {
  id: string;
  transitGatewayId: string;
  state: 'pending' | 'available' | 'deleting' | 'deleted';
  defaultAssociationRouteTable: boolean;
  defaultPropagationRouteTable: boolean;
  staticRoutes: TransitGatewayStaticRouteState[];
  /** Attachments whose VPC CIDRs propagate into this table. */
  propagatingAttachmentIds: string[];
  creationTime: number;
  tags: Tags;
}

export interface VpcEndpointState {
  id: string;
  ownerId: string;
  vpcId: string;
  serviceName: string;
  type: 'Gateway' | 'Interface';
  state: 'pendingAcceptance' | 'pending' | 'available' | 'deleting' | 'deleted' | 'rejected' | 'failed';
  /** The endpoint policy document (JSON); AWS's default allows everything. */
  policyDocument: string;
  routeTableIds: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  privateDnsEnabled: boolean;
  networkInterfaceIds: string[];
  creationTimestamp: number;
  tags: Tags;
}

/** AWS-managed prefix lists for gateway endpoint services (`com.amazonaws.us-east-1.s3`). */
export interface PrefixListState {
  id: string;
  name: string;
  cidrs: string[];
}

/** A flow log (model/flow-logs.ts): kept with the other state so the model index need not import its logic. */
export type FlowLogResourceType = 'VPC' | 'Subnet' | 'NetworkInterface';
export type TrafficType = 'ACCEPT' | 'REJECT' | 'ALL';

export type FlowLogDestination =
  | { type: 'cloud-watch-logs'; logGroupName: string; arn: string }
  | { type: 's3'; bucket: string; prefix: string; arn: string };

export interface FlowLogState {
  id: string;
  accountId: string;
  region: string;
  resourceId: string;
  resourceType: FlowLogResourceType;
  trafficType: TrafficType;
  destination: FlowLogDestination;
  deliverLogsPermissionArn?: string;
  format: LogFormat;
  /** Seconds: 60 or 600. */
  maxAggregationInterval: 60 | 600;
  creationTime: number;
  clientToken?: string;
  tags: Tags;
  delivery: FlowLogDeliveryStatus;
  /** Set by DeleteFlowLogs: a pending delivery sees it and stops. */
  deleted?: boolean;
}

export interface FlowLogDeliveryStatus {
  status: 'SUCCESS' | 'FAILED';
  /** DeliverLogsErrorMessage, in AWS's words ("Access error", "Unknown error"). */
  errorMessage?: string;
  /** Why, in the twin's words, for `GET /_twin/state` readers and tests; AWS does not show it. */
  because?: string;
  /** Twin-clock ms of the last window end delivered (the next tick is one window later). */
  capturedUntil: number;
  /** Traffic-log position before which every record has been taken. */
  cursor: number;
  /** Records past the cursor taken up to a time (exclusive), or wholly (Infinity). */
  partial: Record<number, number>;
}
