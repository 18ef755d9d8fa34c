import { invalidParameter, streamExists, streamNotFound, validationError } from '../errors.ts';
import { retainedSince } from './groups.ts';
import type { LogEventState, LogGroupState, LogStreamState, LogsModel } from './index.ts';

/**
 * Log streams and writing to them: CreateLogStream, DeleteLogStream,
 * DescribeLogStreams and PutLogEvents (CloudWatch Logs API reference).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** LogStreamName: 1–512 characters, no `:` or `*`. */
export function checkStreamName(name: string | undefined): string {
  if (name && name.length <= 512 && !/[:*]/.test(name)) return name;
  throw validationError(
    'logStreamName',
    name ?? '',
    'Member must satisfy regular expression pattern: [^:*]*',
  );
}

export function getStream(group: LogGroupState, name: string | undefined): LogStreamState {
  const stream = name === undefined ? undefined : group.streams.get(name);
  if (!stream) throw streamNotFound();
  return stream;
}

export function createLogStream(
  model: LogsModel,
  group: LogGroupState,
  name: string | undefined,
): LogStreamState {
  const streamName = checkStreamName(name);
  if (group.streams.has(streamName)) throw streamExists();
  const stream: LogStreamState = {
    name: streamName,
    creationTime: model.twin.clock.now(),
    events: [],
    sequence: 0,
  };
  group.streams.set(streamName, stream);
  return stream;
}

/**
 * DescribeLogStreams' order: by name, or by the last event's time ("If you
 * order the results by event time, you cannot specify the
 * logStreamNamePrefix parameter", API reference, DescribeLogStreams).
 */
export function listStreams(
  group: LogGroupState,
  options: { prefix?: string | undefined; orderBy?: string | undefined; descending?: boolean | undefined },
): LogStreamState[] {
  const byTime = options.orderBy === 'LastEventTime';
  if (byTime && options.prefix !== undefined) {
    throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const streams = [...group.streams.values()].filter((s) =>
    options.prefix === undefined ? true : s.name.startsWith(options.prefix),
  );
  const key = (s: LogStreamState) => s.events.at(-1)?.timestamp ?? s.creationTime;
  streams.sort((a, b) => (byTime ? key(a) - key(b) || cmp(a.name, b.name) : cmp(a.name, b.name)));
  return options.descending ? streams.reverse() : streams;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds events to a stream, keeping it in timestamp order; for PutLogEvents and AWS services' deliveries. */
export function appendEvents(
  model: LogsModel,
  stream: LogStreamState,
  events: readonly { timestamp: number; message: string }[],
): void {
  const now = model.twin.clock.now();
  for (const e of events) {
    const event: LogEventState = {
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: now,
      eventId: model.nextEventId(e.timestamp),
    };
    let i = stream.events.length;
    while (i > 0 && stream.events[i - 1]!.timestamp > e.timestamp) i -= 1;
    stream.events.splice(i, 0, event);
  }
  if (events.length) stream.lastIngestionTime = now;
  stream.sequence += 1;
}

export interface PutResult {
  nextSequenceToken: string;
  rejected?: {
    tooNewLogEventStartIndex?: number;
    tooOldLogEventEndIndex?: number;
    expiredLogEventEndIndex?: number;
  };
}

/**
 * PutLogEvents: "The log events in the batch must be in chronological
 * order"; a batch "cannot span more than 24 hours"; "Events more than 2
 * hours in the future are rejected while processing remaining valid events.
 * Events older than 14 days or preceding the log group's retention period
 * are rejected while processing remaining valid events" (API reference,
 * PutLogEvents).
 */
export function putLogEvents(
  model: LogsModel,
  group: LogGroupState,
  stream: LogStreamState,
  events: readonly { timestamp: number; message: string }[],
): PutResult {
  if (!events.length)
    throw validationError('logEvents', '[]', 'Member must have length greater than or equal to 1');
  if (events.length > 10_000)
    throw validationError('logEvents', events.length, 'Member must have length less than or equal to 10000');
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  const now = model.twin.clock.now();
  const oldest = Math.max(now - 14 * DAY, retainedSince(model, group));
  const isOld = (t: number) => t < now - 14 * DAY;
  const isExpired = (t: number) => !isOld(t) && t < oldest;
  const accepted = events.filter((e) => e.timestamp >= oldest && e.timestamp <= now + 2 * HOUR);
  if (accepted.length > 1 && accepted.at(-1)!.timestamp - accepted[0]!.timestamp > DAY) {
    throw invalidParameter(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  }
  appendEvents(model, stream, accepted);
  return { nextSequenceToken: sequenceToken(stream), ...rejections(events, now, isOld, isExpired) };
}

function rejections(
  events: readonly { timestamp: number }[],
  now: number,
  isOld: (t: number) => boolean,
  isExpired: (t: number) => boolean,
): Pick<PutResult, 'rejected'> {
  const rejected: NonNullable<PutResult['rejected']> = {};
  const tooNew = events.findIndex((e) => e.timestamp > now + 2 * HOUR);
  if (tooNew >= 0) rejected.tooNewLogEventStartIndex = tooNew;
  const lastOld = events.findLastIndex((e) => isOld(e.timestamp));
  if (lastOld >= 0) rejected.tooOldLogEventEndIndex = lastOld;
  const lastExpired = events.findLastIndex((e) => isExpired(e.timestamp));
  if (lastExpired >= 0) rejected.expiredLogEventEndIndex = lastExpired;
  return Object.keys(rejected).length ? { rejected } : {};
}

function sequenceToken(stream: LogStreamState): string {
  return String(stream.sequence).padStart(56, '0');
}

export function uploadSequenceToken(stream: LogStreamState): string {
  return sequenceToken(stream);
}
