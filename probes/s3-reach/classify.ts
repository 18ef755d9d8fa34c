import type { Outcome } from './attempts.ts';

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'Forbidden',
  'KMS.AccessDeniedException',
]);
const TIMEOUT = new Set([
  'TimeoutError',
  'AbortError',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'RequestTimeout',
  'ConnectTimeoutError',
]);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA']);

/** Classifies an error by its name and code only (never by message text). */
export function classify(error: unknown): { outcome: Outcome; errorCode: string } {
  const e = (error ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const code = e.Code ?? e.code ?? e.name ?? 'Error';
  if (DENIED.has(code) || DENIED.has(e.name ?? '') || e.$metadata?.httpStatusCode === 403)
    return { outcome: 'denied', errorCode: code };
  if (TIMEOUT.has(code) || TIMEOUT.has(e.name ?? '')) return { outcome: 'timeout', errorCode: code };
  if (DNS.has(code)) return { outcome: 'dns-failure', errorCode: code };
  return { outcome: 'error', errorCode: code };
}

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'SlowDown',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/**
 * An answer from the service that says "try again": a 5xx or throttling.
 * Worth a retry, unlike a timeout (no path) or a denial (a verdict).
 */
export function isServiceHiccup(error: unknown): boolean {
  const e = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || status === 429 || THROTTLED.has(e.name ?? '');
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
