import { formatCidr, parseCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { dependencyViolation, invalidParameter, notFoundError } from '../errors.ts';
import type { Ec2Model } from './index.ts';
import type { NetworkAclEntryState, NetworkAclState, Tags, VpcState } from './state.ts';
import { getVpc } from './vpc-lookups.ts';

/** The network ACL, or `InvalidNetworkAclID.NotFound`. */
export function getNetworkAcl(model: Ec2Model, id: string | undefined): NetworkAclState {
  const acl = id ? model.networkAcls.get(id) : undefined;
  if (!acl) throw notFoundError('networkAcl', id ?? '');
  return acl;
}

/** The catch-all `*` rule every ACL ends with; it cannot be changed or removed. */
const LAST_RULE = 32767;

function denyAll(egress: boolean): NetworkAclEntryState {
  return { ruleNumber: LAST_RULE, egress, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' };
}

function newAcl(model: Ec2Model, vpc: VpcState, isDefault: boolean, tags: Tags): NetworkAclState {
  const entries = [denyAll(false), denyAll(true)];
  // The default ACL also allows all traffic in and out at rule 100
  // (docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html); a
  // custom ACL denies everything until rules are added (custom-network-acl.html).
  if (isDefault) {
    entries.unshift(
      { ruleNumber: 100, egress: false, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
      { ruleNumber: 100, egress: true, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' },
    );
  }
  const acl: NetworkAclState = {
    id: model.newId('acl'),
    vpcId: vpc.id,
    ownerId: model.accountId,
    isDefault,
    entries,
    associations: [],
    tags,
  };
  model.networkAcls.set(acl.id, acl);
  return acl;
}

/** The default network ACL CreateVpc makes. */
export function newDefaultNetworkAcl(model: Ec2Model, vpc: VpcState): NetworkAclState {
  return newAcl(model, vpc, true, {});
}

export function createNetworkAcl(model: Ec2Model, vpcId: string | undefined, tags: Tags): NetworkAclState {
  return newAcl(model, getVpc(model, vpcId), false, tags);
}

/** DeleteNetworkAcl: never the default one, and not while a subnet uses it. */
export function deleteNetworkAcl(model: Ec2Model, id: string | undefined): void {
  const acl = getNetworkAcl(model, id);
  if (acl.isDefault) throw invalidParameter(`cannot delete default network ACL ${acl.id}`);
  if (acl.associations.length) {
    throw dependencyViolation(`The network ACL '${acl.id}' has dependencies and cannot be deleted.`);
  }
  model.networkAcls.delete(acl.id);
}

/** Every subnet is associated with exactly one ACL; a new one gets its VPC's default. */
export function attachToDefaultNetworkAcl(model: Ec2Model, vpc: VpcState, subnetId: string): void {
  getNetworkAcl(model, vpc.defaultNetworkAclId).associations.push({ id: model.newId('aclassoc'), subnetId });
}

export function forgetSubnetNetworkAcl(model: Ec2Model, subnetId: string): void {
  for (const acl of model.networkAcls.values())
    acl.associations = acl.associations.filter((a) => a.subnetId !== subnetId);
}

/**
 * The network ACL that filters a subnet's traffic.
 *
 * @example networkAclFor(model, 'subnet-0abc…')?.entries
 */
export function networkAclFor(model: Ec2Model, subnetId: string): NetworkAclState | undefined {
  return [...model.networkAcls.values()].find((acl) => acl.associations.some((a) => a.subnetId === subnetId));
}

/**
 * ReplaceNetworkAclAssociation: moves a subnet to another ACL of its VPC
 * under a new association id.
 */
export function replaceNetworkAclAssociation(
  model: Ec2Model,
  associationId: string | undefined,
  aclId: string | undefined,
): string {
  const from = [...model.networkAcls.values()].find((acl) =>
    acl.associations.some((a) => a.id === associationId),
  );
  if (!from)
    throw new AwsError(
      'InvalidAssociationID.NotFound',
      `The association ID '${associationId ?? ''}' does not exist`,
    );
  const to = getNetworkAcl(model, aclId);
  const association = from.associations.find((a) => a.id === associationId)!;
  if (to.vpcId !== from.vpcId) {
    throw invalidParameter(
      `Network ACL ${to.id} and subnet ${association.subnetId} belong to different networks`,
    );
  }
  from.associations = from.associations.filter((a) => a !== association);
  const moved = { id: model.newId('aclassoc'), subnetId: association.subnetId };
  to.associations.push(moved);
  return moved.id;
}

const PROTOCOL_NUMBERS: Record<string, string> = {
  all: '-1',
  '-1': '-1',
  tcp: '6',
  udp: '17',
  icmp: '1',
  icmpv6: '58',
};

/** Protocol names or numbers → the number AWS stores and describes (`tcp` → `6`). */
export function aclProtocol(value: string | undefined): string {
  const text = (value ?? '').toLowerCase();
  const known = PROTOCOL_NUMBERS[text];
  if (known) return known;
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return String(Number(text));
  throw invalidParameter(
    `Invalid value '${value ?? ''}' for protocol. Protocol must be a number from -1 to 255 or one of tcp, udp, icmp, all.`,
  );
}

export interface EntryInput {
  RuleNumber?: number | undefined;
  Protocol?: string | undefined;
  RuleAction?: string | undefined;
  Egress?: boolean | undefined;
  CidrBlock?: string | undefined;
  Ipv6CidrBlock?: string | undefined;
  IcmpTypeCode?: { Type?: number | undefined; Code?: number | undefined } | undefined;
  PortRange?: { From?: number | undefined; To?: number | undefined } | undefined;
}

/** Validates an entry as CreateNetworkAclEntry / ReplaceNetworkAclEntry take it (API_CreateNetworkAclEntry). */
export function entryFrom(input: EntryInput): NetworkAclEntryState {
  const ruleNumber = input.RuleNumber ?? 0;
  if (!Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766) {
    throw invalidParameter(
      `Invalid value '${ruleNumber}' for ruleNumber. Rule numbers must be between 1 and 32766.`,
    );
  }
  if (input.Ipv6CidrBlock) throw invalidParameter('The twin does not emulate IPv6 network ACL entries.');
  const cidr = parseCidr(input.CidrBlock);
  if (!cidr)
    throw invalidParameter(
      `Value (${input.CidrBlock ?? ''}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`,
    );
  if (input.RuleAction !== 'allow' && input.RuleAction !== 'deny') {
    throw invalidParameter(
      `Invalid value '${input.RuleAction ?? ''}' for ruleAction. Must be allow or deny.`,
    );
  }
  const protocol = aclProtocol(input.Protocol);
  const entry: NetworkAclEntryState = {
    ruleNumber,
    egress: Boolean(input.Egress),
    protocol,
    action: input.RuleAction,
    cidr: formatCidr(cidr),
  };
  return { ...entry, ...portsOrIcmp(protocol, input) };
}

/** TCP and UDP entries need a port range, ICMP entries a type and code (API_CreateNetworkAclEntry). */
function portsOrIcmp(protocol: string, input: EntryInput): Pick<NetworkAclEntryState, 'portRange' | 'icmp'> {
  if (protocol === '6' || protocol === '17') {
    const { From, To } = input.PortRange ?? {};
    if (From === undefined || To === undefined) {
      throw new AwsError('MissingParameter', 'The request must contain the parameter portRange');
    }
    if (From < 0 || To > 65535 || From > To) throw invalidParameter(`Invalid port range ${From}-${To}.`);
    return { portRange: { from: From, to: To } };
  }
  if (protocol === '1') {
    const { Type, Code } = input.IcmpTypeCode ?? {};
    if (Type === undefined || Code === undefined) {
      throw new AwsError('MissingParameter', 'The request must contain the parameter icmpTypeCode');
    }
    return { icmp: { type: Type, code: Code } };
  }
  return {};
}

function findEntry(
  acl: NetworkAclState,
  ruleNumber: number | undefined,
  egress: boolean,
): NetworkAclEntryState | undefined {
  return acl.entries.find((e) => e.ruleNumber === ruleNumber && e.egress === egress);
}

function entryNotFound(ruleNumber: number | undefined): AwsError {
  return new AwsError(
    'InvalidNetworkAclEntry.NotFound',
    `The network acl entry identified by ${ruleNumber ?? ''} does not exist.`,
  );
}

export function createNetworkAclEntry(model: Ec2Model, aclId: string | undefined, input: EntryInput): void {
  const acl = getNetworkAcl(model, aclId);
  const entry = entryFrom(input);
  if (findEntry(acl, entry.ruleNumber, entry.egress)) {
    throw new AwsError(
      'NetworkAclEntryAlreadyExists',
      `The network acl entry identified by ${entry.ruleNumber} already exists.`,
    );
  }
  acl.entries.push(entry);
}

export function replaceNetworkAclEntry(model: Ec2Model, aclId: string | undefined, input: EntryInput): void {
  const acl = getNetworkAcl(model, aclId);
  const entry = entryFrom(input);
  const existing = findEntry(acl, entry.ruleNumber, entry.egress);
  if (!existing) throw entryNotFound(entry.ruleNumber);
  acl.entries[acl.entries.indexOf(existing)] = entry;
}

export function deleteNetworkAclEntry(
  model: Ec2Model,
  aclId: string | undefined,
  ruleNumber: number | undefined,
  egress: boolean,
): void {
  const acl = getNetworkAcl(model, aclId);
  if (ruleNumber === LAST_RULE) throw invalidParameter(`The default rule ${LAST_RULE} cannot be deleted.`);
  const existing = findEntry(acl, ruleNumber, egress);
  if (!existing) throw entryNotFound(ruleNumber);
  acl.entries = acl.entries.filter((e) => e !== existing);
}
