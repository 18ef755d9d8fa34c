/**
 * CloudTrail (CloudTrail_20131101, awsJson 1.1) — trails and their
 * deliveries to S3 and CloudWatch Logs, event selectors, and event history
 * (LookupEvents) built from every call the twin served or made for a
 * caller.
 *
 * LIMITATIONS
 * - Event history is the twin's call log: calls made through invoke()
 *   (seeded labs) are not in it; events are ordered as recorded; a call
 *   is in the history of the caller's account and of the resource owner's
 *   (KMS denials in the caller's only).
 * - eventVersion 1.09 records: sessionContext.attributes.creationDate is the
 *   event's time (the twin does not keep when a session was issued);
 *   tlsDetails are fixed (TLSv1.3); additionalEventData, vpcEndpointId and
 *   sessionCredentialFromConsole are not written.
 * - No organization trails, event data stores (Lake), channels, SNS
 *   notifications (SnsTopicName is stored only), log file validation digest
 *   files (EnableLogFileValidation is stored only), trail encryption with
 *   KmsKeyId (stored only; S3 default encryption of the bucket applies), or
 *   Insights events (insight selectors are stored; LookupEvents with
 *   EventCategory insight returns nothing).
 * - Deliveries run every `cloudTrailVisibleMs` of the latency profile, one
 *   file per Region per delivery; a trail includes global service events
 *   (IAM, STS) from any Region instead of us-east-1 only.
 * - CreateTrail checks the bucket policy by evaluating it for
 *   cloudtrail.amazonaws.com (GetBucketAcl and PutObject under
 *   AWSLogs/<account>/), and the CloudWatch Logs role's trust and
 *   permissions; a missing log group or missing permissions answer
 *   InvalidCloudWatchLogsLogGroupArnException as AWS does.
 * - Advanced event selectors support the eventCategory, eventSource,
 *   eventName, eventType, readOnly, resources.type and resources.ARN fields.
 * - Tags: no quota checks.
 */
import * as sdk from '@aws-sdk/client-cloudtrail';
import { defineService, type Handler } from '../../core/service.ts';
import { lookupHandlers } from './api/lookup.ts';
import { selectorHandlers } from './api/selectors.ts';
import { tagHandlers } from './api/tags.ts';
import { trailHandlers } from './api/trails.ts';
import { accessDenied } from './errors.ts';
import { CloudTrailModel } from './model/index.ts';
import { parseTrailArn, trailArn } from './model/names.ts';

const handlers: Record<string, Handler<CloudTrailModel>> = {
  ...trailHandlers,
  ...selectorHandlers,
  ...tagHandlers,
  ...lookupHandlers,
};

/** Trail operations are authorized on the trail's ARN ("Actions, resources, and condition keys for AWS CloudTrail"). */
function trailResource(input: Record<string, unknown>, region: string, accountId: string): string {
  const ref = (input.Name ?? input.TrailName ?? input.ResourceId) as string | undefined;
  if (!ref) return '*';
  return parseTrailArn(ref) ? ref : trailArn(region, accountId, ref);
}

export const cloudtrail = defineService<CloudTrailModel>({
  signingName: 'cloudtrail',
  iamPrefix: 'cloudtrail',
  protocol: 'awsJson1_1',
  sdk,
  namespace: 'com.amazonaws.cloudtrail',
  targetPrefix: 'CloudTrail_20131101',
  createModel: (twin, accountId, region) => new CloudTrailModel(twin, accountId, region),
  accessDenied,
  authorization(operation, input, ctx) {
    return { action: `cloudtrail:${operation}`, resource: trailResource(input, ctx.region, ctx.accountId) };
  },
  handlers,
});
