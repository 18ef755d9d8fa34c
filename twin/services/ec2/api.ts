/**
 * EC2 — VPCs, subnets, route tables, gateways, peering, security groups,
 * NACLs, instances and their ENIs, Transit Gateways, VPC endpoints.
 *
 * LIMITATIONS
 * - IPv4 only; no IPv6 CIDRs, egress-only gateways or dual-stack subnets.
 * - No default VPC: an account starts empty.
 * - (each api/ file adds what it does not emulate)
 * Network core (api/vpcs, subnets, zones, route-tables, gateways, peering, security-groups, network-acls, tags):
 * - Secondary IPv4 CIDR blocks: explicit CidrBlock only (no IPAM pools, no IPv6 associations); they are
 *   `associated` at once and a disassociated block drops out of DescribeVpcs after an hour. Peering
 *   connections keep the CIDR blocks of when they were made (CidrBlockSet lists the primary only).
 *   No Direct Connect gateway overlap check. No DHCP option sets (DhcpOptionsId reads `default`).
 * - Availability Zone names map to the same zone ids in every account (AWS shuffles them per account).
 * - Route targets: internet, NAT and transit gateways, peering, interfaces, instances and gateway endpoints;
 *   no virtual private, egress-only, local or carrier gateways, no GWLB endpoints, no route propagation.
 * - Route destination prefix lists are not checked to exist.
 * - NAT gateways are `available` at once (no pending delay in the latency profile); accepted peering
 *   connections are `active` at once (AcceptVpcPeeringConnection still answers `provisioning`).
 * - Security groups: IPv6 rules are kept and shown but admit nothing (the twin has no IPv6 traffic); no rule tags, no ModifySecurityGroupRules, no stale-group checks;
 *   group names are not accepted where AWS takes them only for a default VPC.
 * - Network ACLs: IPv4 entries only. Elastic IPs: allocate/release/describe only (no AssociateAddress),
 *   addresses from the RFC 5737 documentation ranges.
 * - DescribeTags reads every Map of the model; security group rules carry no tags.
 * Instances, ENIs, Transit Gateways, VPC endpoints, prefix lists (api/instances, instance-profiles,
 *   network-interfaces, transit-gateways, transit-gateway-routes, vpc-endpoints, prefix-lists):
 * - Instances are `running` at once (RunInstances answers `pending`, Stop `stopping`, Terminate
 *   `shutting-down`, as AWS's responses do; the next describe shows the end state). Status checks pass
 *   at once (no `initializing`). Any well-formed `ami-` id launches, the public images' ids included;
 *   no block devices, user data, key-pair check, placement or launch templates. One ENI per instance (device 0); a
 *   stopped instance keeps its public address (AWS gives a new one on start).
 * - Instance profiles are not checked against IAM (a name resolves to the caller's account's ARN).
 * - Transit Gateways, their route tables and attachments are `available` at once; deleted attachments
 *   and gateways vanish at once (AWS shows `deleting`/`deleted` for a while). Any account of the twin
 *   may attach a VPC to any TGW by id (no RAM shares); a shared TGW is not listed by
 *   DescribeTransitGateways in the VPC owner's account. VPC attachments only (no VPN, peering,
 *   Connect, multicast or prefix-list references).
 * - VPC endpoints: Gateway and Interface only, for the AWS services of DescribeVpcEndpointServices
 *   and endpoint services of your own (no GWLB or Resource endpoints, no IPv6 or DnsOptions);
 *   interface endpoints are `available` at once unless their service requires acceptance. Endpoint
 *   policies are stored and checked as JSON only. Endpoint ENI addresses come from the subnet's
 *   lowest free address.
 * PrivateLink endpoint services of your own (api/endpoint-services, model/endpoint-service-configurations,
 *   model/endpoint-connections, twin/network/privatelink*):
 * - Network Load Balancers only (no Gateway Load Balancers, no UDP, no cross-Region access,
 *   SupportedRegions or RemoteAccessEnabled); a new service is `Available` at once (the create
 *   answer says `Pending`). AcceptanceRequired defaults to false when the request omits it.
 * - A private DNS name stays `pendingVerification` for ever: the twin cannot see a TXT record on a
 *   public domain, so no consumer can enable private DNS for a service of your own (AWS allows it
 *   once the provider verified the domain); no StartVpcEndpointServicePrivateDnsVerification.
 * - Permissions: account roots, roles, users, service principals and `*`; no organizations or OUs,
 *   no permission tags. The provider's own account may always see and connect to its service.
 * - Accepting a connection makes it `pending` for the profile's privateLinkAcceptanceMs, then
 *   `available`; a rejected endpoint keeps its interfaces. Unsuccessful items for an endpoint in the
 *   wrong state carry the twin's code `InvalidVpcEndpointState` (AWS's code is not documented).
 *   No connection notifications (Create/ModifyVpcEndpointConnectionNotification) and no
 *   ModifyVpcEndpointServicePayerResponsibility.
 * - The endpoint's `vpce.amazonaws.com` names resolve from anywhere while it is `available`
 *   (NXDOMAIN otherwise); the provider side of a connection (NLB node → target) writes no flow logs.
 * Images (api/images): DescribeImages lists the public Amazon Linux images of the region only
 *   (model/public-images.ts: AL2023 standard and minimal, x86_64 and arm64; AL2 kernel 5.10 both
 *   architectures; AL2 x86_64), owner `amazon` (137112412989). Names follow AWS's patterns; release
 *   numbers, image and snapshot ids and dates are stable stand-ins per region, not AWS's. No private,
 *   shared, Marketplace or deprecated images; no CreateImage, CopyImage or launch permissions; tags and
 *   the ExecutableUsers / IncludeDeprecated parameters are ignored. RunInstances does not check an
 *   image id against this list (an unknown but well-formed id still launches; AWS would answer
 *   InvalidAMIID.NotFound).
 * - Prefix lists: the AWS-managed S3 and DynamoDB lists only, with real ids and published ranges for
 *   us-east-1, us-east-2, us-west-2 and eu-west-1 (stable stand-ins elsewhere); no customer-managed lists.
 * Flow logs (api/flow-logs, model/flow-logs*, twin/network/flow-log-*):
 * - VPC, subnet and network-interface flow logs only (no Transit Gateway, TGW attachment or regional
 *   NAT gateway flow logs: refused as not served); destinations CloudWatch Logs (a group of the flow
 *   log's own account and Region) and S3 (cross-account included); no Firehose, no
 *   DeliverCrossAccountRole, no Parquet files, Hive-compatible prefixes or per-hour partitions (refused).
 * - CreateFlowLogs refuses an S3 destination whose policy does not let delivery.logs.amazonaws.com
 *   write (Unsuccessful, code 400); AWS instead adds that policy itself when the caller owns the bucket
 *   and may PutBucketPolicy. The twin's delivery sends aws:SourceArn `arn:aws:logs:<region>:<account>:*`
 *   (the documented policy's pattern, not a per-delivery ARN).
 * - A second flow log of the same resource to the same destination is refused whatever its traffic type
 *   or format. CloudWatch Logs streams are always `<eni-id>-all`.
 * - LogFormat accepts the fields of versions 2–8 (newer fields are refused); fields the twin cannot know
 *   (ECS, sublocation, traffic-path, AWS service names, reject-reason) are written as `-`.
 * - Every interface aggregates as a Nitro instance's does (windows of at most 60 s, scaled by the
 *   latency profile's flowLogCaptureMs); records are OK only (no NODATA/SKIPDATA); only the packets
 *   the twin's probes send (ping, nc, Lambda calls) are recorded. tcp-flags is SYN or SYN-ACK only.
 * - CloudWatch Logs and S3 deliveries share the profile's flowLogDeliveryMs (AWS: ~5 and ~10 min).
 *   Records a refused delivery held are dropped (later windows are tried again); an interface deleted
 *   before its window is delivered loses its records.
 */
import * as sdk from '@aws-sdk/client-ec2';
import { defineService, type Handler } from '../../core/service.ts';
import { addressHandlers } from './api/addresses.ts';
import { endpointServiceHandlers } from './api/endpoint-services.ts';
import { flowLogHandlers } from './api/flow-logs.ts';
import { gatewayHandlers } from './api/gateways.ts';
import { imageHandlers } from './api/images.ts';
import { instanceProfileHandlers } from './api/instance-profiles.ts';
import { instanceHandlers } from './api/instances.ts';
import { networkAclHandlers } from './api/network-acls.ts';
import { networkInterfaceHandlers } from './api/network-interfaces.ts';
import { peeringHandlers } from './api/peering.ts';
import { prefixListHandlers } from './api/prefix-lists.ts';
import { routeTableHandlers } from './api/route-tables.ts';
import { securityGroupHandlers } from './api/security-groups.ts';
import { subnetHandlers } from './api/subnets.ts';
import { tagHandlers } from './api/tags.ts';
import { transitGatewayRouteHandlers } from './api/transit-gateway-routes.ts';
import { transitGatewayHandlers } from './api/transit-gateways.ts';
import { vpcEndpointHandlers } from './api/vpc-endpoints.ts';
import { vpcHandlers } from './api/vpcs.ts';
import { zoneHandlers } from './api/zones.ts';
import { unauthorizedOperation } from './errors.ts';
import type { Ec2Model } from './model/index.ts';
import { Ec2Model as Model } from './model/index.ts';

const handlers: Record<string, Handler<Ec2Model>> = {
  // each api/<resource>.ts spreads its handlers here
  ...vpcHandlers,
  ...subnetHandlers,
  ...zoneHandlers,
  ...routeTableHandlers,
  ...gatewayHandlers,
  ...addressHandlers,
  ...peeringHandlers,
  ...securityGroupHandlers,
  ...networkAclHandlers,
  ...tagHandlers,
  ...instanceHandlers,
  ...instanceProfileHandlers,
  ...networkInterfaceHandlers,
  ...transitGatewayHandlers,
  ...transitGatewayRouteHandlers,
  ...vpcEndpointHandlers,
  ...endpointServiceHandlers,
  ...prefixListHandlers,
  ...imageHandlers,
  ...flowLogHandlers,
};

export const ec2 = defineService<Ec2Model>({
  signingName: 'ec2',
  iamPrefix: 'ec2',
  protocol: 'ec2Query',
  sdk,
  namespace: 'com.amazonaws.ec2',
  xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  version: '2016-11-15',
  createModel: (twin, accountId, region) => new Model(twin, accountId, region),
  accessDenied: (message) => unauthorizedOperation(message),
  handlers,
});
