import { AwsError } from '../core/errors.ts';
import { type Twin, worldPart } from '../twin.ts';

/**
 * Counters of what the pipeline did, for tests and operators. On AWS these
 * show as CloudWatch metrics (SNS NumberOfNotificationsDelivered /
 * NumberOfNotificationsFailed per topic; Lambda's event source mapping
 * results), never as errors to the publisher.
 */
export interface SubscriptionStats {
  topicArn: string;
  endpoint: string;
  delivered: number;
  failed: number;
  /** Why the last delivery failed ("AccessDenied: …", "KmsAccessDenied: …"). */
  lastFailure?: string;
}

export interface TopicStats {
  published: number;
  /** NumberOfNotificationsDelivered / NumberOfNotificationsFailed. */
  delivered: number;
  failed: number;
}

export interface MappingStats {
  functionArn: string;
  eventSourceArn: string;
  polls: number;
  /** Messages handed to the function. */
  received: number;
  invocations: number;
  /** Batches that failed: a function error, a refused invoke, or throttles until the visibility timeout (the batch stays in the queue). */
  errors: number;
  /** Invocations Lambda throttled and retried (they do not run the function). */
  throttles: number;
  deleted: number;
  /** The last function error (`Type: message`) and the end of that invocation's log; kept after later successes. */
  lastError?: { error: string; logTail: string };
  /** The last problem polling the queue ("AccessDenied: …"); cleared by a good poll. */
  lastProblem?: string;
}

export interface PipelineStats {
  topics: Record<string, TopicStats>;
  subscriptions: Record<string, SubscriptionStats>;
  mappings: Record<string, MappingStats>;
}

/** The counters are plain data, so the twin's state dump shows them whole. */
const pipelineCounters = worldPart({
  name: 'pipeline.stats',
  make: (): PipelineStats => ({ topics: {}, subscriptions: {}, mappings: {} }),
  show: (s) => s,
});

/** The pipeline's counters for a twin (live object; copy it to keep a snapshot). */
export function pipelineStats(twin: Twin): PipelineStats {
  return twin.part(pipelineCounters);
}

export function topicStats(twin: Twin, topicArn: string): TopicStats {
  const all = pipelineStats(twin).topics;
  all[topicArn] ??= { published: 0, delivered: 0, failed: 0 };
  return all[topicArn];
}

export function subscriptionStats(
  twin: Twin,
  arn: string,
  topicArn: string,
  endpoint: string,
): SubscriptionStats {
  const all = pipelineStats(twin).subscriptions;
  all[arn] ??= { topicArn, endpoint, delivered: 0, failed: 0 };
  return all[arn];
}

export function mappingStats(
  twin: Twin,
  uuid: string,
  functionArn: string,
  eventSourceArn: string,
): MappingStats {
  const all = pipelineStats(twin).mappings;
  all[uuid] ??= {
    functionArn,
    eventSourceArn,
    polls: 0,
    received: 0,
    invocations: 0,
    errors: 0,
    throttles: 0,
    deleted: 0,
  };
  return all[uuid];
}

/** A failure as the stats show it: `Code: message` for AWS errors. */
export function problemOf(error: unknown): string {
  if (error instanceof AwsError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
