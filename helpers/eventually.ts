import pRetry, { AbortError } from 'p-retry';
import { CannotTellError, LabDeviationError } from './errors.ts';
import { waitingOn } from './pending.ts';

/**
 * Bounded polling with backoff, for AWS's eventual consistency (an SSM
 * invocation that does not exist yet, a receipt not written yet, an event
 * CloudTrail has not delivered yet). `look` returns what it saw; `until`
 * says whether that is the awaited state. Errors of the suite's own classes
 * (and p-retry's AbortError) end the wait at once: they will not get better.
 * When the bound passes, the error says what was awaited, what was last
 * seen, and the AWS CLI command that shows the same thing by hand.
 */
export interface EventuallyOptions<T> {
  /** Total time to wait, in ms. */
  timeoutMs: number;
  /** Accept the value when true; default: any value other than undefined. */
  until?: (value: T) => boolean;
  /** First and longest pause between looks, ms. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
  /** What a person would type to look: `aws ssm get-command-invocation --command-id …`. */
  reproduce?: string;
  /** A wait that runs out means the lab deviates (default), or that the suite cannot tell. */
  onTimeout?: 'deviation' | 'cannot-tell';
  /** Errors that mean "not yet" rather than "broken" (SSM's InvocationDoesNotExist right after SendCommand). */
  retryOn?: (error: unknown) => boolean;
  /** How to show the last value in the error; JSON by default. */
  show?: (value: T) => string;
  /**
   * Looks paced to the time already waited instead of backing off: the
   * pause after a look is this fraction of the time since `since`, within
   * [minIntervalMs, maxIntervalMs]. For evidence whose delay is unknown but
   * long (CloudTrail's "typically within 5 minutes", flow-log delivery),
   * the evidence is then seen at most this fraction of its delay late,
   * whatever the delay (0.05: a 300 s delay is seen by 315 s, a 30 s one by
   * 31.5 s), where a backoff capped at 30 s would overshoot a 30 s delay
   * by up to 30 s. Without it, the backoff from minIntervalMs (factor 1.6).
   */
  overshoot?: number;
  /** When the awaited evidence was caused (epoch ms), for `overshoot`; default: when the wait starts. */
  since?: number;
}

class NotYet extends Error {}

/**
 * @example
 *   const receipt = await eventually('the receipt for apple', () => findReceipt('apple'), { timeoutMs: 60_000 });
 */
export async function eventually<T>(
  description: string,
  look: () => Promise<T>,
  options: EventuallyOptions<T>,
): Promise<T> {
  const until = options.until ?? ((v: T) => v !== undefined);
  const started = Date.now();
  const minIntervalMs = options.minIntervalMs ?? 250;
  const maxIntervalMs = options.maxIntervalMs ?? 5_000;
  const paced = options.overshoot !== undefined;
  const since = options.since ?? started;
  let last: { value: T } | undefined;
  let lastError: unknown;
  try {
    // Told while it lasts, so that a run past its deadline can say what it was waiting on.
    return await waitingOn(description, options.timeoutMs, () =>
      pRetry(
        async () => {
          let value: T;
          try {
            value = await look();
          } catch (error) {
            if (error instanceof CannotTellError || error instanceof LabDeviationError)
              throw new AbortError(error);
            throw error;
          }
          last = { value };
          if (!until(value)) throw new NotYet();
          return value;
        },
        {
          retries: Number.POSITIVE_INFINITY,
          factor: 1.6,
          // Paced looks make their own pause (below), p-retry's is then none.
          minTimeout: paced ? 0 : minIntervalMs,
          maxTimeout: paced ? 0 : maxIntervalMs,
          randomize: !paced,
          maxRetryTime: options.timeoutMs,
          ...(options.signal && { signal: options.signal }),
          onFailedAttempt: async ({ error }) => {
            // Shown only when no look ever returned a value, so never a NotYet (thrown after a value was seen).
            lastError = error;
            const again = error instanceof NotYet || Boolean(options.retryOn?.(error));
            if (paced && again) {
              const now = Date.now();
              const wanted = Math.min(
                maxIntervalMs,
                Math.max(minIntervalMs, options.overshoot! * (now - since)),
              );
              // Never past the bound, and the last look is made just before it, as p-retry's own would be.
              const left = started + options.timeoutMs - now;
              await pause(wanted < left ? wanted : Math.max(left > 1 ? left - 1 : left, 0), options.signal);
            }
          },
          shouldRetry: ({ error }) => error instanceof NotYet || Boolean(options.retryOn?.(error)),
        },
      ),
    );
  } catch (error) {
    const original =
      error instanceof AbortError ? ((error as { originalError?: unknown }).originalError ?? error) : error;
    if (original instanceof CannotTellError || original instanceof LabDeviationError) throw original;
    const stillNotYet = original instanceof NotYet || Boolean(options.retryOn?.(original));
    if (!stillNotYet && !(original instanceof Error && original.name === 'AbortError')) {
      throw new CannotTellError(
        `while waiting for ${description}: ${(original as Error).message}`,
        'unknown',
        { cause: original },
      );
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const seen = last
      ? (options.show ?? ((v: T) => JSON.stringify(v)))(last.value)
      : lastError
        ? String(lastError)
        : 'nothing';
    const message = `waited ${seconds}s for ${description}; last saw: ${seen}${options.reproduce ? `\n  look yourself: ${options.reproduce}` : ''}`;
    // Stopped (the run's deadline, a signal) is not "ran out": the wait never had its whole bound.
    if (options.signal?.aborted)
      throw new CannotTellError(`stopped: ${message}`, 'unknown', { cause: original });
    throw options.onTimeout === 'cannot-tell'
      ? new CannotTellError(message, 'timeout')
      : new LabDeviationError(message);
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    // Removed when the pause ends: a long wait pauses often on one signal.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}
