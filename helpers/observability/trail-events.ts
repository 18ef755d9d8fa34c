import { GetTrailCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClients } from '../clients.ts';
import { reading } from '../errors.ts';
import { eventually } from '../eventually.ts';
import { lookUnlessThrottled, Throttled, throttledThroughout } from './polling.ts';
import { s3DataEventsOf } from './selectors.ts';
import { getEventSelectors } from './trail.ts';

/**
 * This run's S3 data events in the trail's CloudWatch Logs group. Data
 * events are not in the event history ("LookupEvents … does not return data
 * events", CloudTrail API Reference), so they are read where the trail
 * delivers: one log event per CloudTrail record, its message the record's
 * JSON ("Sending events to CloudWatch Logs", CloudTrail User Guide). They
 * are this run's by the object key, which carries the run id.
 */
export interface DataEvent {
  id: string;
  name: string;
  time: string;
  bucket?: string;
  key?: string;
  /** The caller: a role session's ARN, and its role's. */
  principalArn?: string;
  roleArn?: string;
  errorCode?: string;
}

/** The parts of a CloudTrail record read here ("CloudTrail record contents"). */
interface RecordShape {
  eventSource?: string;
  eventName?: string;
  eventID?: string;
  eventTime?: string;
  errorCode?: string;
  requestParameters?: { bucketName?: string; key?: string } | null;
  userIdentity?: { arn?: string; sessionContext?: { sessionIssuer?: { arn?: string } } };
}

/** A CloudTrail record (the log event's message) as a data event, or undefined when it is none. */
export function parseDataEvent(message: string): DataEvent | undefined {
  let r: RecordShape;
  try {
    r = JSON.parse(message) as RecordShape;
  } catch {
    return undefined;
  }
  if (r?.eventSource !== 's3.amazonaws.com' || typeof r.eventName !== 'string') return undefined;
  return {
    id: String(r.eventID ?? ''),
    name: r.eventName,
    time: String(r.eventTime ?? ''),
    ...(r.requestParameters?.bucketName && { bucket: String(r.requestParameters.bucketName) }),
    ...(r.requestParameters?.key && { key: String(r.requestParameters.key) }),
    ...(r.userIdentity?.arn && { principalArn: String(r.userIdentity.arn) }),
    ...(r.userIdentity?.sessionContext?.sessionIssuer?.arn && {
      roleArn: String(r.userIdentity.sessionContext.sessionIssuer.arn),
    }),
    ...(r.errorCode && { errorCode: String(r.errorCode) }),
  };
}

/** The S3 data events on `key` that reached `logGroup` since `sinceMs`. */
export async function listObjectEvents(
  { logs }: AwsClients,
  logGroup: string,
  object: { bucket: string; key: string },
  sinceMs: number,
): Promise<DataEvent[]> {
  return reading(`read the data events of ${object.key} in ${logGroup}`, async () => {
    const found: DataEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: logGroup,
          startTime: sinceMs,
          filterPattern: objectPattern(object.key),
          ...(nextToken && { nextToken }),
        }),
      );
      for (const e of page.events ?? []) {
        const event = parseDataEvent(e.message ?? '');
        if (event?.bucket === object.bucket && event.key === object.key) found.push(event);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return found;
  });
}

/** A JSON filter pattern on the record's object key ("Filter pattern syntax", CloudWatch Logs User Guide). */
export function objectPattern(key: string): string {
  return `{ $.requestParameters.key = "${key.replace(/["\\]/g, '\\$&')}" }`;
}

/**
 * Why the trail cannot be delivering this run's object events to
 * `logGroup`, or undefined: a wait need not run its bound out. Not logging;
 * delivering elsewhere; not selecting the bucket's object reads and writes;
 * or refused by CloudWatch Logs with no delivery since the run's calls
 * (GetTrailStatus: LatestCloudWatchLogsDeliveryError, "…the error that
 * CloudTrail encountered when it attempted to deliver logs to CloudWatch
 * Logs").
 */
export async function whyTrailSilent(
  clients: AwsClients,
  o: { trail: string; logGroup: string; bucket: string; sinceMs: number },
): Promise<string | undefined> {
  const { cloudtrail } = clients;
  const [{ Trail }, status, selectors] = await Promise.all([
    reading(`read trail ${o.trail}`, () => cloudtrail.send(new GetTrailCommand({ Name: o.trail }))),
    reading(`read the status of trail ${o.trail}`, () =>
      cloudtrail.send(new GetTrailStatusCommand({ Name: o.trail })),
    ),
    getEventSelectors(clients, o.trail),
  ]);
  if (!status.IsLogging) return `trail ${o.trail} is not logging`;
  if (!Trail?.CloudWatchLogsLogGroupArn?.includes(`:log-group:${o.logGroup}:`))
    return `trail ${o.trail} delivers to ${Trail?.CloudWatchLogsLogGroupArn ?? 'no log group'}, not ${o.logGroup}`;
  const logged = s3DataEventsOf(selectors, o.bucket);
  if (!logged.read || !logged.write)
    return `trail ${o.trail} does not log the object ${logged.write ? 'reads' : 'writes'} of bucket ${o.bucket}`;
  const delivered = status.LatestCloudWatchLogsDeliveryTime?.getTime() ?? 0;
  if (status.LatestCloudWatchLogsDeliveryError && delivered < o.sinceMs)
    return `CloudTrail cannot deliver to ${o.logGroup}: ${status.LatestCloudWatchLogsDeliveryError}`;
  return undefined;
}

export interface DataEventWait {
  events: DataEvent[];
  /** Event names awaited and not seen. */
  missing: string[];
  /** Why the wait ended before its bound without them. */
  silent?: string;
}

/**
 * Waits until every one of `names` (PutObject, GetObject) on the object is
 * in the trail's log group, the trail stops delivering there, or the bound.
 *
 * @example
 *   const seen = await waitForObjectEvents(clients, { trail, logGroup, bucket, key, names: ['PutObject', 'GetObject'], sinceMs, timeoutMs });
 */
export async function waitForObjectEvents(
  clients: AwsClients,
  o: {
    trail: string;
    logGroup: string;
    bucket: string;
    key: string;
    names: string[];
    sinceMs: number;
    timeoutMs: number;
  },
): Promise<DataEventWait> {
  const missingOf = (events: DataEvent[]) => o.names.filter((n) => !events.some((e) => e.name === n));
  let last: DataEventWait | undefined;
  const what = `${o.names.join(' and ')} of s3://${o.bucket}/${o.key} in ${o.logGroup}`;
  try {
    return await eventually(
      what,
      () =>
        lookUnlessThrottled(
          async () => {
            const events = await listObjectEvents(clients, o.logGroup, o, o.sinceMs);
            const missing = missingOf(events);
            const silent = missing.length ? await whyTrailSilent(clients, o) : undefined;
            last = { events, missing, ...(silent && { silent }) };
            return last;
          },
          () => last,
        ),
      {
        timeoutMs: o.timeoutMs,
        until: (w) => w.missing.length === 0 || Boolean(w.silent),
        minIntervalMs: 500,
        maxIntervalMs: 10_000,
        retryOn: (e) => e instanceof Throttled,
        show: (w) =>
          `${w.events.map((e) => e.name).join(', ') || 'no events'}; missing ${w.missing.join(', ')}`,
        reproduce: `aws logs filter-log-events --log-group-name ${o.logGroup} --filter-pattern '${objectPattern(o.key)}'`,
      },
    );
  } catch (error) {
    if ((error as Error).name !== 'LabDeviationError') throw error;
    if (!last) throw throttledThroughout(what, error);
    return last;
  }
}
