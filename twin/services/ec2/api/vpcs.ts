import type {
  AssociateVpcCidrBlockRequest,
  AssociateVpcCidrBlockResult,
  CreateVpcRequest,
  CreateVpcResult,
  DeleteVpcRequest,
  DescribeVpcAttributeRequest,
  DescribeVpcAttributeResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  DisassociateVpcCidrBlockRequest,
  DisassociateVpcCidrBlockResult,
  ModifyVpcAttributeRequest,
  Vpc,
  VpcCidrBlockAssociation,
  VpcCidrBlockStateCode,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import type { VpcCidrAssociationState, VpcState } from '../model/state.ts';
import {
  associateVpcCidrBlock,
  disassociateVpcCidrBlock,
  visibleCidrAssociations,
} from '../model/vpc-cidrs.ts';
import { getVpc } from '../model/vpc-lookups.ts';
import { createVpc, deleteVpc, setVpcAttribute, type VpcAttributeName } from '../model/vpcs.ts';
import { describe, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

function renderAssociation(
  a: VpcCidrAssociationState,
  state: VpcCidrBlockStateCode = a.state,
): VpcCidrBlockAssociation {
  return { AssociationId: a.id, CidrBlock: a.cidr, CidrBlockState: { State: state } };
}

/** CidrBlock is always the primary block; the association set lists every block, primary first. */
export function renderVpc(vpc: VpcState, now: number, state: Vpc['State'] = vpc.state): Vpc {
  return {
    VpcId: vpc.id,
    OwnerId: vpc.ownerId,
    CidrBlock: vpc.cidr,
    CidrBlockAssociationSet: visibleCidrAssociations(vpc, now).map((a) => renderAssociation(a)),
    State: state,
    // No DHCP option sets in the twin: "default" is what AWS shows for a VPC without one.
    DhcpOptionsId: 'default',
    InstanceTenancy: 'default',
    IsDefault: false,
    Tags: renderTags(vpc.tags),
  };
}

/** DescribeVpcs filters (API_DescribeVpcs); `cidr` is the primary block, the association filters see every block. */
function vpcFilters(now: number): Accessors<VpcState> {
  const associations = (v: VpcState) => visibleCidrAssociations(v, now);
  return {
    cidr: (v) => v.cidr,
    'cidr-block-association.cidr-block': (v) => associations(v).map((a) => a.cidr),
    'cidr-block-association.association-id': (v) => associations(v).map((a) => a.id),
    'cidr-block-association.state': (v) => associations(v).map((a) => a.state),
    'dhcp-options-id': () => 'default',
    'is-default': () => 'false',
    'owner-id': (v) => v.ownerId,
    state: (v) => v.state,
    'vpc-id': (v) => v.id,
  };
}

const ATTRIBUTES: Record<string, VpcAttributeName> = {
  enableDnsSupport: 'enableDnsSupport',
  enableDnsHostnames: 'enableDnsHostnames',
};

export const vpcHandlers = withDryRun({
  CreateVpc(model: Ec2Model, input: CreateVpcRequest, ctx: RequestContext): CreateVpcResult {
    if (input.AmazonProvidedIpv6CidrBlock || input.Ipv6CidrBlock) {
      throw new AwsError('InvalidParameterValue', 'The twin does not emulate IPv6 CIDR blocks.');
    }
    const vpc = createVpc(model, { cidr: input.CidrBlock, tags: specTags(input, 'vpc') });
    // CreateVpc answers `pending`; DescribeVpcs then shows `available` (API_CreateVpc example).
    return { Vpc: renderVpc(vpc, ctx.time, 'pending') };
  },

  DeleteVpc(model: Ec2Model, input: DeleteVpcRequest, ctx: RequestContext): object {
    deleteVpc(model, worldOf(ctx), input.VpcId, ctx.time);
    return {};
  },

  DescribeVpcs(model: Ec2Model, input: DescribeVpcsRequest, ctx: RequestContext): DescribeVpcsResult {
    const { page, nextToken } = describe([...model.vpcs.values()], input, {
      ids: input.VpcIds,
      idOf: (v) => v.id,
      missing: (id) => notFoundError('vpc', id),
      accessors: vpcFilters(ctx.time),
    });
    return { Vpcs: page.map((v) => renderVpc(v, ctx.time)), NextToken: nextToken };
  },

  /** IPv4 only; answers `associating`, and DescribeVpcs then shows `associated` (API_AssociateVpcCidrBlock). */
  AssociateVpcCidrBlock(
    model: Ec2Model,
    input: AssociateVpcCidrBlockRequest,
    ctx: RequestContext,
  ): AssociateVpcCidrBlockResult {
    const ipv6 =
      input.AmazonProvidedIpv6CidrBlock || input.Ipv6CidrBlock || input.Ipv6Pool || input.Ipv6IpamPoolId;
    if (ipv6 || input.Ipv4IpamPoolId) {
      throw new AwsError(
        'InvalidParameterValue',
        'The twin emulates only explicit IPv4 CidrBlock associations.',
      );
    }
    const association = associateVpcCidrBlock(model, worldOf(ctx), {
      vpcId: input.VpcId,
      cidr: input.CidrBlock,
      now: ctx.time,
    });
    return { VpcId: input.VpcId, CidrBlockAssociation: renderAssociation(association, 'associating') };
  },

  /** Answers `disassociating`; DescribeVpcs shows `disassociated` for about an hour (API_DisassociateVpcCidrBlock). */
  DisassociateVpcCidrBlock(
    model: Ec2Model,
    input: DisassociateVpcCidrBlockRequest,
    ctx: RequestContext,
  ): DisassociateVpcCidrBlockResult {
    const { vpc, association } = disassociateVpcCidrBlock(model, input.AssociationId, ctx.time);
    return { VpcId: vpc.id, CidrBlockAssociation: renderAssociation(association, 'disassociating') };
  },

  /** One attribute per call (API_ModifyVpcAttribute: "You can only modify one attribute at a time"). */
  ModifyVpcAttribute(model: Ec2Model, input: ModifyVpcAttributeRequest): object {
    const given = (['EnableDnsSupport', 'EnableDnsHostnames'] as const).filter(
      (k) => input[k]?.Value !== undefined,
    );
    if (input.EnableNetworkAddressUsageMetrics)
      throw new AwsError(
        'InvalidParameterValue',
        'The twin does not emulate enableNetworkAddressUsageMetrics.',
      );
    if (given.length !== 1) {
      throw new AwsError(
        'InvalidParameterCombination',
        'Exactly one attribute must be specified per request.',
      );
    }
    const key = given[0]!;
    const name = key === 'EnableDnsSupport' ? 'enableDnsSupport' : 'enableDnsHostnames';
    setVpcAttribute(model, input.VpcId, name, Boolean(input[key]!.Value));
    return {};
  },

  DescribeVpcAttribute(model: Ec2Model, input: DescribeVpcAttributeRequest): DescribeVpcAttributeResult {
    const vpc = getVpc(model, input.VpcId);
    const name = ATTRIBUTES[input.Attribute ?? ''];
    if (!name) {
      throw new AwsError(
        'InvalidParameterValue',
        `Value (${input.Attribute ?? ''}) for parameter attribute is invalid. Unknown attribute.`,
      );
    }
    return name === 'enableDnsSupport'
      ? { VpcId: vpc.id, EnableDnsSupport: { Value: vpc.enableDnsSupport } }
      : { VpcId: vpc.id, EnableDnsHostnames: { Value: vpc.enableDnsHostnames } };
  },
});
