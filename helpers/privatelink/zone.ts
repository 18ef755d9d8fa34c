import {
  GetHostedZoneCommand,
  type GetHostedZoneCommandOutput,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import type { AwsClients } from '../clients.ts';
import { classify, LabDeviationError, reading } from '../errors.ts';

/**
 * The private hosted zone that names the service inside consumer VPCs, as
 * Route 53 reports it: private, and the VPCs it is associated with (P7);
 * the record consumers use, and where it points (P8).
 */

/**
 * @example
 *   const { HostedZone, VPCs } = await getHostedZone(lab.clients(), 'Z0123456789ABCDEFGHIJ');
 */
export async function getHostedZone(
  { route53 }: AwsClients,
  zoneId: string,
): Promise<GetHostedZoneCommandOutput> {
  try {
    return await route53.send(new GetHostedZoneCommand({ Id: zoneId }));
  } catch (error) {
    // A zone Route 53 no longer holds answers NoSuchHostedZone (Route 53 API Reference, GetHostedZone).
    if (classify(error) === 'not-found')
      throw new LabDeviationError(`hosted zone ${zoneId} no longer exists`);
    return reading(`read hosted zone ${zoneId}`, () => Promise.reject(error));
  }
}

/**
 * How a zone differs from P7's intent: private, associated with exactly the
 * intended VPCs ("VPCs: A complex type that contains information about the
 * VPCs that are associated with the specified hosted zone", GetHostedZone).
 * An extra association lets that VPC resolve the service's name; a missing
 * one leaves its consumers without it.
 */
export function zoneDiffs(
  zone: Pick<GetHostedZoneCommandOutput, 'HostedZone' | 'VPCs'>,
  intended: Record<string, string>,
): string[] {
  if (!zone.HostedZone?.Config?.PrivateZone) return ['public, not private'];
  const actual = (zone.VPCs ?? []).map((v) => v.VPCId!);
  const ids = Object.values(intended);
  const nameOf = Object.fromEntries(Object.entries(intended).map(([name, id]) => [id, name]));
  const out = actual.filter((id) => !ids.includes(id)).map((id) => `also associated with ${id}`);
  for (const id of ids) if (!actual.includes(id)) out.push(`not associated with ${nameOf[id]} (${id})`);
  return out;
}

/**
 * Route 53 writes names with a trailing dot, lower case, and some
 * characters as octal escapes (`*` as `\052`: Route 53 Developer Guide,
 * "DNS domain name format"); one spelling for comparing.
 */
export function plainName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)))
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * The records at exactly `name`, every type. ListResourceRecordSets lists
 * in name order from StartRecordName (Route 53 API Reference), so pages are
 * read while the names still match.
 */
export async function listRecordsNamed(
  { route53 }: AwsClients,
  zoneId: string,
  name: string,
): Promise<ResourceRecordSet[]> {
  const wanted = plainName(name);
  return reading(`list the records named ${wanted} in ${zoneId}`, async () => {
    const out: ResourceRecordSet[] = [];
    let start: {
      StartRecordName?: string;
      StartRecordType?: ResourceRecordSet['Type'];
      StartRecordIdentifier?: string;
    } = { StartRecordName: `${wanted}.` };
    for (;;) {
      const page = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start }));
      const sets = page.ResourceRecordSets ?? [];
      out.push(...sets.filter((r) => plainName(r.Name ?? '') === wanted));
      const last = sets.at(-1);
      if (!page.IsTruncated || (last && plainName(last.Name ?? '') !== wanted)) return out;
      start = {
        StartRecordName: page.NextRecordName,
        StartRecordType: page.NextRecordType,
        StartRecordIdentifier: page.NextRecordIdentifier,
      };
    }
  });
}

/** What a record points at: a CNAME's value, or an alias's DNSName. */
export function pointsAt(r: ResourceRecordSet): string | undefined {
  if (r.AliasTarget?.DNSName) return plainName(r.AliasTarget.DNSName);
  const value = r.ResourceRecords?.[0]?.Value;
  return value === undefined ? undefined : plainName(value);
}

/** A record as a report names it: `api.example.internal CNAME → vpce-….vpce.amazonaws.com`. */
export function recordLine(r: ResourceRecordSet): string {
  return `${plainName(r.Name ?? '')} ${r.AliasTarget ? `${r.Type} alias` : r.Type} → ${pointsAt(r) ?? 'nothing'}`;
}

/**
 * How the records at the name differ from P8's intent: one record of the
 * intended kind (a CNAME, or an A alias) whose target is the endpoint's
 * Regional DNS name. Only the Regional name is accepted: a zonal name
 * resolves to one Availability Zone's interface only, so the service's name
 * would fail with that zone (PrivateLink Guide, "DNS names for interface
 * endpoints"). No endpoint means nothing the record could rightly point at.
 */
export function recordDiffs(
  records: readonly ResourceRecordSet[],
  intended: { name: string; type: 'CNAME' | 'alias'; endpointVpc: string },
  endpoint: { regionalName?: string | undefined; dnsNames: readonly string[] } | undefined,
): string[] {
  const kind = (r: ResourceRecordSet) =>
    r.Type === 'CNAME' && !r.AliasTarget ? 'CNAME' : r.Type === 'A' && r.AliasTarget ? 'alias' : 'other';
  const wanted = records.filter((r) => kind(r) === intended.type);
  const others = records.filter(
    (r) => kind(r) !== intended.type && ['A', 'AAAA', 'CNAME'].includes(r.Type ?? ''),
  );
  const out = others.map((r) => `also ${recordLine(r)}`);
  const what = intended.type === 'CNAME' ? 'CNAME' : 'A alias';
  if (!wanted.length) return [`no ${what} record named ${intended.name}`, ...out];
  if (!endpoint?.regionalName)
    return [`${intended.endpointVpc} has no endpoint to the service to point at`, ...out];
  const target = plainName(endpoint.regionalName);
  const zonal = endpoint.dnsNames.map(plainName).filter((n) => n !== target);
  for (const r of wanted) {
    const at = pointsAt(r);
    if (at === target) continue;
    out.push(
      at && zonal.includes(at)
        ? `${recordLine(r)}: a zonal name, not the Regional ${target}`
        : `${recordLine(r)}, not ${target}`,
    );
  }
  return out;
}
