import type {
  AvailabilityZone,
  DescribeAvailabilityZonesRequest,
  DescribeAvailabilityZonesResult,
} from '@aws-sdk/client-ec2';
import { AwsError } from '../../../core/errors.ts';
import { type Accessors, applyFilters } from '../filters.ts';
import type { Ec2Model } from '../model/index.ts';
import { zonesOf } from '../model/subnets.ts';
import { withDryRun } from './shared.ts';

/** DescribeAvailabilityZones filters (API_DescribeAvailabilityZones). */
const zoneFilters: Accessors<AvailabilityZone> = {
  'group-name': (z) => z.GroupName,
  'group-long-name': (z) => z.GroupLongName,
  'opt-in-status': (z) => z.OptInStatus,
  'region-name': (z) => z.RegionName,
  state: (z) => z.State,
  'zone-id': (z) => z.ZoneId,
  'zone-name': (z) => z.ZoneName,
  'zone-type': (z) => z.ZoneType,
};

function zonesIn(region: string): AvailabilityZone[] {
  return zonesOf(region).map((z) => ({
    ZoneName: z.name,
    ZoneId: z.id,
    RegionName: region,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    GroupName: region,
    GroupLongName: region,
    NetworkBorderGroup: region,
    ZoneType: 'availability-zone',
  }));
}

export const zoneHandlers = withDryRun({
  DescribeAvailabilityZones(
    model: Ec2Model,
    input: DescribeAvailabilityZonesRequest,
  ): DescribeAvailabilityZonesResult {
    const zones = zonesIn(model.region);
    for (const name of input.ZoneNames ?? []) {
      if (!zones.some((z) => z.ZoneName === name))
        throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${name}]`);
    }
    for (const id of input.ZoneIds ?? []) {
      if (!zones.some((z) => z.ZoneId === id))
        throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${id}]`);
    }
    const named = zones.filter(
      (z) =>
        (!input.ZoneNames?.length || input.ZoneNames.includes(z.ZoneName!)) &&
        (!input.ZoneIds?.length || input.ZoneIds.includes(z.ZoneId!)),
    );
    return { AvailabilityZones: applyFilters(named, input.Filters, zoneFilters, () => ({})) };
  },
});
