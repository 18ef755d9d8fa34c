import type {
  AssociateVPCWithHostedZoneRequest,
  CreateVPCAssociationAuthorizationRequest,
  DeleteVPCAssociationAuthorizationRequest,
  DisassociateVPCFromHostedZoneRequest,
  ListHostedZonesByVPCRequest,
  ListVPCAssociationAuthorizationsRequest,
} from '@aws-sdk/client-route-53';
import type { Handler } from '../../../core/service.ts';
import { invalidPaginationToken } from '../errors.ts';
import type { Route53Model } from '../model/index.ts';
import { displayName } from '../model/names.ts';
import { sameVpc, toVpc } from '../model/state.ts';
import {
  associateVpc,
  authorizeVpc,
  disassociateVpc,
  ownVpc,
  revokeVpcAuthorization,
} from '../model/zones.ts';
import { changeOutput } from './render.ts';

/** An index-based NextToken: opaque to callers, as Route 53's are. */
function pageFrom(token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw invalidPaginationToken();
  return n;
}

const tokenAt = (n: number) => Buffer.from(String(n)).toString('base64url');

export const vpcHandlers: Record<string, Handler<Route53Model>> = {
  AssociateVPCWithHostedZone(model, input: AssociateVPCWithHostedZoneRequest, ctx) {
    // Associating needs ec2:DescribeVpcs as well ("Required IAM permissions", private zone considerations).
    ctx.authorize({ action: 'ec2:DescribeVpcs', resource: '*' });
    return changeOutput(model, associateVpc(model, input.HostedZoneId, input.VPC, input.Comment));
  },

  DisassociateVPCFromHostedZone(model, input: DisassociateVPCFromHostedZoneRequest) {
    return changeOutput(model, disassociateVpc(model, input.HostedZoneId, input.VPC, input.Comment));
  },

  CreateVPCAssociationAuthorization(model, input: CreateVPCAssociationAuthorizationRequest) {
    const vpc = authorizeVpc(model, input.HostedZoneId, input.VPC);
    return { HostedZoneId: model.zone(input.HostedZoneId).id, VPC: toVpc(vpc) };
  },

  DeleteVPCAssociationAuthorization(model, input: DeleteVPCAssociationAuthorizationRequest) {
    revokeVpcAuthorization(model, input.HostedZoneId, input.VPC);
    return {};
  },

  ListVPCAssociationAuthorizations(model, input: ListVPCAssociationAuthorizationsRequest) {
    const zone = model.zone(input.HostedZoneId);
    const from = pageFrom(input.NextToken);
    const size = Math.min(Math.max(Number(input.MaxResults ?? 50), 1), 50);
    const more = zone.authorizations.length > from + size;
    return {
      HostedZoneId: zone.id,
      VPCs: zone.authorizations.slice(from, from + size).map(toVpc),
      ...(more && { NextToken: tokenAt(from + size) }),
    };
  },

  /**
   * "Lists all the private hosted zones that a specified VPC is associated
   * with, regardless of which AWS account or AWS service owns the hosted
   * zones"; the VPC must be the caller's.
   */
  ListHostedZonesByVPC(model, input: ListHostedZonesByVPCRequest) {
    const vpc = ownVpc(model, input);
    const zones = model.twin
      .modelsSigning<Route53Model>('route53')
      .flatMap(([, m]) => [...m.zones.values()])
      .filter((z) => z.vpcs.some((v) => sameVpc(v, vpc)));
    const from = pageFrom(input.NextToken);
    const size = Math.min(Math.max(input.MaxItems ?? 100, 1), 100);
    return {
      HostedZoneSummaries: zones.slice(from, from + size).map((z) => ({
        HostedZoneId: z.id,
        Name: displayName(z.name),
        Owner: { OwningAccount: z.accountId },
      })),
      MaxItems: size,
      ...(zones.length > from + size && { NextToken: tokenAt(from + size) }),
    };
  },
};
