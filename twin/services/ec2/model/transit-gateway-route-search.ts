import type { Filter } from '@aws-sdk/client-ec2';
import { type Cidr, cidrContains, parseCidr } from '../../../../common/ip.ts';
import { AwsError } from '../../../core/errors.ts';
import { applyFilters } from '../filters.ts';
import type { EffectiveTgwRoute } from './transit-gateway-routes.ts';

/** A filter value as a block: a bare address is its /32. */
function searchCidr(value: string): Cidr {
  const cidr = parseCidr(value.includes('/') ? value : `${value}/32`);
  if (!cidr)
    throw new AwsError('InvalidParameterValue', `The filter value '${value}' is not a valid CIDR block`);
  return cidr;
}

const ROUTE_SEARCH: Record<string, (route: Cidr, wanted: Cidr) => boolean> = {
  'route-search.exact-match': (r, w) => r.base === w.base && r.prefix === w.prefix,
  'route-search.subnet-of-match': (r, w) => cidrContains(w, r),
  'route-search.supernet-of-match': (r, w) => cidrContains(r, w),
  'route-search.longest-prefix-match': (r, w) => cidrContains(r, w),
};

/**
 * SearchTransitGatewayRoutes' filters (API_SearchTransitGatewayRoutes.html):
 * `type`, `state`, `attachment.*`, `prefix-list-id` and the four
 * `route-search.*` matches; longest-prefix keeps only the most specific
 * matching route. AWS requires at least one filter.
 */
export function searchTgwRoutes(
  routes: EffectiveTgwRoute[],
  filters: Filter[] | undefined,
): EffectiveTgwRoute[] {
  if (!filters?.length)
    throw new AwsError('MissingParameter', 'The request must contain the parameter Filters');
  const searches = filters.filter((f) => f.Name?.startsWith('route-search.'));
  const plain = filters.filter((f) => !f.Name?.startsWith('route-search.'));
  let result = applyFilters(
    routes,
    plain,
    {
      type: (r) => r.type,
      state: (r) => r.state,
      'attachment.transit-gateway-attachment-id': (r) => r.attachmentId,
      'attachment.resource-id': (r) => r.resourceId,
      'attachment.resource-type': (r) => (r.attachmentId ? 'vpc' : undefined),
      'prefix-list-id': () => undefined,
    },
    () => ({}),
  );
  for (const f of searches) {
    const match = ROUTE_SEARCH[f.Name ?? ''];
    if (!match) throw new AwsError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
    const wanted = (f.Values ?? []).map(searchCidr);
    result = result.filter((r) => wanted.some((w) => match(parseCidr(r.cidr)!, w)));
    if (f.Name === 'route-search.longest-prefix-match' && result.length) {
      const longest = Math.max(...result.map((r) => parseCidr(r.cidr)!.prefix));
      result = result.filter((r) => parseCidr(r.cidr)!.prefix === longest);
    }
  }
  return result;
}
