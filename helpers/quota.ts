/**
 * A request quota shared by every caller of one AWS operation: each call
 * takes the next free turn, at least `gapMs` after the one before it,
 * whoever made that one. Concurrent waits therefore share the quota
 * instead of each believing it has it all: two waits that look every
 * second make, together, no more calls than the quota allows, and neither
 * is throttled into a backoff that would overshoot the moment it waits for.
 *
 * Turns are handed out in the order they are asked for, so a wait that
 * asks often cannot starve one that asks seldom.
 */
import { pause } from './eventually.ts';

export class Quota {
  private nextTurn = 0;

  /** @param gapMs the least time between two calls: 1000 / (calls allowed per second), plus a margin. */
  constructor(readonly gapMs: number) {}

  /**
   * Resolves when it is this caller's turn; the turn is taken even when the
   * signal stops the wait, so a stopped caller never lets two others through at once.
   *
   * @example
   *   await lookupEventsQuota.turn(signal);
   *   await clients.cloudtrail.send(new LookupEventsCommand(…));
   */
  async turn(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextTurn);
    this.nextTurn = at + this.gapMs;
    // Stryker disable next-line EqualityOperator: a 0 ms pause and none are the same
    if (at > now) await pause(at - now, signal);
  }

  /** How long a call asked for now would wait for its turn, ms. */
  backlogMs(): number {
    return Math.max(0, this.nextTurn - Date.now());
  }
}

/**
 * CloudTrail's LookupEvents: "2 requests per second per account per Region"
 * (CloudTrail quotas, AWS General Reference; aws-fidelity.md, CloudTrail),
 * above which it answers ThrottlingException. 550 ms between calls keeps a
 * margin under 2 per second for clock jitter at AWS's end. One per worker
 * of the run: every check that reads the event history runs in the
 * data-protection pipeline's file.
 */
export const lookupEventsQuota = new Quota(550);
