import { AwsError } from '../../core/errors.ts';

/**
 * EC2's `*.NotFound` errors, worded as EC2 words them
 * (docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 */
const notFound = {
  vpc: ['InvalidVpcID.NotFound', 'vpc ID'],
  subnet: ['InvalidSubnetID.NotFound', 'subnet ID'],
  routeTable: ['InvalidRouteTableID.NotFound', 'routeTable ID'],
  routeTableAssociation: ['InvalidAssociationID.NotFound', 'association ID'],
  securityGroup: ['InvalidGroup.NotFound', 'security group ID'],
  networkAcl: ['InvalidNetworkAclID.NotFound', 'network ACL ID'],
  networkInterface: ['InvalidNetworkInterfaceID.NotFound', 'network interface ID'],
  instance: ['InvalidInstanceID.NotFound', 'instance ID'],
  internetGateway: ['InvalidInternetGatewayID.NotFound', 'internet gateway ID'],
  natGateway: ['NatGatewayNotFound', 'NAT gateway'],
  allocation: ['InvalidAllocationID.NotFound', 'allocation ID'],
  peering: ['InvalidVpcPeeringConnectionID.NotFound', 'vpcPeeringConnection ID'],
  transitGateway: ['InvalidTransitGatewayID.NotFound', 'transit gateway ID'],
  transitGatewayAttachment: ['InvalidTransitGatewayAttachmentID.NotFound', 'transit gateway attachment ID'],
  transitGatewayRouteTable: ['InvalidRouteTableID.NotFound', 'transit gateway route table ID'],
  vpcEndpoint: ['InvalidVpcEndpointId.NotFound', 'VPC endpoint ID'],
  endpointService: ['InvalidVpcEndpointServiceId.NotFound', 'VpcEndpointService Id'],
  prefixList: ['InvalidPrefixListID.NotFound', 'prefix list ID'],
  flowLog: ['InvalidFlowLogId.NotFound', 'flow log ID'],
} as const;

export type Ec2ResourceKind = keyof typeof notFound;

export function notFoundError(kind: Ec2ResourceKind, id: string): AwsError {
  const [code, noun] = notFound[kind];
  return new AwsError(code, `The ${noun} '${id}' does not exist`);
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

export function dependencyViolation(message: string): AwsError {
  return new AwsError('DependencyViolation', message);
}

export function unauthorizedOperation(message: string): AwsError {
  return new AwsError(
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. ${message}`,
    { status: 403 },
  );
}
