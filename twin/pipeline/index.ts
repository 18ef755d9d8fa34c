/**
 * The SNS → SQS → Lambda pipeline the twin runs on its own scheduler:
 * delivery (SNS to its subscribers) and Lambda's SQS event source poller.
 * `pipelineStats(twin)` shows what it did; `setPipelineSeams` lets tests
 * stand in for Lambda.
 *
 * LIMITATIONS
 * - SNS delivers once, one pipeline hop after Publish: no retry policy,
 *   no subscription dead-letter queue, no throttling.
 * - The poller takes what is receivable when it polls (up to BatchSize,
 *   ten per receive): MaximumBatchingWindowInSeconds does not hold a batch
 *   back, FunctionResponseTypes (ReportBatchItemFailures) and filter
 *   criteria are ignored, and one batch per mapping is in flight at a time
 *   (no scaling of concurrent pollers).
 * - Polls start one hop after a message arrives or becomes visible again;
 *   anything else (a mapping enabled later, a role fixed after a refused
 *   poll) is found by a sweep every 20 hops. Lambda may call
 *   `pollEventSourcesSoon(twin)` to poll at once.
 * - A refused poll is recorded in pipelineStats (lastProblem); the
 *   mapping's LastProcessingResult is Lambda's to report.
 */
export { pollEventSourcesSoon, pollQueue } from './poller.ts';
export { type EventSourceMappingView, type PipelineSeams, setPipelineSeams } from './seams.ts';
export {
  type MappingStats,
  type PipelineStats,
  pipelineStats,
  type SubscriptionStats,
  type TopicStats,
} from './stats.ts';
