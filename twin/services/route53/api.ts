/**
 * Route 53 — hosted zones (public and private), their record sets and
 * changes, VPC associations (cross-account through association
 * authorizations) and tags: CreateHostedZone, GetHostedZone,
 * ListHostedZones, ListHostedZonesByName, ListHostedZonesByVPC,
 * DeleteHostedZone, AssociateVPCWithHostedZone,
 * DisassociateVPCFromHostedZone, CreateVPCAssociationAuthorization,
 * ListVPCAssociationAuthorizations, DeleteVPCAssociationAuthorization,
 * ChangeResourceRecordSets, ListResourceRecordSets, GetChange,
 * ChangeTagsForResource, ListTagsForResource. Private zones answer DNS
 * inside their VPCs (twin/network/private-zones.ts).
 *
 * LIMITATIONS
 * - Public zones are not served on the internet: a name in a public zone
 *   resolves as any public name does (twin/network/dns.ts). Their name
 *   servers are made up in Route 53's form; no reusable delegation sets,
 *   DNSSEC, query logging, health checks, traffic policies, CIDR
 *   collections or hosted-zone limits (GetHostedZoneLimit).
 * - Routing policies other than simple are stored and listed but resolve
 *   as simple records (every value of every set of the name). Alias
 *   targets are checked for VPC interface endpoints and records of the
 *   caller's own zones; other targets (ELB, CloudFront, S3 websites, API
 *   Gateway) are accepted as given and resolved by their DNS name.
 * - Record data is checked for A (IPv4) and CNAME (one value) only; the
 *   wording of the twin's own record-data messages is not AWS's. The
 *   1,000-value batch quota is enforced, the 32,000-character one is not.
 *   A wildcard answers a name that has no records and no descendants
 *   (RFC 4592's closest encloser, simplified).
 * - A VPC whose enableDnsSupport or enableDnsHostnames is off can be
 *   associated (the API does not refuse it), but its resolver ignores
 *   private zones until both are on ("Amazon VPC settings",
 *   "Considerations when working with a private hosted zone").
 * - A change is INSYNC after the profile's route53ChangeSyncMs; DNS in a
 *   VPC sees a zone's records and associations as of its newest INSYNC
 *   change. A deleted zone stops answering at once.
 * - ListHostedZonesByVPC requires the VPC to be the caller's (AWS also
 *   lets an AWS service's zones be listed); ListHostedZones lists in
 *   creation order. Only the hostedzone resource type takes tags.
 * - The EC2 permissions Route 53 requires for private zones are checked as
 *   ec2:DescribeVpcs only.
 */
import type { Change } from '@aws-sdk/client-route-53';
import * as sdk from '@aws-sdk/client-route-53';
import type { RequestContext } from '../../core/context.ts';
import { type AuthorizationRequest, defineService, type Handler } from '../../core/service.ts';
import { recordHandlers } from './api/records.ts';
import { tagHandlers } from './api/tags.ts';
import { vpcHandlers } from './api/vpcs.ts';
import { zoneHandlers } from './api/zones.ts';
import { accessDenied } from './errors.ts';
import { bareId, Route53Model } from './model/index.ts';
import { displayName, normalizeName } from './model/names.ts';

const handlers: Record<string, Handler<Route53Model>> = {
  ...zoneHandlers,
  ...vpcHandlers,
  ...recordHandlers,
  ...tagHandlers,
};

/** Operations without resource-level permissions ("Actions, resources, and condition keys for Amazon Route 53"). */
const ON_STAR = new Set([
  'CreateHostedZone',
  'ListHostedZones',
  'ListHostedZonesByName',
  'ListHostedZonesByVPC',
]);

/**
 * Zone operations are judged on `arn:aws:route53:::hostedzone/ID`, GetChange
 * on `arn:aws:route53:::change/ID` (Route 53 ARNs carry no Region or account).
 */
function authorization(
  operation: string,
  input: Record<string, unknown>,
  _ctx: RequestContext,
): AuthorizationRequest {
  const action = `route53:${operation}`;
  const context = conditionContext(input);
  if (ON_STAR.has(operation)) return { action, resource: '*', context };
  if (operation === 'GetChange')
    return { action, resource: `arn:aws:route53:::change/${bareId(String(input.Id ?? ''))}` };
  const zoneId = input.HostedZoneId ?? input.Id ?? input.ResourceId;
  return { action, resource: `arn:aws:route53:::hostedzone/${bareId(String(zoneId ?? ''))}`, context };
}

/**
 * Route 53's condition keys, normalized as "Normalizing Route 53 condition
 * key values" prescribes (Developer Guide, "Using IAM policy conditions for
 * fine-grained access control"): record names in lower case without the
 * trailing dot and with `\052`-style escapes, actions and types upper
 * case, VPCs as `VPCId=<vpc-id>,VPCRegion=<region>`.
 */
function conditionContext(input: Record<string, unknown>): AuthorizationRequest['context'] {
  const vpc = (input.VPC ?? (input.VPCId ? input : undefined)) as
    | { VPCId?: string; VPCRegion?: string }
    | undefined;
  const changes = ((input.ChangeBatch as { Changes?: Change[] } | undefined)?.Changes ?? []).filter(
    (c) => c.ResourceRecordSet?.Name,
  );
  return {
    ...(vpc?.VPCId && {
      'route53:VPCs': [`VPCId=${vpc.VPCId.toLowerCase()},VPCRegion=${(vpc.VPCRegion ?? '').toLowerCase()}`],
    }),
    ...(changes.length && {
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': changes.map((c) =>
        displayName(normalizeName(c.ResourceRecordSet!.Name!)).slice(0, -1),
      ),
      'route53:ChangeResourceRecordSetsRecordTypes': changes.map((c) =>
        String(c.ResourceRecordSet!.Type).toUpperCase(),
      ),
      'route53:ChangeResourceRecordSetsActions': changes.map((c) => String(c.Action).toUpperCase()),
    }),
  };
}

export const route53 = defineService<Route53Model>({
  signingName: 'route53',
  iamPrefix: 'route53',
  protocol: 'restXml',
  sdk,
  namespace: 'com.amazonaws.route53',
  xmlNamespace: 'https://route53.amazonaws.com/doc/2013-04-01/',
  global: true,
  createModel: (twin, accountId) => new Route53Model(twin, accountId),
  accessDenied,
  authorization,
  handlers,
});
