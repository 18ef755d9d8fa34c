import type { ChangeInfo } from '@aws-sdk/client-route-53';
import { delay } from '../../../state/profile.ts';
import type { Twin } from '../../../twin.ts';
import { noSuchChange, noSuchHostedZone } from '../errors.ts';
import type { ChangeState, HostedZoneState } from './state.ts';

/**
 * Route 53 in one account: its hosted zones and the changes made to them.
 * Route 53 is global, so the twin keeps one model per account; a zone
 * named by id in another account (a cross-account VPC association) is
 * found through `zoneAnywhere`.
 */
export class Route53Model {
  readonly zones = new Map<string, HostedZoneState>();
  readonly changes = new Map<string, ChangeState>();
  /**
   * Every CallerReference this account has used, deleted zones' too: "You
   * must use a unique string each time you submit a CreateHostedZone
   * request" (API Reference, CreateHostedZone, CallerReference).
   */
  readonly callerReferences = new Map<string, string>();

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
  ) {}

  now(): number {
    return this.twin.clock.now();
  }

  /** A zone of this account, by id with or without the `/hostedzone/` prefix. */
  zone(id: string | undefined): HostedZoneState {
    const zone = this.zones.get(bareId(id));
    if (!zone) throw noSuchHostedZone(bareId(id));
    return zone;
  }

  /** A zone of any account, by id (zone ids are unique across AWS). */
  zoneAnywhere(id: string | undefined): HostedZoneState {
    const bare = bareId(id);
    for (const [, model] of this.twin.modelsSigning<Route53Model>('route53')) {
      const zone = model.zones.get(bare);
      if (zone) return zone;
    }
    throw noSuchHostedZone(bare);
  }

  /**
   * Records a change to `zone`: a new version that resolvers serve once the
   * change is INSYNC (the profile's route53ChangeSyncMs after it).
   */
  recordChange(zone: HostedZoneState | undefined, comment?: string): ChangeState {
    const submittedAt = this.now();
    const change: ChangeState = {
      id: this.twin.ids.upper('C', 21),
      submittedAt,
      syncAt: submittedAt + delay(this.twin.profile, 'route53ChangeSyncMs'),
      comment,
    };
    this.changes.set(change.id, change);
    if (zone) {
      // Only the version served now and those still pending can ever be served again.
      let served = -1;
      zone.versions.forEach((v, at) => {
        if (v.syncAt <= submittedAt && (served < 0 || v.syncAt >= zone.versions[served]!.syncAt)) served = at;
      });
      zone.versions = zone.versions.filter((v, at) => at === served || v.syncAt > submittedAt);
      zone.versions.push({
        syncAt: change.syncAt,
        records: zone.records.map((r) => structuredClone(r)),
        vpcs: zone.vpcs.map((v) => ({ ...v })),
      });
    }
    return change;
  }

  change(id: string | undefined): ChangeState {
    const change = this.changes.get(bareId(id));
    if (!change) throw noSuchChange(bareId(id));
    return change;
  }

  /**
   * The change as GetChange shows it. The operation that makes a change
   * answers PENDING ("the initial status … is PENDING", ChangeInfo), even
   * where the profile syncs it at once.
   */
  changeInfo(change: ChangeState, justMade = false): ChangeInfo {
    return {
      Id: `/change/${change.id}`,
      Status: !justMade && this.now() >= change.syncAt ? 'INSYNC' : 'PENDING',
      SubmittedAt: new Date(change.submittedAt),
      ...(change.comment !== undefined && { Comment: change.comment }),
    };
  }
}

/** `/hostedzone/Z123` → `Z123` (the SDK strips the prefix too; botocore and raw callers may not). */
export function bareId(id: string | undefined): string {
  return (id ?? '').replace(/^\/?(hostedzone|change|delegationset)\//, '');
}
