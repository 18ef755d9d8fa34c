/**
 * The SNS → SQS → Lambda pipeline the twin runs on its own scheduler:
 * delivery (SNS to its subscribers) and Lambda's SQS event source poller.
 * `pipelineStats(twin)` shows what it did; `setPipelineSeams` lets tests
 * stand in for Lambda.
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
