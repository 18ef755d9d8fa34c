import { LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from './clients.ts';
import { cannotTell, classify } from './errors.ts';

/**
 * CloudTrail event history, read within its quota: LookupEvents allows two
 * calls a second per account and region and takes one lookup attribute per
 * call (aws-fidelity.md, CloudTrail), so every look-up of a run goes through
 * one paced reader, and tests share its answers.
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
}

const MIN_GAP_MS = 550;
let lastCall = 0;

async function paced<T>(call: () => Promise<T>): Promise<T> {
  const wait = lastCall + MIN_GAP_MS - Date.now();
  lastCall = Math.max(Date.now(), lastCall + MIN_GAP_MS);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  return call();
}

/** Every management event named `eventName` since `start`, all pages. */
export async function lookupEvents(
  clients: AwsClients,
  eventName: string,
  start: Date,
): Promise<TrailEvent[]> {
  const events: TrailEvent[] = [];
  let token: string | undefined;
  do {
    let page: LookupEventsCommandOutput;
    try {
      page = await paced(() =>
        clients.cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }],
            StartTime: start,
            MaxResults: 50,
            ...(token && { NextToken: token }),
          }),
        ),
      );
    } catch (error) {
      if (classify(error) === 'throttled') continue;
      throw cannotTell(`look up ${eventName} events in CloudTrail`, error);
    }
    for (const e of page.Events ?? []) events.push(parseEvent(e.CloudTrailEvent ?? '{}', e.EventId ?? ''));
    token = page.NextToken;
  } while (token);
  return events;
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
    resources: (e.resources ?? []).map((r) => r.ARN ?? '').filter(Boolean),
  };
}
