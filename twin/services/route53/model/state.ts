import type { ResourceRecordSet, VPC } from '@aws-sdk/client-route-53';

/** One VPC a private zone answers in (VPCRegion and VPCId, as the API names them). */
export interface ZoneVpc {
  region: string;
  vpcId: string;
}

/**
 * What the Route 53 resolvers serve for a zone from `syncAt` on: a change is
 * PENDING until it has "propagated to all Route 53 DNS servers" (API
 * Reference, GetChange, Status INSYNC), so resolution reads the newest
 * version whose time has come, not the API's current state.
 */
export interface ZoneVersion {
  syncAt: number;
  records: readonly ResourceRecordSet[];
  vpcs: readonly ZoneVpc[];
}

export interface HostedZoneState {
  /** `Z` and upper-case alphanumerics, without the `/hostedzone/` prefix. */
  id: string;
  /** Normalized: lower case with the trailing dot. */
  name: string;
  accountId: string;
  callerReference: string;
  comment: string | undefined;
  privateZone: boolean;
  /** The API's view (ListResourceRecordSets sees a change at once, as Route 53's API does). */
  records: ResourceRecordSet[];
  vpcs: ZoneVpc[];
  versions: ZoneVersion[];
  tags: Map<string, string>;
  /** Cross-account VPCs the owner authorized (CreateVPCAssociationAuthorization). */
  authorizations: ZoneVpc[];
}

export interface ChangeState {
  id: string;
  submittedAt: number;
  syncAt: number;
  comment: string | undefined;
}

export function toVpc(vpc: ZoneVpc): VPC {
  return { VPCRegion: vpc.region as VPC['VPCRegion'], VPCId: vpc.vpcId };
}

export function sameVpc(a: ZoneVpc, b: ZoneVpc): boolean {
  return a.vpcId === b.vpcId && a.region === b.region;
}
