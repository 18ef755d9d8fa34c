import { AwsError } from '../../../core/errors.ts';
import { dependencyViolation, invalidParameter, notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { RouteTableAssociationState, RouteTableState, Tags, VpcState } from './state.ts';
import { getSubnet, getVpc, vpcCidrs } from './vpc-lookups.ts';

/** The route table, or `InvalidRouteTableID.NotFound`. */
export function getRouteTable(model: Ec2Model, id: string | undefined): RouteTableState {
  const table = id ? model.routeTables.get(id) : undefined;
  if (!table) throw notFoundError('routeTable', id ?? '');
  return table;
}

function newTable(model: Ec2Model, vpc: VpcState, tags: Tags): RouteTableState {
  // Every table starts with a `local` route for each of the VPC's CIDR blocks, which
  // cannot be deleted (docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#route-table-routes).
  const table: RouteTableState = {
    id: model.newId('rtb'),
    vpcId: vpc.id,
    ownerId: model.accountId,
    routes: vpcCidrs(vpc).map((cidr) => ({
      destinationCidr: cidr,
      target: { kind: 'local' },
      origin: 'CreateRouteTable',
    })),
    associations: [],
    tags,
  };
  model.routeTables.set(table.id, table);
  return table;
}

/** The main route table CreateVpc makes, with its main association. */
export function newMainRouteTable(model: Ec2Model, vpc: VpcState): RouteTableState {
  const table = newTable(model, vpc, {});
  table.associations.push({ id: model.newId('rtbassoc'), main: true });
  return table;
}

export function createRouteTable(model: Ec2Model, vpcId: string | undefined, tags: Tags): RouteTableState {
  return newTable(model, getVpc(model, vpcId), tags);
}

/** DeleteRouteTable: AWS refuses while any subnet, gateway or the main association uses it. */
export function deleteRouteTable(model: Ec2Model, id: string | undefined): void {
  const table = getRouteTable(model, id);
  if (table.associations.length) {
    throw dependencyViolation(`The routeTable '${table.id}' has dependencies and cannot be deleted.`);
  }
  model.routeTables.delete(table.id);
}

/** The table holding an association id, and the association. */
export function findAssociation(
  model: Ec2Model,
  associationId: string | undefined,
): { table: RouteTableState; association: RouteTableAssociationState } {
  for (const table of model.routeTables.values()) {
    const association = table.associations.find((a) => a.id === associationId);
    if (association) return { table, association };
  }
  throw notFoundError('routeTableAssociation', associationId ?? '');
}

function explicitAssociation(model: Ec2Model, key: { subnetId?: string; gatewayId?: string }) {
  for (const table of model.routeTables.values()) {
    const found = table.associations.find(
      (a) =>
        (key.subnetId && a.subnetId === key.subnetId) || (key.gatewayId && a.gatewayId === key.gatewayId),
    );
    if (found) return { table, association: found };
  }
  return undefined;
}

/**
 * AssociateRouteTable with a subnet, or with an internet gateway (edge
 * association). A subnet has at most one explicit association: another one
 * is `Resource.AlreadyAssociated` (use ReplaceRouteTableAssociation).
 */
export function associateRouteTable(
  model: Ec2Model,
  params: { routeTableId: string | undefined; subnetId?: string | undefined; gatewayId?: string | undefined },
): RouteTableAssociationState {
  const table = getRouteTable(model, params.routeTableId);
  if (Boolean(params.subnetId) === Boolean(params.gatewayId)) {
    throw new AwsError('InvalidParameterCombination', 'Specify exactly one of subnetId or gatewayId.');
  }
  if (params.subnetId) {
    const subnet = getSubnet(model, params.subnetId);
    if (subnet.vpcId !== table.vpcId) {
      throw invalidParameter(`Route table ${table.id} and subnet ${subnet.id} belong to different networks`);
    }
  } else {
    const igw = model.internetGateways.get(params.gatewayId ?? '');
    if (!igw) throw notFoundError('internetGateway', params.gatewayId ?? '');
    if (!igw.attachments.some((a) => a.vpcId === table.vpcId)) {
      throw invalidParameter(`Route table ${table.id} and gateway ${igw.id} belong to different networks`);
    }
  }
  if (explicitAssociation(model, params)) {
    throw new AwsError(
      'Resource.AlreadyAssociated',
      `the specified association for route table ${table.id} conflicts with an existing association`,
    );
  }
  const association: RouteTableAssociationState = {
    id: model.newId('rtbassoc'),
    main: false,
    ...(params.subnetId ? { subnetId: params.subnetId } : { gatewayId: params.gatewayId! }),
  };
  table.associations.push(association);
  return association;
}

/** DisassociateRouteTable; the subnet falls back to the main table. The main association cannot go. */
export function disassociateRouteTable(model: Ec2Model, associationId: string | undefined): void {
  const { table, association } = findAssociation(model, associationId);
  if (association.main) {
    throw invalidParameter(`cannot disassociate the main route table association ${association.id}`);
  }
  table.associations = table.associations.filter((a) => a !== association);
}

/**
 * ReplaceRouteTableAssociation: moves a subnet's (or the VPC's main)
 * association to another table of the same VPC under a new id; moving the
 * main association makes that table the main one (API_ReplaceRouteTableAssociation).
 */
export function replaceRouteTableAssociation(
  model: Ec2Model,
  associationId: string | undefined,
  routeTableId: string | undefined,
): RouteTableAssociationState {
  const { table, association } = findAssociation(model, associationId);
  const target = getRouteTable(model, routeTableId);
  if (target.vpcId !== table.vpcId) {
    throw invalidParameter(
      `Route table ${target.id} and association ${association.id} belong to different networks`,
    );
  }
  table.associations = table.associations.filter((a) => a !== association);
  const moved: RouteTableAssociationState = { ...association, id: model.newId('rtbassoc') };
  target.associations.push(moved);
  if (moved.main) getVpc(model, target.vpcId).mainRouteTableId = target.id;
  return moved;
}

/**
 * The route table a subnet uses: its explicit association, else its VPC's
 * main table ("A subnet can only be associated with one route table at a
 * time … if you don't explicitly associate a subnet, it's implicitly
 * associated with the main route table", RouteTables.html).
 *
 * @example effectiveRouteTable(model, 'subnet-0abc…')?.routes
 */
export function effectiveRouteTable(model: Ec2Model, subnetId: string): RouteTableState | undefined {
  const explicit = explicitAssociation(model, { subnetId });
  if (explicit) return explicit.table;
  const subnet = model.subnets.get(subnetId);
  const vpc = subnet ? model.vpcs.get(subnet.vpcId) : undefined;
  return vpc ? model.routeTables.get(vpc.mainRouteTableId) : undefined;
}

/** Drops a deleted subnet's explicit association. */
export function forgetSubnetAssociations(model: Ec2Model, subnetId: string): void {
  for (const table of model.routeTables.values()) {
    table.associations = table.associations.filter((a) => a.subnetId !== subnetId);
  }
}

/** Drops an internet gateway's edge associations when it leaves the VPC. */
export function forgetGatewayAssociations(model: Ec2Model, gatewayId: string): void {
  for (const table of model.routeTables.values()) {
    table.associations = table.associations.filter((a) => a.gatewayId !== gatewayId);
  }
}
