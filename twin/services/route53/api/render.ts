import type { HostedZone, ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Route53Model } from '../model/index.ts';
import { displayName } from '../model/names.ts';
import { type HostedZoneState, toVpc } from '../model/state.ts';
import { nameServersOf } from '../model/zones.ts';

/** A zone as the API shows it: the id with its `/hostedzone/` prefix, as Route 53 returns it. */
export function renderZone(zone: HostedZoneState): HostedZone {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: displayName(zone.name),
    CallerReference: zone.callerReference,
    Config: { ...(zone.comment !== undefined && { Comment: zone.comment }), PrivateZone: zone.privateZone },
    ResourceRecordSetCount: zone.records.length,
  };
}

/** GetHostedZone's extras: a public zone's delegation set, a private zone's VPCs. */
export function zoneDetails(zone: HostedZoneState) {
  return zone.privateZone
    ? { VPCs: zone.vpcs.map(toVpc) }
    : { DelegationSet: { NameServers: nameServersOf(zone).map((n) => n.slice(0, -1)) } };
}

export function renderRecord(r: ResourceRecordSet): ResourceRecordSet {
  return { ...r, Name: displayName(r.Name ?? '') };
}

export function changeOutput(model: Route53Model, change: Parameters<Route53Model['changeInfo']>[0]) {
  return { ChangeInfo: model.changeInfo(change, true) };
}
