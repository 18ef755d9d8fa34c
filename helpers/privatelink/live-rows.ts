import type { ResolvedTargets } from '../targets/index.ts';
import { recordFullName } from '../targets/privatelink.ts';
import type { PrivateLinkServiceTarget } from '../targets/schema-privatelink.ts';

/**
 * The rows of the live PrivateLink checks, from targets: a placement that
 * must reach the service by its record (P9, P10), one that must not resolve
 * it (P11), an account that must not see the service (P12). A service
 * without `live`, or without `dns` for the record rows, adds none.
 */
export interface RecordRow {
  svc: PrivateLinkServiceTarget;
  /** The service's name in targets (its Name tag or id). */
  service: string;
  placement: string;
  /** The record's full name, e.g. api.zone.internal. */
  record: string;
  /** The load balancer's listener port: what consumers connect to. */
  port: number;
}

export interface AccountRow {
  svc: PrivateLinkServiceTarget;
  service: string;
  /** The refused account's key in targets. */
  account: string;
}

type Targets = Pick<ResolvedTargets, 'privateLink'>;

function recordRows(targets: Targets, field: 'reach' | 'unresolved'): RecordRow[] {
  return (targets.privateLink?.services ?? []).flatMap((svc) =>
    svc.dns && svc.live
      ? svc.live[field].map((placement) => ({
          svc,
          service: svc.name,
          placement,
          record: recordFullName(svc.dns!.zone, svc.dns!.record.name),
          port: svc.loadBalancer.port,
        }))
      : [],
  );
}

/** P9/P10 rows: each `live.reach` placement of each service with a record. */
export const reachRows = (targets: Targets) => recordRows(targets, 'reach');

/** P11 rows: each `live.unresolved` placement of each service with a record. */
export const unresolvedRows = (targets: Targets) => recordRows(targets, 'unresolved');

/** P12 rows: each `live.refusedAccounts` key of each service. */
export function refusedRows(targets: Targets): AccountRow[] {
  return (targets.privateLink?.services ?? []).flatMap((svc) =>
    (svc.live?.refusedAccounts ?? []).map((account) => ({ svc, service: svc.name, account })),
  );
}

/**
 * The placements whose probes the live PrivateLink checks invoke: `meshcheck validate` creates them
 * early when the privatelink area runs, as for the endpoint and DynamoDB checks.
 *
 * @example privateLinkPlacements(targets) // ['prod', 'dev']
 */
export function privateLinkPlacements(targets: Targets): string[] {
  return [...new Set([...reachRows(targets), ...unresolvedRows(targets)].map((r) => r.placement))];
}
