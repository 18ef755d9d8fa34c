import { AwsError } from '../../../core/errors.ts';
import type { Principal } from '../../../core/principal.ts';
import { notFoundError } from '../errors.ts';
import {
  checkCustomEndpoint,
  customServiceVisibleTo,
  initialEndpointState,
  isCustomServiceName,
} from './endpoint-connections.ts';
import { findCustomService } from './endpoint-service-configurations.ts';
import type { Ec2Model } from './index.ts';
import { createServiceEni, removeNetworkInterface, VPC_ENDPOINT_REQUESTER_ID } from './network-interfaces.ts';
import { prefixListFor } from './prefix-lists.ts';
import type { Tags, VpcEndpointState } from './state.ts';
import { checkPrivateDns } from './vpc-endpoint-dns.ts';
import { type EndpointService, findEndpointService } from './vpc-endpoint-services.ts';
import { getSubnet, getVpc } from './vpc-lookups.ts';

/**
 * VPC endpoints (docs.aws.amazon.com/vpc/latest/privatelink/): a gateway
 * endpoint is a prefix-list route in each of its route tables; an interface
 * endpoint is a requester-managed ENI in each of its subnets (one per AZ).
 */

/** The default policy AWS attaches to a gateway endpoint, as DescribeVpcEndpoints shows it. */
export const DEFAULT_GATEWAY_POLICY =
  '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';
/** The default policy of an interface endpoint: the same grant, written out by the PrivateLink console's serializer. */
export const DEFAULT_INTERFACE_POLICY =
  '{\n  "Statement": [\n    {\n      "Action": "*", \n      "Effect": "Allow", \n      "Principal": "*", \n      "Resource": "*"\n    }\n  ]\n}';

export function defaultPolicy(type: VpcEndpointState['type']): string {
  return type === 'Gateway' ? DEFAULT_GATEWAY_POLICY : DEFAULT_INTERFACE_POLICY;
}

export function getVpcEndpoint(model: Ec2Model, id: string | undefined): VpcEndpointState {
  const endpoint = id ? model.vpcEndpoints.get(id) : undefined;
  if (!endpoint) throw notFoundError('vpcEndpoint', id ?? '');
  return endpoint;
}

function validatePolicy(document: string): string {
  try {
    JSON.parse(document);
  } catch {
    throw new AwsError('InvalidPolicyDocument', 'The policy document is not valid JSON.');
  }
  return document;
}

/** Adds the endpoint's prefix-list route to each route table (which must be in its VPC and not route the list already). */
function addGatewayRoutes(
  model: Ec2Model,
  endpoint: VpcEndpointState,
  routeTableIds: readonly string[],
): void {
  const prefixList = prefixListFor(model.region, endpoint.serviceName);
  if (!prefixList)
    throw new AwsError(
      'InvalidServiceName',
      `The Vpc Endpoint Service '${endpoint.serviceName}' does not exist`,
    );
  const tables = routeTableIds.map((id) => {
    const table = model.routeTables.get(id);
    if (!table) throw notFoundError('routeTable', id);
    if (table.vpcId !== endpoint.vpcId)
      throw new AwsError('InvalidParameter', `Route table ${id} is not in VPC ${endpoint.vpcId}`);
    if (table.routes.some((r) => r.destinationPrefixListId === prefixList.id)) {
      // "InvalidParameter: route table rtb-… already has a route with destination-prefix-list-id pl-…"
      throw new AwsError(
        'InvalidParameter',
        `route table ${id} already has a route with destination-prefix-list-id ${prefixList.id}`,
      );
    }
    return table;
  });
  for (const table of tables) {
    table.routes.push({
      destinationPrefixListId: prefixList.id,
      target: { kind: 'gateway-endpoint', id: endpoint.id },
      origin: 'CreateRoute',
    });
    endpoint.routeTableIds.push(table.id);
  }
}

function removeGatewayRoutes(
  model: Ec2Model,
  endpoint: VpcEndpointState,
  routeTableIds: readonly string[],
): void {
  for (const id of routeTableIds) {
    const table = model.routeTables.get(id);
    if (table)
      table.routes = table.routes.filter(
        (r) => !(r.target.kind === 'gateway-endpoint' && r.target.id === endpoint.id),
      );
    endpoint.routeTableIds = endpoint.routeTableIds.filter((t) => t !== id);
  }
}

/** One requester-managed `vpc_endpoint` ENI per subnet, at most one subnet per AZ. */
function addEndpointSubnets(model: Ec2Model, endpoint: VpcEndpointState, subnetIds: readonly string[]): void {
  const zones = new Set(endpoint.subnetIds.map((id) => model.subnets.get(id)?.availabilityZone));
  const subnets = subnetIds.map((id) => {
    const subnet = getSubnet(model, id);
    if (subnet.vpcId !== endpoint.vpcId)
      throw new AwsError(
        'InvalidParameter',
        `The subnet ID '${id}' does not belong to VPC '${endpoint.vpcId}'`,
      );
    if (zones.has(subnet.availabilityZone)) {
      throw new AwsError(
        'DuplicateSubnetsInSameZone',
        `Found another VPC endpoint subnet in the availability zone of ${id}`,
      );
    }
    zones.add(subnet.availabilityZone);
    return subnet;
  });
  for (const subnet of subnets) {
    const eni = createServiceEni(model, {
      subnetId: subnet.id,
      type: 'vpc_endpoint',
      description: `VPC Endpoint Interface ${endpoint.id}`,
      requesterId: VPC_ENDPOINT_REQUESTER_ID,
      securityGroupIds: endpoint.securityGroupIds,
    });
    endpoint.subnetIds.push(subnet.id);
    endpoint.networkInterfaceIds.push(eni.id);
  }
}

function removeEndpointSubnets(
  model: Ec2Model,
  endpoint: VpcEndpointState,
  subnetIds: readonly string[],
): void {
  const dropped = new Set(subnetIds);
  for (const eniId of [...endpoint.networkInterfaceIds]) {
    const eni = model.networkInterfaces.get(eniId);
    if (eni && !dropped.has(eni.subnetId)) continue;
    removeNetworkInterface(model, eniId);
    endpoint.networkInterfaceIds = endpoint.networkInterfaceIds.filter((id) => id !== eniId);
  }
  endpoint.subnetIds = endpoint.subnetIds.filter((id) => !dropped.has(id));
}

function setEndpointGroups(model: Ec2Model, endpoint: VpcEndpointState, groupIds: readonly string[]): void {
  for (const id of groupIds) {
    const group = model.securityGroups.get(id);
    if (!group) throw notFoundError('securityGroup', id);
    if (group.vpcId !== endpoint.vpcId) {
      throw new AwsError(
        'InvalidParameter',
        `Security group ${id} and VPC ${endpoint.vpcId} belong to different networks.`,
      );
    }
  }
  endpoint.securityGroupIds = [...new Set(groupIds)];
  for (const eniId of endpoint.networkInterfaceIds) {
    const eni = model.networkInterfaces.get(eniId);
    if (eni) eni.securityGroupIds = [...endpoint.securityGroupIds];
  }
}

export interface NewVpcEndpoint {
  vpcId: string | undefined;
  type: 'Gateway' | 'Interface';
  serviceName: string | undefined;
  policyDocument?: string | undefined;
  routeTableIds?: string[] | undefined;
  subnetIds?: string[] | undefined;
  securityGroupIds?: string[] | undefined;
  privateDnsEnabled?: boolean | undefined;
  tags: Tags;
  /** Who asks: a service of your own (PrivateLink) is visible only to the principals it allows. */
  caller?: Principal | undefined;
}

/** The endpoint service the name and type designate, or InvalidServiceName as AWS words it. */
export function requireEndpointService(
  region: string,
  name: string | undefined,
  type: 'Gateway' | 'Interface',
): EndpointService {
  const service = findEndpointService(region, name, type);
  if (!service)
    throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${name ?? ''}' does not exist`);
  return service;
}

/** CreateVpcEndpoint (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html). */
export function createVpcEndpoint(model: Ec2Model, spec: NewVpcEndpoint, now: number): VpcEndpointState {
  const vpc = getVpc(model, spec.vpcId);
  if (spec.type === 'Interface' && isCustomServiceName(spec.serviceName) && spec.caller)
    return createCustomServiceEndpoint(model, spec, spec.caller, now);
  const service = requireEndpointService(model.region, spec.serviceName, spec.type);
  const endpoint: VpcEndpointState = {
    id: model.newId('vpce'),
    ownerId: model.accountId,
    vpcId: vpc.id,
    serviceName: service.name,
    type: spec.type,
    state: 'available',
    policyDocument: spec.policyDocument ? validatePolicy(spec.policyDocument) : defaultPolicy(spec.type),
    routeTableIds: [],
    subnetIds: [],
    securityGroupIds: [],
    privateDnsEnabled: spec.type === 'Interface' && (spec.privateDnsEnabled ?? service.privateDnsDefault),
    networkInterfaceIds: [],
    creationTimestamp: now,
    tags: spec.tags,
  };
  if (spec.type === 'Gateway') {
    addGatewayRoutes(model, endpoint, [...new Set(spec.routeTableIds ?? [])]);
  } else {
    if (endpoint.privateDnsEnabled) checkPrivateDns(model, endpoint, service);
    setEndpointGroups(
      model,
      endpoint,
      spec.securityGroupIds?.length ? spec.securityGroupIds : [vpc.defaultSecurityGroupId],
    );
    addEndpointSubnets(model, endpoint, [...new Set(spec.subnetIds ?? [])]);
  }
  model.vpcEndpoints.set(endpoint.id, endpoint);
  return endpoint;
}

/** An interface endpoint to a service of your own (endpoint-connections.ts has its rules). */
function createCustomServiceEndpoint(
  model: Ec2Model,
  spec: NewVpcEndpoint,
  caller: Principal,
  now: number,
): VpcEndpointState {
  const vpc = getVpc(model, spec.vpcId);
  const service = customServiceVisibleTo(model, spec.serviceName, caller);
  const subnetIds = [...new Set(spec.subnetIds ?? [])];
  checkCustomEndpoint(model, service, { subnetIds, privateDnsEnabled: spec.privateDnsEnabled });
  const endpoint: VpcEndpointState = {
    id: model.newId('vpce'),
    ownerId: model.accountId,
    vpcId: vpc.id,
    serviceName: service.name,
    type: 'Interface',
    state: initialEndpointState(service),
    policyDocument: spec.policyDocument ? validatePolicy(spec.policyDocument) : DEFAULT_INTERFACE_POLICY,
    routeTableIds: [],
    subnetIds: [],
    securityGroupIds: [],
    privateDnsEnabled: false,
    networkInterfaceIds: [],
    creationTimestamp: now,
    tags: spec.tags,
  };
  setEndpointGroups(
    model,
    endpoint,
    spec.securityGroupIds?.length ? spec.securityGroupIds : [vpc.defaultSecurityGroupId],
  );
  addEndpointSubnets(model, endpoint, subnetIds);
  model.vpcEndpoints.set(endpoint.id, endpoint);
  return endpoint;
}

export interface VpcEndpointChanges {
  addRouteTableIds?: string[] | undefined;
  removeRouteTableIds?: string[] | undefined;
  addSubnetIds?: string[] | undefined;
  removeSubnetIds?: string[] | undefined;
  addSecurityGroupIds?: string[] | undefined;
  removeSecurityGroupIds?: string[] | undefined;
  policyDocument?: string | undefined;
  resetPolicy?: boolean | undefined;
  privateDnsEnabled?: boolean | undefined;
}

/** ModifyVpcEndpoint: routes, subnets (ENIs), groups, policy and private DNS, each applied to what exists. */
export function modifyVpcEndpoint(
  model: Ec2Model,
  id: string | undefined,
  changes: VpcEndpointChanges,
): VpcEndpointState {
  const endpoint = getVpcEndpoint(model, id);
  const custom = findCustomService(model, endpoint.serviceName);
  if (custom)
    checkCustomEndpoint(model, custom, {
      subnetIds: changes.addSubnetIds ?? [],
      privateDnsEnabled: changes.privateDnsEnabled,
    });
  const service = custom
    ? undefined
    : requireEndpointService(model.region, endpoint.serviceName, endpoint.type);
  if (changes.removeRouteTableIds?.length) removeGatewayRoutes(model, endpoint, changes.removeRouteTableIds);
  if (changes.addRouteTableIds?.length)
    addGatewayRoutes(
      model,
      endpoint,
      changes.addRouteTableIds.filter((t) => !endpoint.routeTableIds.includes(t)),
    );
  if (changes.removeSubnetIds?.length) removeEndpointSubnets(model, endpoint, changes.removeSubnetIds);
  if (changes.addSubnetIds?.length)
    addEndpointSubnets(
      model,
      endpoint,
      changes.addSubnetIds.filter((s) => !endpoint.subnetIds.includes(s)),
    );
  if (changes.addSecurityGroupIds?.length || changes.removeSecurityGroupIds?.length) {
    const removed = new Set(changes.removeSecurityGroupIds ?? []);
    const groups = [
      ...endpoint.securityGroupIds.filter((g) => !removed.has(g)),
      ...(changes.addSecurityGroupIds ?? []),
    ];
    if (!groups.length)
      throw new AwsError('InvalidParameter', 'An interface endpoint must have at least one security group.');
    setEndpointGroups(model, endpoint, [...new Set(groups)]);
  }
  if (changes.resetPolicy) endpoint.policyDocument = defaultPolicy(endpoint.type);
  else if (changes.policyDocument !== undefined)
    endpoint.policyDocument = validatePolicy(changes.policyDocument);
  if (
    changes.privateDnsEnabled !== undefined &&
    endpoint.type === 'Interface' &&
    changes.privateDnsEnabled !== endpoint.privateDnsEnabled
  ) {
    if (changes.privateDnsEnabled && service) checkPrivateDns(model, endpoint, service);
    endpoint.privateDnsEnabled = changes.privateDnsEnabled;
  }
  return endpoint;
}

/** DeleteVpcEndpoints: removes each endpoint's routes and ENIs; unknown ids come back as unsuccessful items. */
export function deleteVpcEndpoints(
  model: Ec2Model,
  ids: readonly string[],
): { id: string; code: string; message: string }[] {
  const unsuccessful: { id: string; code: string; message: string }[] = [];
  for (const id of ids) {
    const endpoint = model.vpcEndpoints.get(id);
    if (!endpoint) {
      unsuccessful.push({
        id,
        code: 'InvalidVpcEndpoint.NotFound',
        message: `The Vpc Endpoint Id '${id}' does not exist`,
      });
      continue;
    }
    removeGatewayRoutes(model, endpoint, [...endpoint.routeTableIds]);
    removeEndpointSubnets(model, endpoint, [...endpoint.subnetIds]);
    model.vpcEndpoints.delete(id);
  }
  return unsuccessful;
}
