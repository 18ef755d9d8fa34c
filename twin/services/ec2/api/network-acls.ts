import type {
  CreateNetworkAclEntryRequest,
  CreateNetworkAclRequest,
  CreateNetworkAclResult,
  DeleteNetworkAclEntryRequest,
  DeleteNetworkAclRequest,
  DescribeNetworkAclsRequest,
  DescribeNetworkAclsResult,
  NetworkAcl,
  NetworkAclEntry,
  ReplaceNetworkAclAssociationRequest,
  ReplaceNetworkAclAssociationResult,
  ReplaceNetworkAclEntryRequest,
} from '@aws-sdk/client-ec2';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import {
  createNetworkAcl,
  createNetworkAclEntry,
  deleteNetworkAcl,
  deleteNetworkAclEntry,
  replaceNetworkAclAssociation,
  replaceNetworkAclEntry,
} from '../model/network-acls.ts';
import type { NetworkAclEntryState, NetworkAclState } from '../model/state.ts';
import { describe, flag, renderTags, specTags, withDryRun } from './shared.ts';

function renderEntry(e: NetworkAclEntryState): NetworkAclEntry {
  return {
    RuleNumber: e.ruleNumber,
    Egress: e.egress,
    Protocol: e.protocol,
    RuleAction: e.action,
    CidrBlock: e.cidr,
    ...(e.portRange && { PortRange: { From: e.portRange.from, To: e.portRange.to } }),
    ...(e.icmp && { IcmpTypeCode: { Type: e.icmp.type, Code: e.icmp.code } }),
  };
}

/** Entries as AWS lists them: egress first, each direction by rule number. */
function orderedEntries(acl: NetworkAclState): NetworkAclEntryState[] {
  return [...acl.entries].sort((a, b) => Number(b.egress) - Number(a.egress) || a.ruleNumber - b.ruleNumber);
}

export function renderNetworkAcl(acl: NetworkAclState): NetworkAcl {
  return {
    NetworkAclId: acl.id,
    VpcId: acl.vpcId,
    OwnerId: acl.ownerId,
    IsDefault: acl.isDefault,
    Entries: orderedEntries(acl).map(renderEntry),
    Associations: acl.associations.map((a) => ({
      NetworkAclAssociationId: a.id,
      NetworkAclId: acl.id,
      SubnetId: a.subnetId,
    })),
    Tags: renderTags(acl.tags),
  };
}

/** DescribeNetworkAcls filters (API_DescribeNetworkAcls). */
const aclFilters: Accessors<NetworkAclState> = {
  'association.association-id': (a) => a.associations.map((x) => x.id),
  'association.network-acl-id': (a) => (a.associations.length ? a.id : undefined),
  'association.subnet-id': (a) => a.associations.map((x) => x.subnetId),
  default: (a) => flag(a.isDefault),
  'entry.cidr': (a) => a.entries.map((e) => e.cidr),
  'entry.icmp.code': (a) => a.entries.map((e) => e.icmp?.code),
  'entry.icmp.type': (a) => a.entries.map((e) => e.icmp?.type),
  'entry.port-range.from': (a) => a.entries.map((e) => e.portRange?.from),
  'entry.port-range.to': (a) => a.entries.map((e) => e.portRange?.to),
  'entry.protocol': (a) => a.entries.map((e) => e.protocol),
  'entry.rule-action': (a) => a.entries.map((e) => e.action),
  'entry.egress': (a) => a.entries.map((e) => flag(e.egress)),
  'entry.rule-number': (a) => a.entries.map((e) => e.ruleNumber),
  'network-acl-id': (a) => a.id,
  'owner-id': (a) => a.ownerId,
  'vpc-id': (a) => a.vpcId,
};

export const networkAclHandlers = withDryRun({
  CreateNetworkAcl(model: Ec2Model, input: CreateNetworkAclRequest): CreateNetworkAclResult {
    return {
      NetworkAcl: renderNetworkAcl(createNetworkAcl(model, input.VpcId, specTags(input, 'network-acl'))),
    };
  },

  DeleteNetworkAcl(model: Ec2Model, input: DeleteNetworkAclRequest): object {
    deleteNetworkAcl(model, input.NetworkAclId);
    return {};
  },

  DescribeNetworkAcls(model: Ec2Model, input: DescribeNetworkAclsRequest): DescribeNetworkAclsResult {
    const { page, nextToken } = describe([...model.networkAcls.values()], input, {
      ids: input.NetworkAclIds,
      idOf: (a) => a.id,
      missing: (id) => notFoundError('networkAcl', id),
      accessors: aclFilters,
    });
    return { NetworkAcls: page.map(renderNetworkAcl), NextToken: nextToken };
  },

  CreateNetworkAclEntry(model: Ec2Model, input: CreateNetworkAclEntryRequest): object {
    createNetworkAclEntry(model, input.NetworkAclId, input);
    return {};
  },

  ReplaceNetworkAclEntry(model: Ec2Model, input: ReplaceNetworkAclEntryRequest): object {
    replaceNetworkAclEntry(model, input.NetworkAclId, input);
    return {};
  },

  DeleteNetworkAclEntry(model: Ec2Model, input: DeleteNetworkAclEntryRequest): object {
    deleteNetworkAclEntry(model, input.NetworkAclId, input.RuleNumber, Boolean(input.Egress));
    return {};
  },

  ReplaceNetworkAclAssociation(
    model: Ec2Model,
    input: ReplaceNetworkAclAssociationRequest,
  ): ReplaceNetworkAclAssociationResult {
    return { NewAssociationId: replaceNetworkAclAssociation(model, input.AssociationId, input.NetworkAclId) };
  },
});
