import { LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from './clients.ts';
import { cannotTell, classify } from './errors.ts';
import { lookupEventsQuota } from './quota.ts';

/**
 * CloudTrail event history, read within its quota: LookupEvents allows two
 * calls a second per account and region and takes one lookup attribute per
 * call (aws-fidelity.md, CloudTrail), so every look-up of a run takes its
 * turn from one shared quota (quota.ts), and tests share its answers.
 */
export interface TrailEvent {
  id: string;
  name: string;
  time: Date;
  source: string;
  errorCode?: string;
  errorMessage?: string;
  /** The caller's ARN (a role session's ARN for assumed roles). */
  principalArn?: string;
  /** For role sessions: the role's ARN (sessionContext.sessionIssuer.arn). */
  roleArn?: string;
  invokedBy?: string;
  resources: string[];
  /** requestParameters.encryptionContext: for S3's calls, `aws:s3:arn` names the object (or the bucket, with a bucket key). */
  encryptionContext?: Record<string, string>;
}

export interface LookupOptions {
  /**
   * How long a throttled page may be retried, ms from the look-up's start;
   * past it the look-up is "cannot tell". The caller's wait bound, so
   * throttling never ends a wait earlier or later than its bound.
   */
  boundMs?: number;
  /** First pause after a throttled page; doubles up to 16 s. */
  pauseMs?: number;
  signal?: AbortSignal;
}

const MAX_PAUSE_MS = 16_000;

/**
 * Every management event named `eventName` since `start`, all pages. A
 * throttled page — the first or a later one — is asked again after a
 * backoff until `boundMs`, then the look-up is "cannot tell": a page that
 * could not be read never reads as "no events".
 *
 * @example
 *   const decrypts = await lookupEvents(clients, 'Decrypt', runStart, { boundMs: 60_000 });
 */
export async function lookupEvents(
  clients: AwsClients,
  eventName: string,
  start: Date,
  options: LookupOptions = {},
): Promise<TrailEvent[]> {
  const events: TrailEvent[] = [];
  const deadline = Date.now() + (options.boundMs ?? 60_000);
  let token: string | undefined;
  do {
    const page = await readPage(clients, eventName, start, token, deadline, options);
    for (const e of page.Events ?? []) events.push(parseEvent(e.CloudTrailEvent ?? '{}', e.EventId ?? ''));
    token = page.NextToken;
  } while (token);
  return events;
}

async function readPage(
  clients: AwsClients,
  eventName: string,
  start: Date,
  token: string | undefined,
  deadline: number,
  options: LookupOptions,
): Promise<LookupEventsCommandOutput> {
  let pause = options.pauseMs ?? 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await lookupEventsQuota.turn(options.signal);
      return await clients.cloudtrail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
          StartTime: start,
          MaxResults: 50,
          ...(token && { NextToken: token }),
        }),
        ...(options.signal ? [{ abortSignal: options.signal }] : []),
      );
    } catch (error) {
      const what = `look up ${eventName} events in CloudTrail${token ? ' (a later page)' : ''}`;
      if (classify(error) !== 'throttled' || Date.now() + pause > deadline) {
        const failed = cannotTell(what, error);
        if (classify(error) === 'throttled')
          failed.message = `${failed.message} (still throttled after ${attempt} tries within the wait's bound)`;
        throw failed;
      }
      await sleep(pause, options.signal);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    // An abort fires once: the listener needs no `once`.
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

function parseEvent(json: string, id: string): TrailEvent {
  const e = JSON.parse(json) as {
    eventName?: string;
    eventTime?: string;
    eventSource?: string;
    errorCode?: string;
    errorMessage?: string;
    userIdentity?: {
      arn?: string;
      invokedBy?: string;
      sessionContext?: { sessionIssuer?: { arn?: string } };
    };
    resources?: { ARN?: string }[];
    requestParameters?: { encryptionContext?: Record<string, string> } | null;
  };
  return {
    id,
    name: e.eventName ?? '',
    time: new Date(e.eventTime ?? 0),
    source: e.eventSource ?? '',
    ...(e.errorCode && { errorCode: e.errorCode }),
    ...(e.errorMessage && { errorMessage: e.errorMessage }),
    ...(e.userIdentity?.arn && { principalArn: e.userIdentity.arn }),
    ...(e.userIdentity?.sessionContext?.sessionIssuer?.arn && {
      roleArn: e.userIdentity.sessionContext.sessionIssuer.arn,
    }),
    ...(e.userIdentity?.invokedBy && { invokedBy: e.userIdentity.invokedBy }),
    resources: e.resources?.flatMap((r) => (r.ARN ? [r.ARN] : [])) ?? [],
    ...(e.requestParameters?.encryptionContext && {
      encryptionContext: e.requestParameters.encryptionContext,
    }),
  };
}
