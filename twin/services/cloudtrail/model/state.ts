import type { AdvancedEventSelector, EventSelector, InsightSelector, Tag } from '@aws-sdk/client-cloudtrail';

/** What GetTrailStatus reports, kept as timestamps on the twin's clock. */
export interface TrailStatus {
  logging: boolean;
  startedAt?: number;
  stoppedAt?: number;
  latestDeliveryTime?: number;
  latestDeliveryAttemptTime?: number;
  latestDeliveryError?: string;
  latestCloudWatchLogsDeliveryTime?: number;
  latestCloudWatchLogsDeliveryError?: string;
  /** Index into `twin.calls` of the first call not yet delivered. */
  cursor: number;
  /** Index into `twin.calls` where logging stopped; delivery drains up to it. */
  stopAt?: number;
  /** Bumped by StartLogging so that a superseded delivery loop ends. */
  generation: number;
}

export interface TrailRecord {
  name: string;
  arn: string;
  accountId: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  /** Classic selectors; absent when advanced selectors are used. */
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  insightSelectors: InsightSelector[];
  tags: Tag[];
  status: TrailStatus;
  deleted?: boolean;
}
