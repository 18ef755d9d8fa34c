import { CannotTellError } from '../errors.ts';

/**
 * Delivery waits poll side by side (every flow log, the trail's group), and
 * CloudWatch Logs' FilterLogEvents has a small per-account rate quota
 * ("CloudWatch Logs quotas", CloudWatch Logs User Guide): a look refused
 * for throttling is "not yet", answered by the last look, never the end of
 * the wait. The SDK has already retried it (standard retry mode).
 */
export class Throttled extends Error {
  override name = 'Throttled';
}

/**
 * Runs a look; when it is throttled, answers the last look instead, or, with
 * none yet, throws `Throttled` for the wait's `retryOn` to try again.
 *
 * @example
 *   const look = () => lookUnlessThrottled(read, () => last);
 */
export async function lookUnlessThrottled<T>(look: () => Promise<T>, last: () => T | undefined): Promise<T> {
  try {
    return await look();
  } catch (error) {
    if (!(error instanceof CannotTellError) || error.kind !== 'throttled') throw error;
    const seen = last();
    if (seen === undefined) throw new Throttled(error.message);
    return seen;
  }
}

/** A wait that ran out with no look ever answered was throttled throughout: the suite cannot tell. */
export function throttledThroughout(what: string, error: unknown): CannotTellError {
  return new CannotTellError(`${what}: every look was throttled — ${(error as Error).message}`, 'throttled', {
    cause: error,
  });
}
