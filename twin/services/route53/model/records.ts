import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { isIpv4 } from '../../../../common/ip.ts';
import { invalidChangeBatch, invalidInput } from '../errors.ts';
import { type AliasCheck, checkAliasTarget } from './alias-targets.ts';
import type { Route53Model } from './index.ts';
import { compareAscii, isWithin, normalizeName, reversedLabels } from './names.ts';
import type { ChangeState, HostedZoneState } from './state.ts';

/** `[name='api.example.com.', type='A']`, as Route 53's messages name a record set. */
function label(r: ResourceRecordSet): string {
  const id = r.SetIdentifier === undefined ? '' : `, set-identifier='${r.SetIdentifier}'`;
  return `[name='${r.Name}', type='${r.Type}'${id}]`;
}

function sameSet(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  return a.Name === b.Name && a.Type === b.Type && a.SetIdentifier === b.SetIdentifier;
}

/** What must match for a DELETE: "the values provided do not match the current values" otherwise. */
function canonical(r: ResourceRecordSet): string {
  return JSON.stringify([
    r.Name,
    r.Type,
    r.SetIdentifier,
    r.TTL,
    (r.ResourceRecords ?? []).map((v) => v.Value).sort(),
    r.AliasTarget && [
      r.AliasTarget.HostedZoneId,
      r.AliasTarget.DNSName,
      Boolean(r.AliasTarget.EvaluateTargetHealth),
    ],
    r.Weight,
    r.Region,
    r.Failover,
    r.MultiValueAnswer,
    r.HealthCheckId,
    r.GeoLocation,
  ]);
}

/** A record set as Route 53 stores it: names lower case and fully qualified. */
function normalized(r: ResourceRecordSet): ResourceRecordSet {
  const out: ResourceRecordSet = { ...structuredClone(r), Name: normalizeName(r.Name ?? '') };
  if (out.AliasTarget)
    out.AliasTarget = {
      ...out.AliasTarget,
      DNSName: normalizeName(out.AliasTarget.DNSName ?? ''),
      EvaluateTargetHealth: Boolean(out.AliasTarget.EvaluateTargetHealth),
    };
  return out;
}

/**
 * "Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords],
 * or TrafficPolicyInstanceId]" — Route 53's InvalidInput for a record set
 * that is neither an alias nor a plain record.
 */
function checkShape(action: string, r: ResourceRecordSet): void {
  const kinds = [r.AliasTarget, r.TTL !== undefined && r.ResourceRecords?.length ? true : undefined].filter(
    Boolean,
  ).length;
  if (kinds === 1) return;
  throw invalidInput(
    `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${kinds ? 'more than one' : 'none'} in Change with [Action=${action}, Name=${r.Name}, Type=${r.Type}, SetIdentifier=${r.SetIdentifier ?? 'null'}]`,
  );
}

/** Record data Route 53 parses: A values are IPv4 addresses; a CNAME holds one name. */
function dataProblem(r: ResourceRecordSet): string | undefined {
  const values = (r.ResourceRecords ?? []).map((v) => v.Value ?? '');
  const bad = r.Type === 'A' ? values.find((v) => !isIpv4(v)) : undefined;
  if (bad !== undefined)
    return `Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${bad}''`;
  if (r.Type === 'CNAME' && values.length > 1)
    return `RRSet of type CNAME with DNS name ${r.Name} contains more than one value`;
  return undefined;
}

/**
 * CNAME exclusivity (RFC 1034 §3.6.2; Route 53 Developer Guide, "CNAME
 * record type": "you can't create a CNAME record … that has the same name
 * as … any other record type", and not at the zone apex).
 */
function cnameProblem(
  zone: HostedZoneState,
  records: ResourceRecordSet[],
  r: ResourceRecordSet,
): string | undefined {
  const others = records.filter((o) => o.Name === r.Name && !sameSet(o, r));
  if (r.Type === 'CNAME' && r.Name === zone.name)
    return `RRSet of type CNAME with DNS name ${r.Name} is not permitted at apex in zone ${zone.name}`;
  if (r.Type === 'CNAME' && others.some((o) => o.Type !== 'CNAME' || o.SetIdentifier === undefined))
    return `RRSet of type CNAME with DNS name ${r.Name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`;
  if (r.Type !== 'CNAME' && others.some((o) => o.Type === 'CNAME'))
    return `RRSet of type ${r.Type} with DNS name ${r.Name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zone.name}`;
  return undefined;
}

/** Route 53 keeps the apex SOA and NS: they can be changed (UPSERT) but never created twice or deleted. */
function apexProblem(zone: HostedZoneState, action: string, r: ResourceRecordSet): string | undefined {
  if (r.Name !== zone.name || action !== 'DELETE') return undefined;
  if (r.Type === 'SOA') return 'A HostedZone must contain exactly one SOA record.';
  if (r.Type === 'NS') return 'A HostedZone must contain at least one NS record for the zone itself.';
  return undefined;
}

/** Applies one change to `records` (a working copy); returns the problem instead when it is refused. */
function applyOne(
  model: Route53Model,
  zone: HostedZoneState,
  records: ResourceRecordSet[],
  change: Change,
): string | undefined {
  const action = change.Action ?? '';
  if (!['CREATE', 'DELETE', 'UPSERT'].includes(action))
    throw invalidInput(`Invalid request: unknown Action ${action}`);
  if (!change.ResourceRecordSet?.Name || !change.ResourceRecordSet.Type)
    throw invalidInput('Invalid request: a Change needs a ResourceRecordSet with Name and Type');
  checkShape(action, change.ResourceRecordSet);
  const r = normalized(change.ResourceRecordSet);
  if (!isWithin(r.Name!, zone.name))
    return `RRSet with DNS name ${r.Name} is not permitted in zone ${zone.name}`;
  const at = records.findIndex((o) => sameSet(o, r));
  const apex = apexProblem(zone, action, r);
  if (apex) return apex;
  if (action === 'DELETE') {
    if (at < 0) return `Tried to delete resource record set ${label(r)} but it was not found`;
    if (canonical(records[at]!) !== canonical(r))
      return `Tried to delete resource record set ${label(r)} but the values provided do not match the current values`;
    records.splice(at, 1);
    return undefined;
  }
  if (action === 'CREATE' && at >= 0)
    return `Tried to create resource record set ${label(r)} but it already exists`;
  const problem = dataProblem(r) ?? cnameProblem(zone, records, r) ?? aliasProblem(model, zone, records, r);
  if (problem) return problem;
  if (at >= 0) records[at] = r;
  else records.push(r);
  return undefined;
}

function aliasProblem(
  model: Route53Model,
  zone: HostedZoneState,
  records: ResourceRecordSet[],
  r: ResourceRecordSet,
): string | undefined {
  if (!r.AliasTarget) return undefined;
  const check: AliasCheck = checkAliasTarget(model, r.AliasTarget, { zoneId: zone.id, records });
  return check === 'ok'
    ? undefined
    : `Tried to create an alias that targets ${r.AliasTarget.DNSName}, type ${r.Type} in zone ${r.AliasTarget.HostedZoneId}, but ${check}`;
}

/**
 * ChangeResourceRecordSets: "Change batches are considered transactional
 * changes. Route 53 validates the changes in the request and then either
 * makes all or none of the changes" (API Reference, "Change Batches and
 * Transactional Changes"). Each change is judged against the zone as the
 * earlier changes of the batch left it (so "you cannot delete the same
 * resource record set more than once in a single change batch"), and one
 * refused change refuses the batch, with every problem listed.
 */
export function changeRecordSets(
  model: Route53Model,
  zoneId: string | undefined,
  changes: Change[],
  comment?: string,
): ChangeState {
  const zone = model.zone(zoneId);
  if (recordElements(changes) > 1000) throw invalidChangeBatch(['Number of records limit of 1000 exceeded.']);
  if (!changes.length)
    throw invalidInput('Invalid request: ChangeBatch.Changes must contain at least one change');
  const records = zone.records.map((r) => structuredClone(r));
  const problems = changes
    .map((c) => applyOne(model, zone, records, c))
    .filter((p): p is string => p !== undefined);
  if (problems.length) throw invalidChangeBatch(problems);
  zone.records = records;
  return model.recordChange(zone, comment);
}

/**
 * "A request cannot contain more than 1,000 ResourceRecord elements. When
 * the value of the Action element is UPSERT, each ResourceRecord element
 * is counted twice" (Route 53 Developer Guide, "Quotas", Maximums for
 * ChangeResourceRecordSets requests).
 */
function recordElements(changes: Change[]): number {
  return changes.reduce(
    (sum, c) => sum + (c.ResourceRecordSet?.ResourceRecords?.length ?? 0) * (c.Action === 'UPSERT' ? 2 : 1),
    0,
  );
}

/** Route 53's listing order: name with labels reversed, then type, then set identifier. */
export function sortedRecords(records: readonly ResourceRecordSet[]): ResourceRecordSet[] {
  return [...records].sort(
    (a, b) =>
      compareAscii(reversedLabels(a.Name!), reversedLabels(b.Name!)) ||
      compareAscii(a.Type!, b.Type!) ||
      compareAscii(a.SetIdentifier ?? '', b.SetIdentifier ?? ''),
  );
}

export interface RecordPage {
  records: ResourceRecordSet[];
  next: ResourceRecordSet | undefined;
}

/**
 * ListResourceRecordSets from StartRecordName/Type/Identifier: "If you
 * specify StartRecordType, you must also specify StartRecordName"; at most
 * MaxItems (default and most 300); `next` is the first record left out.
 */
export function listRecordSets(
  zone: HostedZoneState,
  start: { name?: string | undefined; type?: string | undefined; identifier?: string | undefined },
  maxItems: number | undefined,
): RecordPage {
  if (start.type && !start.name)
    throw invalidInput('The input is not valid: StartRecordType requires StartRecordName');
  const sorted = sortedRecords(zone.records);
  const limit = Math.min(Math.max(maxItems ?? 300, 1), 300);
  let from = 0;
  if (start.name) {
    const key = reversedLabels(normalizeName(start.name));
    from = sorted.findIndex((r) => {
      const byName = compareAscii(reversedLabels(r.Name!), key);
      if (byName !== 0) return byName > 0;
      if (!start.type) return true;
      const byType = compareAscii(r.Type!, start.type);
      if (byType !== 0) return byType > 0;
      return compareAscii(r.SetIdentifier ?? '', start.identifier ?? '') >= 0;
    });
    if (from < 0) from = sorted.length;
  }
  return { records: sorted.slice(from, from + limit), next: sorted[from + limit] };
}
