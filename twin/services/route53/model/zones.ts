import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Ec2Model } from '../../ec2/model/index.ts';
import { findVpc } from '../../ec2/model/vpc-lookups.ts';
import {
  conflictingDomainExists,
  hostedZoneAlreadyExists,
  hostedZoneNotEmpty,
  invalidDomainName,
  invalidInput,
  invalidVpcId,
  lastVpcAssociation,
  notAuthorized,
  publicZoneVpcAssociation,
  vpcAssociationAuthorizationNotFound,
  vpcAssociationNotFound,
} from '../errors.ts';
import type { Route53Model } from './index.ts';
import { isValidDomainName, normalizeName } from './names.ts';
import { type ChangeState, type HostedZoneState, sameVpc, type ZoneVpc } from './state.ts';

/**
 * The name servers Route 53 puts in every private zone's NS record (a
 * private zone is not delegated: these are placeholders, the same in
 * every private zone).
 */
const PRIVATE_NAME_SERVERS = [
  'ns-1536.awsdns-00.co.uk.',
  'ns-0.awsdns-00.com.',
  'ns-1024.awsdns-00.org.',
  'ns-512.awsdns-00.net.',
];

/** A public zone's delegation set: four name servers, one per TLD as Route 53 assigns them. */
export function nameServersOf(zone: HostedZoneState): string[] {
  if (zone.privateZone) return PRIVATE_NAME_SERVERS;
  const n = Number.parseInt(zone.id.slice(-3), 36) % 512;
  return [
    `ns-${n}.awsdns-${n % 64}.com.`,
    `ns-${512 + n}.awsdns-${n % 64}.net.`,
    `ns-${1024 + n}.awsdns-${n % 64}.org.`,
    `ns-${1536 + n}.awsdns-${n % 64}.co.uk.`,
  ];
}

/**
 * "When you create a hosted zone, Route 53 automatically creates a name
 * server (NS) record and a start of authority (SOA) record for the zone"
 * (Developer Guide, "NS and SOA records that Amazon Route 53 creates for a
 * hosted zone"), with TTLs of 172800 and 900.
 */
function apexRecords(zone: HostedZoneState): ResourceRecordSet[] {
  const servers = nameServersOf(zone);
  return [
    { Name: zone.name, Type: 'NS', TTL: 172800, ResourceRecords: servers.map((Value) => ({ Value })) },
    {
      Name: zone.name,
      Type: 'SOA',
      TTL: 900,
      ResourceRecords: [{ Value: `${servers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400` }],
    },
  ];
}

/**
 * The VPC as the caller's own in its Region. "The VPC that you specify must
 * have been created by using the same account that you're using to create
 * the hosted zone" (Developer Guide, "Creating a private hosted zone");
 * otherwise InvalidVPCId.
 */
export function ownVpc(
  model: Route53Model,
  vpc: { VPCId?: string; VPCRegion?: string } | undefined,
): ZoneVpc {
  if (!vpc?.VPCId || !vpc.VPCRegion)
    throw invalidInput('Invalid request: a VPC needs both VPCId and VPCRegion');
  const world = model.twin.modelsSigning<Ec2Model>('ec2').map(([, m]) => m);
  const found = findVpc(world, { ownerId: model.accountId, region: vpc.VPCRegion, vpcId: vpc.VPCId });
  if (!found) throw invalidVpcId(vpc.VPCId);
  return { region: vpc.VPCRegion, vpcId: vpc.VPCId };
}

/** Private zones of any account with `name` that already answer in `vpc` ("overlapping namespaces"). */
function sameNameIn(model: Route53Model, name: string, vpc: ZoneVpc): HostedZoneState | undefined {
  for (const [, other] of model.twin.modelsSigning<Route53Model>('route53'))
    for (const zone of other.zones.values())
      if (zone.privateZone && zone.name === name && zone.vpcs.some((v) => sameVpc(v, vpc))) return zone;
  return undefined;
}

export interface NewZone {
  name: string;
  callerReference: string;
  comment?: string | undefined;
  privateZone?: boolean | undefined;
  vpc?: { VPCId?: string; VPCRegion?: string } | undefined;
}

/** CreateHostedZone: a VPC makes the zone private ("specify VPC … to create a private hosted zone"). */
export function createHostedZone(
  model: Route53Model,
  input: NewZone,
): { zone: HostedZoneState; change: ChangeState } {
  const name = normalizeName(input.name);
  if (!isValidDomainName(name)) throw invalidDomainName(input.name);
  const used = model.callerReferences.get(input.callerReference);
  if (used !== undefined) throw hostedZoneAlreadyExists(used, input.callerReference);
  if (input.privateZone && !input.vpc)
    throw invalidInput('Invalid request: a private hosted zone needs VPCId and VPCRegion');
  const vpc = input.vpc ? ownVpc(model, input.vpc) : undefined;
  if (vpc && sameNameIn(model, name, vpc)) throw conflictingDomainExists(name, vpc.vpcId);
  const zone: HostedZoneState = {
    id: model.twin.ids.upper('Z', 21),
    name,
    accountId: model.accountId,
    callerReference: input.callerReference,
    comment: input.comment,
    privateZone: Boolean(vpc),
    records: [],
    vpcs: vpc ? [vpc] : [],
    versions: [],
    tags: new Map(),
    authorizations: [],
  };
  zone.records = apexRecords(zone);
  model.zones.set(zone.id, zone);
  model.callerReferences.set(zone.callerReference, name);
  return { zone, change: model.recordChange(zone) };
}

/** "You can delete a hosted zone only if it contains only the default SOA record and NS resource record sets." */
export function deleteHostedZone(model: Route53Model, id: string | undefined): ChangeState {
  const zone = model.zone(id);
  const extra = zone.records.some((r) => r.Name !== zone.name || (r.Type !== 'SOA' && r.Type !== 'NS'));
  if (extra) throw hostedZoneNotEmpty();
  model.zones.delete(zone.id);
  zone.vpcs = [];
  zone.records = [];
  return model.recordChange(zone);
}

/**
 * AssociateVPCWithHostedZone. A VPC of another account needs the zone
 * owner's CreateVPCAssociationAuthorization first ("Associating an Amazon
 * VPC and a private hosted zone that you created with different AWS
 * accounts"), otherwise NotAuthorizedException.
 */
export function associateVpc(
  model: Route53Model,
  zoneId: string | undefined,
  vpcInput: { VPCId?: string; VPCRegion?: string } | undefined,
  comment?: string,
): ChangeState {
  const zone = model.zoneAnywhere(zoneId);
  const vpc = ownVpc(model, vpcInput);
  if (zone.accountId !== model.accountId && !zone.authorizations.some((a) => sameVpc(a, vpc)))
    throw notAuthorized(
      'Associating the specified VPC with the specified hosted zone has not been authorized.',
    );
  if (!zone.privateZone) throw publicZoneVpcAssociation();
  if (sameNameIn(model, zone.name, vpc)) throw conflictingDomainExists(zone.name, vpc.vpcId);
  zone.vpcs.push(vpc);
  return model.recordChange(zone, comment);
}

/** DisassociateVPCFromHostedZone, by the zone's owner or the VPC's. */
export function disassociateVpc(
  model: Route53Model,
  zoneId: string | undefined,
  vpcInput: { VPCId?: string; VPCRegion?: string } | undefined,
  comment?: string,
): ChangeState {
  const zone = model.zoneAnywhere(zoneId);
  if (!vpcInput?.VPCId || !vpcInput.VPCRegion)
    throw invalidInput('Invalid request: a VPC needs both VPCId and VPCRegion');
  const vpc = { region: vpcInput.VPCRegion, vpcId: vpcInput.VPCId };
  const index = zone.vpcs.findIndex((v) => sameVpc(v, vpc));
  if (zone.accountId !== model.accountId && index >= 0) ownVpc(model, vpcInput);
  if (index < 0) throw vpcAssociationNotFound(vpc.vpcId, zone.id);
  if (zone.vpcs.length === 1) throw lastVpcAssociation();
  zone.vpcs.splice(index, 1);
  return model.recordChange(zone, comment);
}

/** CreateVPCAssociationAuthorization: the zone owner names another account's VPC. */
export function authorizeVpc(
  model: Route53Model,
  zoneId: string | undefined,
  vpcInput: { VPCId?: string; VPCRegion?: string } | undefined,
): ZoneVpc {
  const zone = model.zone(zoneId);
  if (!vpcInput?.VPCId || !vpcInput.VPCRegion)
    throw invalidInput('Invalid request: a VPC needs both VPCId and VPCRegion');
  if (!zone.privateZone) throw publicZoneVpcAssociation();
  const vpc = { region: vpcInput.VPCRegion, vpcId: vpcInput.VPCId };
  if (!zone.authorizations.some((a) => sameVpc(a, vpc))) zone.authorizations.push(vpc);
  return vpc;
}

export function revokeVpcAuthorization(
  model: Route53Model,
  zoneId: string | undefined,
  vpcInput: { VPCId?: string; VPCRegion?: string } | undefined,
): ZoneVpc {
  const zone = model.zone(zoneId);
  const vpc = { region: vpcInput?.VPCRegion ?? '', vpcId: vpcInput?.VPCId ?? '' };
  const index = zone.authorizations.findIndex((a) => sameVpc(a, vpc));
  if (index < 0) throw vpcAssociationAuthorizationNotFound(vpc.vpcId, zone.id);
  zone.authorizations.splice(index, 1);
  return vpc;
}
