import type { AliasTarget, ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Ec2Model } from '../../ec2/model/index.ts';
import { endpointDnsEntries } from '../../ec2/model/vpc-endpoint-dns.ts';
import type { Route53Model } from './index.ts';
import { isWithin, normalizeName } from './names.ts';

/** `'ok'`, or why Route 53 refuses the alias (the end of its "Tried to create an alias that targets …" message). */
export type AliasCheck = 'ok' | string;

/**
 * Alias targets the twin can check: a VPC interface endpoint's DNS name
 * (with the endpoint's hosted zone id, as DescribeVpcEndpoints gives both in
 * DnsEntries: "Alias records … for an interface endpoint", Route 53
 * Developer Guide, "Routing traffic to an Amazon VPC interface endpoint by
 * using your domain name") and another record of a Route 53 hosted zone.
 * Other target kinds (ELB, CloudFront, S3 websites …) are accepted as given
 * (api.ts LIMITATIONS).
 */
export function checkAliasTarget(
  model: Route53Model,
  target: AliasTarget,
  batch: { zoneId: string; records: readonly ResourceRecordSet[] },
): AliasCheck {
  const name = normalizeName(target.DNSName ?? '');
  const zoneId = target.HostedZoneId ?? '';
  if (/\.vpce\.amazonaws\.com\.$/.test(name)) return endpointTarget(model, name, zoneId);
  const zone = [...model.twin.modelsSigning<Route53Model>('route53')]
    .map(([, m]) => m.zones.get(zoneId))
    .find(Boolean);
  if (!zone) return 'ok';
  if (zone.accountId !== model.accountId) return 'the target hosted zone is not in the same account';
  if (!isWithin(name, zone.name)) return 'the alias target name does not lie within the target zone';
  // Within the zone being changed, the target may come earlier in the same batch.
  const records = zone.id === batch.zoneId ? batch.records : zone.records;
  return records.some((r) => r.Name === name) ? 'ok' : 'that target was not found';
}

function endpointTarget(model: Route53Model, name: string, zoneId: string): AliasCheck {
  for (const [, ec2] of model.twin.modelsSigning<Ec2Model>('ec2'))
    for (const endpoint of ec2.vpcEndpoints.values())
      for (const entry of endpointDnsEntries(ec2, endpoint))
        if (normalizeName(entry.DnsName) === name)
          return entry.HostedZoneId === zoneId
            ? 'ok'
            : 'the alias target name does not lie within the target zone';
  return 'the alias target name does not lie within the target zone';
}
