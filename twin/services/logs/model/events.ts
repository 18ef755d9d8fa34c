import { invalidParameter } from '../errors.ts';
import { compileFilterPattern } from './filter-pattern.ts';
import { retainedSince } from './groups.ts';
import type { LogEventState, LogGroupState, LogStreamState, LogsModel } from './index.ts';
import { checkLimit, decodeToken, encodeToken } from './paging.ts';
import { getStream } from './streams.ts';

/**
 * Reading events back: GetLogEvents (one stream, forward/backward tokens)
 * and FilterLogEvents (many streams, a filter pattern), from the CloudWatch
 * Logs API reference. Retention is applied as events are read.
 */

interface TimeRange {
  /** "Events with a timestamp earlier than this time are not included." */
  startTime?: number | undefined;
  /** "Events with a timestamp later than this time are not included." */
  endTime?: number | undefined;
}

function inRange(e: LogEventState, range: TimeRange, since: number): boolean {
  return (
    e.timestamp >= since &&
    (range.startTime === undefined || e.timestamp >= range.startTime) &&
    (range.endTime === undefined || e.timestamp <= range.endTime)
  );
}

export interface EventsPage {
  events: LogEventState[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

const POSITION = /^([fb])\/(\d{56})$/;

function position(kind: 'f' | 'b', index: number): string {
  return `${kind}/${String(index).padStart(56, '0')}`;
}

/**
 * GetLogEvents: "If the value is false, the latest log events are returned
 * first" (startFromHead, default false), up to 10,000 events; a forward
 * token that has reached the end comes back unchanged, which is how
 * callers know to stop.
 */
export function getLogEvents(
  model: LogsModel,
  group: LogGroupState,
  input: TimeRange & {
    logStreamName?: string | undefined;
    nextToken?: string | undefined;
    limit?: number | undefined;
    startFromHead?: boolean | undefined;
  },
): EventsPage {
  const stream = getStream(group, input.logStreamName);
  const since = retainedSince(model, group);
  const all = stream.events.filter((e) => inRange(e, input, since));
  const limit = checkLimit(input.limit, 10_000, 10_000);
  let start: number;
  let end: number;
  if (input.nextToken) {
    const m = POSITION.exec(input.nextToken);
    if (!m) throw invalidParameter('The specified nextToken is invalid.');
    const at = Math.min(Number(m[2]), all.length);
    [start, end] = m[1] === 'f' ? [at, Math.min(all.length, at + limit)] : [Math.max(0, at - limit), at];
  } else if (input.startFromHead) {
    [start, end] = [0, Math.min(all.length, limit)];
  } else {
    [start, end] = [Math.max(0, all.length - limit), all.length];
  }
  return {
    events: all.slice(start, end),
    nextForwardToken: position('f', end),
    nextBackwardToken: position('b', start),
  };
}

export interface FilteredEvent extends LogEventState {
  logStreamName: string;
}

/** The streams FilterLogEvents searches: named ones, a prefix (not both), or all. */
function searchedStreams(
  group: LogGroupState,
  input: { logStreamNames?: string[] | undefined; logStreamNamePrefix?: string | undefined },
): LogStreamState[] {
  if (input.logStreamNames?.length && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const streams = [...group.streams.values()];
  if (input.logStreamNames?.length) return streams.filter((s) => input.logStreamNames!.includes(s.name));
  if (input.logStreamNamePrefix !== undefined)
    return streams.filter((s) => s.name.startsWith(input.logStreamNamePrefix!));
  return streams;
}

/**
 * FilterLogEvents: events of the searched streams that match the pattern,
 * interleaved by timestamp, up to `limit` (default and maximum 10,000) per
 * page, with a nextToken while more remain.
 */
export function filterLogEvents(
  model: LogsModel,
  group: LogGroupState,
  input: TimeRange & {
    logStreamNames?: string[] | undefined;
    logStreamNamePrefix?: string | undefined;
    filterPattern?: string | undefined;
    nextToken?: string | undefined;
    limit?: number | undefined;
  },
): { events: FilteredEvent[]; nextToken?: string } {
  const matches = compileFilterPattern(input.filterPattern);
  const since = retainedSince(model, group);
  const found: FilteredEvent[] = [];
  for (const stream of searchedStreams(group, input)) {
    for (const e of stream.events) {
      if (inRange(e, input, since) && matches(e.message)) found.push({ ...e, logStreamName: stream.name });
    }
  }
  found.sort((a, b) => a.timestamp - b.timestamp || (a.eventId < b.eventId ? -1 : 1));
  const limit = checkLimit(input.limit, 10_000, 10_000);
  const start = input.nextToken ? decodeToken(input.nextToken, 'e') : 0;
  const page = found.slice(start, start + limit);
  return start + limit < found.length
    ? { events: page, nextToken: encodeToken(start + limit, 'e') }
    : { events: page };
}
