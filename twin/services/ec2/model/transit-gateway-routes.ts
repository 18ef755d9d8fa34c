import { formatCidr, parseCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { World } from './peering.ts';
import type { Tags, TransitGatewayRouteTableState, TransitGatewayVpcAttachmentState } from './state.ts';
import { vpcCidrs } from './vpc-lookups.ts';
import { invalidCidrParameter } from './vpcs.ts';

/**
 * Transit Gateway route tables (docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html):
 * each attachment is associated with at most one table, which decides where
 * its traffic goes; attachments propagate their VPC's CIDR blocks into any
 * number of tables; static routes win over propagated ones for the same prefix.
 */

export interface EffectiveTgwRoute {
  cidr: string;
  /** Absent for a blackhole route. */
  attachmentId?: string;
  /** The attached VPC, when the attachment still exists. */
  resourceId?: string;
  type: 'static' | 'propagated';
  state: 'active' | 'blackhole';
}

export function newTransitGatewayRouteTable(
  model: Ec2Model,
  transitGatewayId: string,
  tags: Tags,
  now: number,
): TransitGatewayRouteTableState {
  const table: TransitGatewayRouteTableState = {
    id: model.newId('tgw-rtb'),
    transitGatewayId,
    // Available at once: the twin has no provisioning delay (see LIMITATIONS).
    state: 'available',
    defaultAssociationRouteTable: false,
    defaultPropagationRouteTable: false,
    staticRoutes: [],
    propagatingAttachmentIds: [],
    creationTime: now,
    tags,
  };
  model.transitGatewayRouteTables.set(table.id, table);
  return table;
}

/** The caller's route table, or InvalidRouteTableID.NotFound. */
export function getTgwRouteTable(model: Ec2Model, id: string | undefined): TransitGatewayRouteTableState {
  const table = id ? model.transitGatewayRouteTables.get(id) : undefined;
  if (!table) throw notFoundError('transitGatewayRouteTable', id ?? '');
  return table;
}

/** DeleteTransitGatewayRouteTable: refused while attachments are associated with it. */
export function deleteTgwRouteTable(model: Ec2Model, id: string | undefined): TransitGatewayRouteTableState {
  const table = getTgwRouteTable(model, id);
  const associated = [...model.transitGatewayAttachments.values()].filter(
    (a) => a.associatedRouteTableId === table.id,
  );
  if (associated.length)
    throw new AwsError(
      'IncorrectState',
      `${table.id} has associations: ${associated.map((a) => a.id).join(', ')}`,
    );
  const tgw = model.transitGateways.get(table.transitGatewayId);
  if (tgw?.options.associationDefaultRouteTableId === table.id)
    delete tgw.options.associationDefaultRouteTableId;
  if (tgw?.options.propagationDefaultRouteTableId === table.id)
    delete tgw.options.propagationDefaultRouteTableId;
  model.transitGatewayRouteTables.delete(table.id);
  return table;
}

/** An attachment of the table's TGW that can take part in routing (associate, propagate). */
function routableAttachment(
  model: Ec2Model,
  table: TransitGatewayRouteTableState,
  id: string | undefined,
): TransitGatewayVpcAttachmentState {
  const attachment = id ? model.transitGatewayAttachments.get(id) : undefined;
  if (!attachment || attachment.transitGatewayId !== table.transitGatewayId)
    throw notFoundError('transitGatewayAttachment', id ?? '');
  if (attachment.state !== 'available')
    throw new AwsError('IncorrectState', `${attachment.id} is in invalid state`);
  return attachment;
}

/**
 * AssociateTransitGatewayRouteTable: one table per attachment; a second
 * association is `Resource.AlreadyAssociated` until the first is removed.
 */
export function associateTgwRouteTable(
  model: Ec2Model,
  tableId: string | undefined,
  attachmentId: string | undefined,
): TransitGatewayVpcAttachmentState {
  const table = getTgwRouteTable(model, tableId);
  const attachment = routableAttachment(model, table, attachmentId);
  if (attachment.associatedRouteTableId) {
    throw new AwsError(
      'Resource.AlreadyAssociated',
      `Transit Gateway Attachment ${attachment.id} is already associated to a route table.`,
    );
  }
  attachment.associatedRouteTableId = table.id;
  return attachment;
}

/** DisassociateTransitGatewayRouteTable: the attachment must be associated with this table. */
export function disassociateTgwRouteTable(
  model: Ec2Model,
  tableId: string | undefined,
  attachmentId: string | undefined,
): TransitGatewayVpcAttachmentState {
  const table = getTgwRouteTable(model, tableId);
  const attachment = attachmentId ? model.transitGatewayAttachments.get(attachmentId) : undefined;
  if (!attachment) throw notFoundError('transitGatewayAttachment', attachmentId ?? '');
  if (attachment.associatedRouteTableId !== table.id) {
    throw new AwsError(
      'InvalidAssociation.NotFound',
      `Association for ${attachment.id} does not exist in Transit Gateway Route Table ${table.id}.`,
    );
  }
  delete attachment.associatedRouteTableId;
  return attachment;
}

/** EnableTransitGatewayRouteTablePropagation: `TransitGatewayRouteTablePropagation.Duplicate` when already on. */
export function enableTgwPropagation(
  model: Ec2Model,
  tableId: string | undefined,
  attachmentId: string | undefined,
): TransitGatewayVpcAttachmentState {
  const table = getTgwRouteTable(model, tableId);
  const attachment = routableAttachment(model, table, attachmentId);
  if (table.propagatingAttachmentIds.includes(attachment.id)) {
    throw new AwsError(
      'TransitGatewayRouteTablePropagation.Duplicate',
      `Propagation ${attachment.id} already exists in Transit Gateway Route Table ${table.id}.`,
    );
  }
  table.propagatingAttachmentIds.push(attachment.id);
  return attachment;
}

export function disableTgwPropagation(
  model: Ec2Model,
  tableId: string | undefined,
  attachmentId: string | undefined,
): TransitGatewayVpcAttachmentState {
  const table = getTgwRouteTable(model, tableId);
  const attachment = attachmentId ? model.transitGatewayAttachments.get(attachmentId) : undefined;
  if (!attachment) throw notFoundError('transitGatewayAttachment', attachmentId ?? '');
  if (!table.propagatingAttachmentIds.includes(attachment.id)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Propagation ${attachment.id} does not exist in Transit Gateway Route Table ${table.id}.`,
    );
  }
  table.propagatingAttachmentIds = table.propagatingAttachmentIds.filter((id) => id !== attachment.id);
  return attachment;
}

/** A destination as the TGW route APIs take it: a CIDR aligned to its prefix. */
function destination(text: string | undefined): string {
  const cidr = parseCidr(text);
  if (!cidr?.canonical) throw invalidCidrParameter(text, 'destinationCidrBlock');
  return formatCidr(cidr);
}

function routeTarget(
  model: Ec2Model,
  table: TransitGatewayRouteTableState,
  p: { attachmentId?: string | undefined; blackhole?: boolean | undefined },
): string | undefined {
  if (p.blackhole && p.attachmentId) {
    throw new AwsError(
      'InvalidParameterCombination',
      'A blackhole route cannot have a TransitGatewayAttachmentId.',
    );
  }
  if (p.blackhole) return undefined;
  if (!p.attachmentId)
    throw new AwsError(
      'MissingParameter',
      'Either TransitGatewayAttachmentId or Blackhole must be specified.',
    );
  const attachment = model.transitGatewayAttachments.get(p.attachmentId);
  if (!attachment || attachment.transitGatewayId !== table.transitGatewayId)
    throw notFoundError('transitGatewayAttachment', p.attachmentId);
  return attachment.id;
}

export interface StaticRouteInput {
  tableId: string | undefined;
  cidr: string | undefined;
  attachmentId?: string | undefined;
  blackhole?: boolean | undefined;
}

/** CreateTransitGatewayRoute: a static route (to an attachment or a blackhole); one per prefix. */
export function createTgwRoute(model: Ec2Model, p: StaticRouteInput): string {
  const table = getTgwRouteTable(model, p.tableId);
  const cidr = destination(p.cidr);
  const attachmentId = routeTarget(model, table, p);
  if (table.staticRoutes.some((r) => r.cidr === cidr)) {
    throw new AwsError(
      'RouteAlreadyExists',
      `Route ${cidr} already exists in Transit Gateway Route Table ${table.id}.`,
    );
  }
  table.staticRoutes.push({
    cidr,
    blackhole: attachmentId === undefined,
    ...(attachmentId && { attachmentId }),
  });
  return cidr;
}

function staticRouteIndex(table: TransitGatewayRouteTableState, cidr: string): number {
  const index = table.staticRoutes.findIndex((r) => r.cidr === cidr);
  if (index < 0) {
    throw new AwsError(
      'InvalidRoute.NotFound',
      `No route with destination-cidr-block ${cidr} in Transit Gateway Route Table ${table.id}.`,
    );
  }
  return index;
}

/** DeleteTransitGatewayRoute: static routes only (propagated ones go with their propagation). */
export function deleteTgwRoute(
  model: Ec2Model,
  tableId: string | undefined,
  cidrText: string | undefined,
): { cidr: string; attachmentId?: string } {
  const table = getTgwRouteTable(model, tableId);
  const cidr = destination(cidrText);
  const [removed] = table.staticRoutes.splice(staticRouteIndex(table, cidr), 1);
  return { cidr, ...(removed?.attachmentId && { attachmentId: removed.attachmentId }) };
}

/** ReplaceTransitGatewayRoute: points an existing static route elsewhere. */
export function replaceTgwRoute(model: Ec2Model, p: StaticRouteInput): string {
  const table = getTgwRouteTable(model, p.tableId);
  const cidr = destination(p.cidr);
  const index = staticRouteIndex(table, cidr);
  const attachmentId = routeTarget(model, table, p);
  table.staticRoutes[index] = {
    cidr,
    blackhole: attachmentId === undefined,
    ...(attachmentId && { attachmentId }),
  };
  return cidr;
}

/** The model holding a TGW route table, searched across accounts. */
function tableOwner(
  world: World | Ec2Model,
  routeTableId: string,
): { owner: Ec2Model; table: TransitGatewayRouteTableState } | undefined {
  for (const owner of Array.isArray(world) ? world : [world as Ec2Model]) {
    const table = owner.transitGatewayRouteTables.get(routeTableId);
    if (table) return { owner, table };
  }
  return undefined;
}

/** Every associated IPv4 block of the attached VPC: propagation carries them all, secondaries included. */
function attachedVpcCidrs(
  world: World | Ec2Model,
  owner: Ec2Model,
  attachment: TransitGatewayVpcAttachmentState,
): string[] {
  const models = Array.isArray(world) ? world : [world as Ec2Model];
  const vpcModel =
    models.find((m) => m.accountId === attachment.vpcOwnerId && m.region === owner.region) ?? owner;
  const vpc = vpcModel.vpcs.get(attachment.vpcId);
  return vpc ? vpcCidrs(vpc) : [];
}

/**
 * The routes a TGW route table holds now: its static routes plus the VPC
 * CIDR blocks of each propagating available attachment, a static route winning on
 * the same prefix (docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html#tgw-route-evaluation-overview).
 * A static route whose attachment is gone or not available is a blackhole.
 * Pass every EC2 model (`World`) so attachments of VPCs in other accounts resolve.
 *
 * @example effectiveTgwRoutes(world, 'tgw-rtb-0…') // [{ cidr: '10.2.0.0/16', attachmentId: 'tgw-attach-…', type: 'static', state: 'active' }]
 */
export function effectiveTgwRoutes(world: World | Ec2Model, routeTableId: string): EffectiveTgwRoute[] {
  const found = tableOwner(world, routeTableId);
  if (!found) return [];
  const { owner, table } = found;
  const routes: EffectiveTgwRoute[] = table.staticRoutes.map((r) => {
    const attachment = r.attachmentId ? owner.transitGatewayAttachments.get(r.attachmentId) : undefined;
    const active = !r.blackhole && attachment?.state === 'available';
    return {
      cidr: r.cidr,
      ...(r.attachmentId && { attachmentId: r.attachmentId }),
      ...(attachment && { resourceId: attachment.vpcId }),
      type: 'static' as const,
      state: active ? ('active' as const) : ('blackhole' as const),
    };
  });
  const taken = new Set(routes.map((r) => r.cidr));
  for (const attachmentId of table.propagatingAttachmentIds) {
    const attachment = owner.transitGatewayAttachments.get(attachmentId);
    if (attachment?.state !== 'available') continue;
    for (const cidr of attachedVpcCidrs(world, owner, attachment)) {
      if (taken.has(cidr)) continue;
      taken.add(cidr);
      routes.push({ cidr, attachmentId, resourceId: attachment.vpcId, type: 'propagated', state: 'active' });
    }
  }
  return routes.sort((a, b) => compareCidrTexts(a.cidr, b.cidr));
}

function compareCidrTexts(a: string, b: string): number {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x && y ? x.base - y.base || x.prefix - y.prefix : a.localeCompare(b);
}
