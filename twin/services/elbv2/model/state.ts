/**
 * Elastic Load Balancing v2 state: network load balancers, their listeners
 * and target groups, held by the account and Region that made them.
 */

/** One enabled Availability Zone of a load balancer: its node's interface in one subnet. */
export interface LoadBalancerZone {
  zoneName: string;
  zoneId: string;
  subnetId: string;
  /** The requester-managed ENI (`ELB net/NAME/ID`) the node answers from. */
  networkInterfaceId: string;
  privateIp: string;
  /** The address was asked for (SubnetMappings PrivateIPv4Address): DescribeLoadBalancers shows it. */
  requestedIp?: boolean;
}

export interface LoadBalancerState {
  arn: string;
  name: string;
  /** The 16 hex digits ending the ARN. */
  id: string;
  type: 'network';
  scheme: 'internal' | 'internet-facing';
  accountId: string;
  region: string;
  vpcId: string;
  createdAt: number;
  /** `provisioning` until then, `active` after (the profile's elbv2ProvisioningMs). */
  activeAt: number;
  dnsName: string;
  ipAddressType: 'ipv4' | 'dualstack';
  /** Empty when the NLB was made without security groups (they cannot be added later). */
  securityGroupIds: string[];
  /** `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`: on by default when the NLB has groups. */
  enforceInboundOnPrivateLink: boolean;
  zones: LoadBalancerZone[];
  attributes: Map<string, string>;
  tags: Map<string, string>;
}

export type TargetGroupProtocol = 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';

export interface HealthCheckSettings {
  enabled: boolean;
  protocol: 'TCP' | 'HTTP' | 'HTTPS';
  /** `traffic-port` or a number as text. */
  port: string;
  path?: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher?: string;
}

export interface RegisteredTarget {
  id: string;
  port: number;
  availabilityZone?: string;
  registeredAt: number;
  /** Set by DeregisterTargets: draining until `drainedAt`, then gone. */
  deregisteredAt?: number;
  drainedAt?: number;
}

export interface TargetGroupState {
  arn: string;
  name: string;
  id: string;
  accountId: string;
  region: string;
  protocol: TargetGroupProtocol;
  port: number;
  vpcId: string;
  targetType: 'instance' | 'ip';
  healthCheck: HealthCheckSettings;
  attributes: Map<string, string>;
  /** `id:port` → target. */
  targets: Map<string, RegisteredTarget>;
  tags: Map<string, string>;
}

export interface ListenerState {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: TargetGroupProtocol;
  targetGroupArn: string;
  sslPolicy?: string;
  certificateArns: string[];
  alpnPolicy?: string[];
  tags: Map<string, string>;
}
