import type {
  CreateVpcRequest,
  CreateVpcResult,
  DeleteVpcRequest,
  DescribeVpcAttributeRequest,
  DescribeVpcAttributeResult,
  DescribeVpcsRequest,
  DescribeVpcsResult,
  ModifyVpcAttributeRequest,
  Vpc,
} from '@aws-sdk/client-ec2';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import { notFoundError } from '../errors.ts';
import type { Accessors } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import type { VpcState } from '../model/state.ts';
import { createVpc, deleteVpc, getVpc, setVpcAttribute, type VpcAttributeName } from '../model/vpcs.ts';
import { describe, renderTags, specTags, withDryRun, worldOf } from './shared.ts';

/** The association id of a VPC's primary CIDR, stable for the VPC. */
function cidrAssociationId(vpc: VpcState): string {
  return `vpc-cidr-assoc-${vpc.id.slice(4)}`;
}

export function renderVpc(vpc: VpcState, state: Vpc['State'] = vpc.state): Vpc {
  return {
    VpcId: vpc.id,
    OwnerId: vpc.ownerId,
    CidrBlock: vpc.cidr,
    CidrBlockAssociationSet: [
      { AssociationId: cidrAssociationId(vpc), CidrBlock: vpc.cidr, CidrBlockState: { State: 'associated' } },
    ],
    State: state,
    // No DHCP option sets in the twin: "default" is what AWS shows for a VPC without one.
    DhcpOptionsId: 'default',
    InstanceTenancy: 'default',
    IsDefault: false,
    Tags: renderTags(vpc.tags),
  };
}

/** DescribeVpcs filters (API_DescribeVpcs). */
const vpcFilters: Accessors<VpcState> = {
  cidr: (v) => v.cidr,
  'cidr-block-association.cidr-block': (v) => v.cidr,
  'cidr-block-association.association-id': (v) => cidrAssociationId(v),
  'cidr-block-association.state': () => 'associated',
  'dhcp-options-id': () => 'default',
  'is-default': () => 'false',
  'owner-id': (v) => v.ownerId,
  state: (v) => v.state,
  'vpc-id': (v) => v.id,
};

const ATTRIBUTES: Record<string, VpcAttributeName> = {
  enableDnsSupport: 'enableDnsSupport',
  enableDnsHostnames: 'enableDnsHostnames',
};

export const vpcHandlers = withDryRun({
  CreateVpc(model: Ec2Model, input: CreateVpcRequest): CreateVpcResult {
    if (input.AmazonProvidedIpv6CidrBlock || input.Ipv6CidrBlock) {
      throw new AwsError('InvalidParameterValue', 'The twin does not emulate IPv6 CIDR blocks.');
    }
    const vpc = createVpc(model, { cidr: input.CidrBlock, tags: specTags(input, 'vpc') });
    // CreateVpc answers `pending`; DescribeVpcs then shows `available` (API_CreateVpc example).
    return { Vpc: renderVpc(vpc, 'pending') };
  },

  DeleteVpc(model: Ec2Model, input: DeleteVpcRequest, ctx: RequestContext): object {
    deleteVpc(model, worldOf(ctx), input.VpcId, ctx.time);
    return {};
  },

  DescribeVpcs(model: Ec2Model, input: DescribeVpcsRequest): DescribeVpcsResult {
    const { page, nextToken } = describe([...model.vpcs.values()], input, {
      ids: input.VpcIds,
      idOf: (v) => v.id,
      missing: (id) => notFoundError('vpc', id),
      accessors: vpcFilters,
    });
    return { Vpcs: page.map((v) => renderVpc(v)), NextToken: nextToken };
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
