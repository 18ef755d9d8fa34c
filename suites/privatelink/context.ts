import { inject } from 'vitest';
import { Lab } from '../../helpers/targets/lab.ts';
import type { PrivateLinkServiceIds } from '../../helpers/targets/privatelink.ts';
import { privateLinkRow } from '../../helpers/targets/rows.ts';

/**
 * What every PrivateLink check file asks of the targets: the lab, each
 * service with what it resolved to (helpers/targets/privatelink.ts), its
 * consumers and its private name as rows. Made per test file from what the
 * run provides: a run's files share workers, so nothing here may outlive the
 * file that asked.
 */
export function privateLinkContext() {
  const lab = new Lab(inject('targets'));
  const resolved = lab.targets.ids.privateLink ?? {};
  const services = (lab.targets.privateLink?.services ?? []).flatMap((target) => {
    const ids = resolved[target.name];
    return ids ? [{ service: target.name, target, ids }] : [];
  });
  return {
    lab,
    region: lab.targets.region,
    /** One row per service (P1–P3, P6): `service` is its targets name. */
    services,
    /** One row per consumer endpoint (P4, P5). */
    consumers: services.flatMap((s) =>
      s.ids.endpoints.map((endpoint) => ({
        service: s.service,
        vpc: endpoint.vpc,
        row: privateLinkRow(s.service, endpoint.vpc),
        endpoint,
      })),
    ),
    /** One row per service with a private name (P7, P8): `record` is the record's full name. */
    names: services.flatMap((s) => {
      const zone = s.ids.zone;
      return zone
        ? [{ service: s.service, zone: zone.name, record: zone.recordName, ids: s.ids, dns: zone }]
        : [];
    }),
  };
}

/** The consumer endpoint a service's record must point at. */
export function recordEndpoint(ids: PrivateLinkServiceIds) {
  return ids.endpoints.find((e) => e.vpc === ids.zone?.endpointVpc);
}

export type PrivateLinkContext = ReturnType<typeof privateLinkContext>;
