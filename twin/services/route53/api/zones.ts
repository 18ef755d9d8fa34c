import type {
  CreateHostedZoneRequest,
  DeleteHostedZoneRequest,
  GetHostedZoneRequest,
  ListHostedZonesByNameRequest,
  ListHostedZonesRequest,
} from '@aws-sdk/client-route-53';
import type { Handler } from '../../../core/service.ts';
import { invalidInput, invalidPaginationToken } from '../errors.ts';
import type { Route53Model } from '../model/index.ts';
import { compareAscii, normalizeName, reversedLabels } from '../model/names.ts';
import { toVpc } from '../model/state.ts';
import { createHostedZone, deleteHostedZone } from '../model/zones.ts';
import { changeOutput, renderZone, zoneDetails } from './render.ts';

/** "MaxItems … If you don't specify a value, Route 53 returns up to 100" (ListHostedZones). */
function pageSize(maxItems: number | undefined): number {
  return Math.min(Math.max(maxItems ?? 100, 1), 100);
}

export const zoneHandlers: Record<string, Handler<Route53Model>> = {
  CreateHostedZone(model, input: CreateHostedZoneRequest, ctx) {
    // "To create private hosted zones, you need … ec2:DescribeVpcs" (Developer Guide,
    // "Considerations when working with a private hosted zone", Required IAM permissions).
    if (input.VPC) ctx.authorize({ action: 'ec2:DescribeVpcs', resource: '*' });
    const { zone, change } = createHostedZone(model, {
      name: input.Name ?? '',
      callerReference: input.CallerReference ?? '',
      comment: input.HostedZoneConfig?.Comment,
      privateZone: input.HostedZoneConfig?.PrivateZone,
      vpc: input.VPC,
    });
    return {
      HostedZone: renderZone(zone),
      ...changeOutput(model, change),
      ...(zone.privateZone
        ? { VPC: toVpc(zone.vpcs[0]!) }
        : { DelegationSet: zoneDetails(zone).DelegationSet }),
      Location: `https://route53.amazonaws.com/2013-04-01/hostedzone/${zone.id}`,
    };
  },

  GetHostedZone(model, input: GetHostedZoneRequest) {
    const zone = model.zone(input.Id);
    return { HostedZone: renderZone(zone), ...zoneDetails(zone) };
  },

  DeleteHostedZone(model, input: DeleteHostedZoneRequest) {
    return changeOutput(model, deleteHostedZone(model, input.Id));
  },

  /** The account's zones in creation order; Marker is the id of the first zone of the page. */
  ListHostedZones(model, input: ListHostedZonesRequest) {
    let zones = [...model.zones.values()];
    if (input.HostedZoneType === 'PrivateHostedZone') zones = zones.filter((z) => z.privateZone);
    const size = pageSize(input.MaxItems);
    const from = input.Marker ? zones.findIndex((z) => z.id === input.Marker) : 0;
    if (from < 0) throw invalidPaginationToken();
    const next = zones[from + size];
    return {
      HostedZones: zones.slice(from, from + size).map(renderZone),
      Marker: input.Marker ?? '',
      IsTruncated: Boolean(next),
      ...(next && { NextMarker: next.id }),
      MaxItems: size,
    };
  },

  /**
   * "ListHostedZonesByName sorts hosted zones by name with the labels
   * reversed" and then by id; the page starts at DNSName (and HostedZoneId).
   */
  ListHostedZonesByName(model, input: ListHostedZonesByNameRequest) {
    if (input.HostedZoneId && !input.DNSName)
      throw invalidInput('The input is not valid: HostedZoneId requires DNSName');
    const zones = [...model.zones.values()].sort(
      (a, b) => compareAscii(reversedLabels(a.name), reversedLabels(b.name)) || compareAscii(a.id, b.id),
    );
    const size = pageSize(input.MaxItems);
    let from = 0;
    if (input.DNSName) {
      const key = reversedLabels(normalizeName(input.DNSName));
      from = zones.findIndex((z) => {
        const byName = compareAscii(reversedLabels(z.name), key);
        return byName > 0 || (byName === 0 && compareAscii(z.id, input.HostedZoneId ?? '') >= 0);
      });
      if (from < 0) from = zones.length;
    }
    const next = zones[from + size];
    return {
      HostedZones: zones.slice(from, from + size).map(renderZone),
      ...(input.DNSName && { DNSName: input.DNSName }),
      ...(input.HostedZoneId && { HostedZoneId: input.HostedZoneId }),
      IsTruncated: Boolean(next),
      ...(next && { NextDNSName: next.name, NextHostedZoneId: next.id }),
      MaxItems: size,
    };
  },
};
