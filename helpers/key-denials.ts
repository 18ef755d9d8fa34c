import type { AwsClients } from './clients.ts';
import { lookupEvents, type TrailEvent } from './cloudtrail.ts';
import { CannotTellError } from './errors.ts';
import { eventually } from './eventually.ts';

/**
 * KMS refusals in CloudTrail, tied to this run. S3 asks KMS to decrypt on
 * the reader's behalf, and CloudTrail records that Decrypt with the reader
 * as caller, the key as resource and the encryption context S3 sent:
 * `aws:s3:arn` is the object's ARN, or the bucket's when the object uses an
 * S3 Bucket Key ("Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys",
 * S3 User Guide: with a bucket key the encryption context is the bucket
 * ARN, and CloudTrail's KMS events log the bucket ARN, not the object's).
 * So a refusal is this run's when its caller is this run's own session or,
 * without one, when its context names an object of this run.
 */
export interface RunControl {
  keyArn: string;
  /** The run's own session (`…/assumed-role/ROLE/meshcheck-<run id>`), when the runner could make one. */
  sessionArn?: string | undefined;
  /** The refused receipts as S3 names them (`arn:aws:s3:::bucket/key`). */
  objectArns: string[];
  /** When the refusal was made (epoch ms); its delivery delay is counted from here. Default: when the wait starts. */
  madeAt?: number;
}

/**
 * How late a look may see the control, as a fraction of its delivery delay.
 * CloudTrail gives no moment ("typically within 5 minutes", up to ~15:
 * aws-fidelity.md, CloudTrail), so looks are paced to the time since the
 * refusal: at 5% the control is seen at most 5% after it became visible,
 * whatever the delay, in about ln(delay / 10 s) / 0.05 look-ups (some 70
 * for five minutes), well within LookupEvents' quota.
 */
const CONTROL_OVERSHOOT = 0.05;

export function isRunDenial(e: TrailEvent, control: RunControl): boolean {
  if (e.errorCode !== 'AccessDenied' || !e.resources.includes(control.keyArn)) return false;
  if (control.sessionArn) return e.principalArn === control.sessionArn;
  return control.objectArns.some((arn) => arn === e.encryptionContext?.['aws:s3:arn']);
}

/**
 * Whether a control can be told apart at all: without a run session, only
 * objects encrypted without a bucket key name themselves in CloudTrail.
 */
export function controlProblem(
  control: RunControl,
  bucketKeyUsed: boolean,
  why?: string,
): string | undefined {
  if (control.sessionArn || !bucketKeyUsed) return undefined;
  return `cannot tell this run's refusal from another's: the runner's reads carry no run session (${why ?? 'none'}) and the receipts use an S3 Bucket Key, so CloudTrail names the bucket, not the object; let the runner's role assume itself or name it in accounts.lab.assumeRoleArn`;
}

export interface DenialEvidence {
  /** This run's refusals of the control principal. */
  denials: TrailEvent[];
  /** Every Decrypt event of the window, read in the same look-up that showed the control. */
  decrypts: TrailEvent[];
}

/**
 * Waits, within `timeoutMs`, until CloudTrail shows this run's own refusal
 * (the positive control every absence check of the run leans on).
 *
 * @example
 *   const { denials } = await waitForRunDenial(clients, control, { start, timeoutMs: 1_200_000 });
 */
export async function waitForRunDenial(
  clients: AwsClients,
  control: RunControl,
  options: { start: Date; timeoutMs: number; signal?: AbortSignal },
): Promise<DenialEvidence> {
  const deadline = Date.now() + options.timeoutMs;
  const decrypts = await eventually(
    `this run's refused Decrypt on ${control.keyArn} in CloudTrail`,
    () =>
      lookupEvents(clients, 'Decrypt', options.start, {
        boundMs: Math.max(1_000, deadline - Date.now()),
        ...(options.signal && { signal: options.signal }),
      }),
    {
      timeoutMs: options.timeoutMs,
      until: (found) => found.some((e) => isRunDenial(e, control)),
      // At least half a second apart (the look-ups' own quota turns come on top), at most half a minute.
      minIntervalMs: 500,
      maxIntervalMs: 30_000,
      overshoot: CONTROL_OVERSHOOT,
      ...(control.madeAt !== undefined && { since: control.madeAt }),
      ...(options.signal && { signal: options.signal }),
      show: (found) =>
        `${found.length} Decrypt events, none a refusal of ${control.sessionArn ?? control.objectArns.join(', ')}`,
      reproduce:
        'aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Decrypt',
    },
  );
  return { denials: decrypts.filter((e) => isRunDenial(e, control)), decrypts };
}

/** KMS refusals of the given roles among `events`: what D11 must not find. */
export function refusalsOf(events: TrailEvent[], roleArns: ReadonlySet<string>): TrailEvent[] {
  return events.filter((e) => e.errorCode && e.roleArn && roleArns.has(e.roleArn));
}

/** The GenerateDataKey events of the window, read once the control is visible (the same event history). */
export async function listGenerateDataKeys(
  clients: AwsClients,
  start: Date,
  options: { boundMs: number },
): Promise<TrailEvent[]> {
  return lookupEvents(clients, 'GenerateDataKey', start, options);
}

/** "no denial" may be concluded only after the control: the reason it could not be, as an error. */
export function noControl(error: unknown): CannotTellError {
  if (error instanceof CannotTellError && error.name === 'BlockedError') return error;
  return new CannotTellError(
    `cannot conclude that CloudTrail holds no refusal: this run's own refusal (D10) is not visible in it — ${(error as Error).message}`,
    'timeout',
    { cause: error },
  );
}
