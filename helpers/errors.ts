import { type ErrorFacts, meaningOf } from '../common/aws-errors.ts';

/**
 * The suite's error classes, and the one place AWS errors are classified
 * (by name, code, HTTP status and the SDK's `$retryable`; never by reading
 * message text). Which names and codes mean what is common/aws-errors.ts,
 * the table the reach probe reads too. reports/ maps these classes to verdicts: LabDeviationError
 * is a failure, CannotTellError an error, TargetsError stops the run (exit 2).
 */

/** The lab is not as intended: the check failed. */
export class LabDeviationError extends Error {
  override name = 'LabDeviationError';
}

/** The suite could not tell (no permission to read, retries exhausted, agent offline, probe crashed). */
export class CannotTellError extends Error {
  override name = 'CannotTellError';
  constructor(
    message: string,
    readonly kind: ErrorKind = 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A check whose evidence an earlier stage failed to produce (no receipt, so
 * nothing to read; the runner read the receipt, so no denial to find): an
 * error naming that stage, so one broken stage is one failure. `by` is the
 * check it waited on (`D7 apple`); the message ends with "see <by>".
 */
export class BlockedError extends CannotTellError {
  override name = 'BlockedError';
  constructor(
    readonly by: string,
    why: string,
  ) {
    super(`blocked: ${why} — see ${by}`, 'unknown');
  }
}

/** The targets file is malformed or names something that is not there. */
export class TargetsError extends Error {
  override name = 'TargetsError';
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

export type ErrorKind =
  | 'denied'
  | 'throttled'
  | 'credentials'
  | 'not-found'
  | 'transient'
  | 'timeout'
  | 'invalid'
  | 'unknown';

export function classify(error: unknown): ErrorKind {
  const e = (error ?? {}) as ErrorFacts;
  const meaning = meaningOf(error);
  const name = e.name ?? '';
  const code = e.Code ?? e.code ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (meaning === 'denied' || meaning === 'credentials' || meaning === 'throttled') return meaning;
  if (e.$retryable?.throttling) return 'throttled';
  // A refused or dropped connection to an AWS endpoint is as transient as a timeout.
  if (meaning === 'timeout' || meaning === 'connection') return 'timeout';
  if (/NotFound|NoSuch|DoesNotExist/.test(name) || /NotFound|NonExistent/.test(code) || status === 404)
    return 'not-found';
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) return 'transient';
  if (e.$fault === 'client') return 'invalid';
  return 'unknown';
}

/** "could not read X: AccessDenied (403) — …" */
export function cannotTell(what: string, error: unknown): CannotTellError {
  if (error instanceof CannotTellError) return error;
  const e = error as ErrorFacts & { message?: string };
  const status = e?.$metadata?.httpStatusCode;
  const attempts = e?.$metadata?.attempts;
  const kind = classify(error);
  const detail = `${e?.name ?? 'Error'}${status ? ` (${status})` : ''}${attempts && attempts > 1 ? ` after ${attempts} attempts` : ''}`;
  return new CannotTellError(`could not ${what}: ${detail} — ${e?.message ?? String(error)}`, kind, {
    cause: slim(error),
  });
}

/** The SDK's errors carry the whole HTTP response; reports need only what it was. */
function slim(error: unknown): Error {
  const e = error as ErrorFacts & { message?: string };
  const out = new Error(e?.message ?? String(error));
  out.name = e?.name ?? 'Error';
  return Object.assign(out, { $metadata: e?.$metadata });
}

/** Runs an AWS read; any failure means the suite cannot tell, never that the lab is fine. */
export async function reading<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw cannotTell(what, error);
  }
}
