import { type ErrorFacts, meaningOf } from '../../common/aws-errors.ts';
import type { Outcome } from '../../common/outcome.ts';

/**
 * Classifies an error by its name and code only (never by message text),
 * with the table the suite's own calls are classified by.
 */
export function classify(error: unknown): { outcome: Outcome; errorCode: string } {
  const e = (error ?? {}) as ErrorFacts;
  const code = e.Code ?? e.code ?? e.name ?? 'Error';
  const meaning = meaningOf(error);
  if (meaning === 'denied' || e.$metadata?.httpStatusCode === 403)
    return { outcome: 'denied', errorCode: code };
  if (meaning === 'timeout') return { outcome: 'timeout', errorCode: code };
  if (meaning === 'dns-failure') return { outcome: 'dns-failure', errorCode: code };
  return { outcome: 'error', errorCode: code };
}

/**
 * An answer from the service that says "try again": a 5xx or throttling.
 * Worth a retry, unlike a timeout (no path) or a denial (a verdict).
 */
export function isServiceHiccup(error: unknown): boolean {
  const status = (error as ErrorFacts | undefined)?.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || status === 429 || meaningOf(error) === 'throttled';
}

/** How an attempt that threw reads, and whether to try it again. */
export interface Failure {
  outcome: Outcome;
  errorCode: string;
  retry: boolean;
}

/**
 * Reads a failed attempt knowing whether its TCP connection ever opened.
 * In a VPC a missing route shows as a connect that never completes, while
 * a slow service has accepted the connection and answers late: the first
 * is `timeout` (no path), final; the second is a slow answer, worth another
 * try (S3 advises retrying slow requests, "Timeouts and Retries for
 * Latency-Sensitive Applications", S3 performance whitepaper), and an
 * `error` (cannot tell) if it stays slow. Throttling and 5xx are retried.
 *
 * @example
 *   readFailure({ name: 'TimeoutError' }, false) // { outcome: 'timeout', errorCode: 'ConnectTimeout', retry: false }
 */
export function readFailure(error: unknown, connected: boolean): Failure {
  if (isServiceHiccup(error)) return { ...classify(error), retry: true };
  const { outcome, errorCode } = classify(error);
  if (outcome !== 'timeout') return { outcome, errorCode, retry: false };
  return connected
    ? { outcome: 'error', errorCode: 'SlowAnswer', retry: true }
    : { outcome: 'timeout', errorCode: 'ConnectTimeout', retry: false };
}
