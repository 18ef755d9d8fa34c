import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { World } from './peering.ts';
import type { Tags, TransitGatewayOptionsState, TransitGatewayState } from './state.ts';
import { newTransitGatewayRouteTable } from './transit-gateway-routes.ts';

/**
 * Transit Gateways (docs.aws.amazon.com/vpc/latest/tgw/). A TGW, its route
 * tables and its attachments live in the TGW owner's model; a VPC owner in
 * another account attaches to it by id (the twin does not model RAM sharing)
 * and sees its attachment through DescribeTransitGateway(Vpc)Attachments
 * (model/transit-gateway-attachments.ts).
 */

/** The TGW owner's model of the same region holding `id`, searched across accounts. */
export function findTransitGateway(
  world: World,
  region: string,
  id: string | undefined,
): { owner: Ec2Model; tgw: TransitGatewayState } | undefined {
  for (const owner of world) {
    const tgw = id && owner.region === region ? owner.transitGateways.get(id) : undefined;
    if (tgw) return { owner, tgw };
  }
  return undefined;
}

/** The caller's own Transit Gateway, or InvalidTransitGatewayID.NotFound. */
export function getTransitGateway(model: Ec2Model, id: string | undefined): TransitGatewayState {
  const tgw = id ? model.transitGateways.get(id) : undefined;
  if (!tgw) throw notFoundError('transitGateway', id ?? '');
  return tgw;
}

export const enabled = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : value === 'enable';

export interface TransitGatewayOptionsInput {
  AmazonSideAsn?: number | undefined;
  AutoAcceptSharedAttachments?: string | undefined;
  DefaultRouteTableAssociation?: string | undefined;
  DefaultRouteTablePropagation?: string | undefined;
  DnsSupport?: string | undefined;
  VpnEcmpSupport?: string | undefined;
  MulticastSupport?: string | undefined;
  SecurityGroupReferencingSupport?: string | undefined;
}

/**
 * CreateTransitGateway with AWS's defaults: ASN 64512, auto-accept off,
 * default association and propagation on, DNS and VPN ECMP on, multicast and
 * security-group referencing off (API_TransitGatewayRequestOptions.html). With
 * either default on, AWS makes one default route table and names it in
 * Association/PropagationDefaultRouteTableId.
 */
export function createTransitGateway(
  model: Ec2Model,
  p: { description?: string | undefined; options?: TransitGatewayOptionsInput | undefined; tags: Tags },
  now: number,
): TransitGatewayState {
  const o = p.options ?? {};
  const options: TransitGatewayOptionsState = {
    amazonSideAsn: o.AmazonSideAsn ?? 64512,
    autoAcceptSharedAttachments: enabled(o.AutoAcceptSharedAttachments, false),
    defaultRouteTableAssociation: enabled(o.DefaultRouteTableAssociation, true),
    defaultRouteTablePropagation: enabled(o.DefaultRouteTablePropagation, true),
    dnsSupport: enabled(o.DnsSupport, true),
    vpnEcmpSupport: enabled(o.VpnEcmpSupport, true),
    multicastSupport: enabled(o.MulticastSupport, false),
    securityGroupReferencingSupport: enabled(o.SecurityGroupReferencingSupport, false),
  };
  const tgw: TransitGatewayState = {
    id: model.newId('tgw'),
    ownerId: model.accountId,
    description: p.description ?? '',
    // Available at once: the twin has no provisioning delay (see LIMITATIONS).
    state: 'available',
    options,
    creationTime: now,
    tags: p.tags,
  };
  model.transitGateways.set(tgw.id, tgw);
  if (options.defaultRouteTableAssociation || options.defaultRouteTablePropagation) {
    const table = newTransitGatewayRouteTable(model, tgw.id, {}, now);
    table.defaultAssociationRouteTable = options.defaultRouteTableAssociation;
    table.defaultPropagationRouteTable = options.defaultRouteTablePropagation;
    options.associationDefaultRouteTableId = table.id;
    options.propagationDefaultRouteTableId = table.id;
  }
  return tgw;
}

export interface ModifyTransitGatewayInput extends TransitGatewayOptionsInput {
  AssociationDefaultRouteTableId?: string | undefined;
  PropagationDefaultRouteTableId?: string | undefined;
}

/** Re-points a default table: it must be a table of this TGW; enabling needs one to point at. */
function setDefaultTable(
  model: Ec2Model,
  tgw: TransitGatewayState,
  kind: 'Association' | 'Propagation',
  on: boolean,
  tableId: string | undefined,
): void {
  const idKey = kind === 'Association' ? 'associationDefaultRouteTableId' : 'propagationDefaultRouteTableId';
  const flagKey = kind === 'Association' ? 'defaultAssociationRouteTable' : 'defaultPropagationRouteTable';
  if (tableId !== undefined) {
    const table = model.transitGatewayRouteTables.get(tableId);
    if (!table || table.transitGatewayId !== tgw.id) throw notFoundError('transitGatewayRouteTable', tableId);
    tgw.options[idKey] = tableId;
  }
  if (on && !tgw.options[idKey]) {
    throw new AwsError(
      'InvalidParameterCombination',
      `enable DefaultRouteTable${kind} conflicts with ${kind}DefaultRouteTableId null`,
    );
  }
  for (const table of model.transitGatewayRouteTables.values()) {
    if (table.transitGatewayId === tgw.id) table[flagKey] = on && table.id === tgw.options[idKey];
  }
}

/** ModifyTransitGateway: options and description; the default tables move with their settings. */
export function modifyTransitGateway(
  model: Ec2Model,
  id: string | undefined,
  p: { description?: string | undefined; options?: ModifyTransitGatewayInput | undefined },
): TransitGatewayState {
  const tgw = getTransitGateway(model, id);
  const o = p.options ?? {};
  const opts = tgw.options;
  if (p.description !== undefined) tgw.description = p.description;
  if (o.AmazonSideAsn !== undefined) opts.amazonSideAsn = o.AmazonSideAsn;
  opts.autoAcceptSharedAttachments = enabled(o.AutoAcceptSharedAttachments, opts.autoAcceptSharedAttachments);
  opts.dnsSupport = enabled(o.DnsSupport, opts.dnsSupport);
  opts.vpnEcmpSupport = enabled(o.VpnEcmpSupport, opts.vpnEcmpSupport);
  opts.securityGroupReferencingSupport = enabled(
    o.SecurityGroupReferencingSupport,
    opts.securityGroupReferencingSupport,
  );
  opts.defaultRouteTableAssociation = enabled(
    o.DefaultRouteTableAssociation,
    opts.defaultRouteTableAssociation,
  );
  opts.defaultRouteTablePropagation = enabled(
    o.DefaultRouteTablePropagation,
    opts.defaultRouteTablePropagation,
  );
  setDefaultTable(
    model,
    tgw,
    'Association',
    opts.defaultRouteTableAssociation,
    o.AssociationDefaultRouteTableId,
  );
  setDefaultTable(
    model,
    tgw,
    'Propagation',
    opts.defaultRouteTablePropagation,
    o.PropagationDefaultRouteTableId,
  );
  return tgw;
}

/** DeleteTransitGateway: refused while attachments remain; its route tables go with it. */
export function deleteTransitGateway(model: Ec2Model, id: string | undefined): TransitGatewayState {
  const tgw = getTransitGateway(model, id);
  const live = [...model.transitGatewayAttachments.values()].filter(
    (a) => a.transitGatewayId === tgw.id && a.state !== 'rejected',
  );
  if (live.length) {
    throw new AwsError(
      'IncorrectState',
      `${tgw.id} has non-deleted Transit Gateway Attachments: ${live.map((a) => a.id).join(', ')}`,
    );
  }
  for (const attachment of [...model.transitGatewayAttachments.values()]) {
    // Only rejected attachments remain here; they never had ENIs or routes.
    if (attachment.transitGatewayId === tgw.id) model.transitGatewayAttachments.delete(attachment.id);
  }
  for (const table of [...model.transitGatewayRouteTables.values()]) {
    if (table.transitGatewayId === tgw.id) model.transitGatewayRouteTables.delete(table.id);
  }
  model.transitGateways.delete(tgw.id);
  return tgw;
}
