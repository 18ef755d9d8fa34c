import type { Trail } from '@aws-sdk/client-cloudtrail';
import type { RequestContext } from '../../../core/context.ts';
import type { CloudTrailModel } from '../model/index.ts';
import type { TrailRecord } from '../model/state.ts';
import type { TrailScope } from '../model/trails.ts';

/** A CloudTrail request's context: it hands out CloudTrail models, so these files need not import CloudTrail's definition. */
export type CloudTrailContext = RequestContext<CloudTrailModel>;

/** The caller's CloudTrail model and its siblings in the account's other Regions. */
export function scopeOf(ctx: CloudTrailContext, model: CloudTrailModel): TrailScope {
  return {
    model,
    siblings: () =>
      ctx
        .modelsEverywhere()
        .filter(([where]) => where.accountId === ctx.accountId)
        .map(([, m]) => m),
  };
}

/** A trail as DescribeTrails / GetTrail / CreateTrail return it. */
export function trailOut(t: TrailRecord): Trail {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...(t.s3KeyPrefix && { S3KeyPrefix: t.s3KeyPrefix }),
    ...(t.snsTopicName && {
      SnsTopicName: t.snsTopicName,
      SnsTopicARN: `arn:aws:sns:${t.homeRegion}:${t.accountId}:${t.snsTopicName}`,
    }),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...(t.cloudWatchLogsLogGroupArn && { CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn }),
    ...(t.cloudWatchLogsRoleArn && { CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn }),
    ...(t.kmsKeyId && { KmsKeyId: t.kmsKeyId }),
    HasCustomEventSelectors: Boolean(t.eventSelectors || t.advancedEventSelectors),
    HasInsightSelectors: t.insightSelectors.length > 0,
    IsOrganizationTrail: false,
  };
}
