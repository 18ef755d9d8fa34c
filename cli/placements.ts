import { privateLinkPlacements } from '../helpers/privatelink/live-rows.ts';
import type { ResolvedTargets } from '../helpers/targets/index.ts';

/**
 * The placements whose probes the run's checks will invoke: every placement for the endpoint checks, the
 * placements of `application.dynamodb` for S13 and those of `privateLink.services[].live` for P9–P11 (which
 * invoke the same probes).
 */
export function placementsToProbe(targets: ResolvedTargets, only: string[]): string[] {
  const runs = (area: string) => !only.length || only.includes(area);
  if (!targets.endpoints?.probe) return [];
  const all = targets.endpoints.probe.placements.map((p) => p.name);
  const dynamodb = targets.application?.dynamodb?.placements.map((p) => p.placement) ?? [];
  const privateLink = privateLinkPlacements(targets);
  return all.filter(
    (p) =>
      runs('endpoints') ||
      (runs('application') && dynamodb.includes(p)) ||
      (runs('privatelink') && privateLink.includes(p)),
  );
}
