import type {
  CreateLogStreamRequest,
  DeleteLogStreamRequest,
  DescribeLogStreamsRequest,
  DescribeLogStreamsResponse,
  FilterLogEventsRequest,
  FilterLogEventsResponse,
  GetLogEventsRequest,
  GetLogEventsResponse,
  LogStream,
  PutLogEventsRequest,
  PutLogEventsResponse,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../../../core/service.ts';
import { filterLogEvents, getLogEvents } from '../model/events.ts';
import { getGroup, groupByIdentifier } from '../model/groups.ts';
import type { LogGroupState, LogStreamState, LogsModel } from '../model/index.ts';
import { paginate } from '../model/paging.ts';
import {
  createLogStream,
  getStream,
  listStreams,
  putLogEvents,
  uploadSequenceToken,
} from '../model/streams.ts';

function renderStream(model: LogsModel, group: LogGroupState, s: LogStreamState): LogStream {
  const first = s.events[0];
  const last = s.events.at(-1);
  return {
    logStreamName: s.name,
    creationTime: s.creationTime,
    ...(first && { firstEventTimestamp: first.timestamp }),
    ...(last && { lastEventTimestamp: last.timestamp }),
    ...(s.lastIngestionTime !== undefined && { lastIngestionTime: s.lastIngestionTime }),
    uploadSequenceToken: uploadSequenceToken(s),
    arn: model.streamArn(group.name, s.name),
    // "storedBytes … is no longer populated" (API reference, LogStream): AWS answers 0.
    storedBytes: 0,
  };
}

export const streamHandlers: Record<string, Handler<LogsModel>> = {
  CreateLogStream(model, input: CreateLogStreamRequest): object {
    createLogStream(model, getGroup(model, input.logGroupName), input.logStreamName);
    return {};
  },

  DeleteLogStream(model, input: DeleteLogStreamRequest): object {
    const group = getGroup(model, input.logGroupName);
    group.streams.delete(getStream(group, input.logStreamName).name);
    return {};
  },

  DescribeLogStreams(model, input: DescribeLogStreamsRequest): DescribeLogStreamsResponse {
    const group = groupByIdentifier(model, input);
    const streams = listStreams(group, {
      prefix: input.logStreamNamePrefix,
      orderBy: input.orderBy,
      descending: input.descending,
    });
    const { page, nextToken } = paginate(streams, input, 50);
    return { logStreams: page.map((s) => renderStream(model, group, s)), ...(nextToken && { nextToken }) };
  },

  PutLogEvents(model, input: PutLogEventsRequest): PutLogEventsResponse {
    const group = getGroup(model, input.logGroupName);
    const stream = getStream(group, input.logStreamName);
    const events = (input.logEvents ?? []).map((e) => ({
      timestamp: e.timestamp ?? 0,
      message: e.message ?? '',
    }));
    const result = putLogEvents(model, group, stream, events);
    return {
      nextSequenceToken: result.nextSequenceToken,
      ...(result.rejected && { rejectedLogEventsInfo: result.rejected }),
    };
  },

  GetLogEvents(model, input: GetLogEventsRequest): GetLogEventsResponse {
    const page = getLogEvents(model, groupByIdentifier(model, input), input);
    return {
      events: page.events.map((e) => ({
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
      })),
      nextForwardToken: page.nextForwardToken,
      nextBackwardToken: page.nextBackwardToken,
    };
  },

  FilterLogEvents(model, input: FilterLogEventsRequest): FilterLogEventsResponse {
    const page = filterLogEvents(model, groupByIdentifier(model, input), input);
    return {
      events: page.events.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: e.eventId,
      })),
      ...(page.nextToken && { nextToken: page.nextToken }),
    };
  },
};
