import type { Twin } from '../../../twin.ts';
import type { TrailRecord } from './state.ts';

/**
 * CloudTrail state of one account in one Region: the trails whose home
 * Region it is, and the times of recent LookupEvents calls (its quota is
 * per account and Region). Event history needs no state: it is read from
 * the twin's call log.
 */
export class CloudTrailModel {
  readonly trails = new Map<string, TrailRecord>();
  readonly lookupTimes: number[] = [];

  constructor(
    readonly twin: Twin,
    readonly accountId: string,
    readonly region: string,
  ) {}

  get now(): number {
    return this.twin.clock.now();
  }
}
