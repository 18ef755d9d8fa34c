/**
 * SNS — topics, subscriptions (SQS and Lambda endpoints deliver; others
 * stay pending), Publish/PublishBatch, topic policies and SSE-KMS, over
 * awsQuery 2010-03-31. Deliveries run in twin/pipeline/delivery.ts.
 *
 * LIMITATIONS
 * - Only sqs and lambda endpoints receive messages. http(s), email,
 *   email-json, sms, application and firehose subscriptions are accepted
 *   and stay pending confirmation; Publish to a phone number is refused.
 * - One delivery attempt: no retries, no delivery policies and no
 *   subscription dead-letter queues (RedrivePolicy is stored, unused).
 * - Lambda endpoints are invoked without checking the function's resource
 *   policy (the twin's Lambda exposes none to SNS yet).
 * - Message signatures are the twin's own (not verifiable against an AWS
 *   certificate); SigningCertURL and UnsubscribeURL point at the twin.
 * - Delivery status logging covers SQS subscriptions only; the feedback
 *   role is not checked for trusting sns.amazonaws.com, and any success
 *   sample rate above 0 logs every success.
 * - Filter policies: exact values, prefix, suffix, equals-ignore-case,
 *   anything-but, numeric and exists; no cidr or $or.
 * - ConfirmSubscription needs no permission (the token is the proof, as
 *   with SubscribeURL); FIFO topics keep order but do not deduplicate.
 * - SSE-KMS checks the publisher's key permissions on every Publish (no
 *   data key cache).
 * - AddPermission/RemovePermission, data protection policies, message
 *   archiving and SMS/mobile push are not served.
 */
import * as sdk from '@aws-sdk/client-sns';
import type { RequestContext } from '../../core/context.ts';
import { type AuthorizationRequest, defineService } from '../../core/service.ts';
import { publishHandlers } from './api/publish.ts';
import { subscriptionHandlers } from './api/subscriptions.ts';
import { topicHandlers } from './api/topics.ts';
import { authorizationError } from './errors.ts';
import { SnsModel, subscriptionByArn, type TopicState, topicByArn } from './model/index.ts';
import { policyOf } from './model/topics.ts';

/** The topic an operation acts on, by the member that names it. */
function topicFor(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): TopicState | undefined {
  if (['Unsubscribe', 'GetSubscriptionAttributes', 'SetSubscriptionAttributes'].includes(operation))
    return subscriptionByArn(ctx.twin, input.SubscriptionArn as string)?.topic;
  if (['TagResource', 'UntagResource', 'ListTagsForResource'].includes(operation))
    return topicByArn(ctx.twin, input.ResourceArn as string);
  return topicByArn(ctx.twin, (input.TopicArn ?? input.TargetArn) as string);
}

/** Actions named differently from their operation (SNS API permissions reference). */
const ACTION: Record<string, string> = { PublishBatch: 'Publish' };

/**
 * `sns:<Action>` on the topic ARN, judged with the topic policy (the
 * default policy when none was set) and the topic's owner as the resource
 * account. An unknown topic is the handler's NotFound.
 */
function authorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest | 'in-handler' {
  const action = `sns:${ACTION[operation] ?? operation}`;
  if (operation === 'ListTopics' || operation === 'ListSubscriptions') return { action, resource: '*' };
  if (operation === 'ConfirmSubscription') return 'in-handler';
  if (operation === 'CreateTopic')
    return {
      action,
      resource: `arn:aws:sns:${ctx.region}:${ctx.accountId}:${String(input.Name ?? '')}`,
      resourceAccount: ctx.accountId,
    };
  const topic = topicFor(operation, input, ctx);
  if (!topic) return 'in-handler';
  return { action, resource: topic.arn, resourcePolicy: policyOf(topic), resourceAccount: topic.accountId };
}

/** CloudTrail keeps message contents out of its records and names the topic's owner. */
function audit(operation: string, input: Record<string, unknown>, _output: unknown, ctx: RequestContext) {
  const { Message: _message, PublishBatchRequestEntries: entries, ...rest } = input;
  const topic = topicFor(operation, input, ctx);
  return {
    requestParameters: {
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v])),
      ...(Array.isArray(entries) && {
        publishBatchRequestEntries: entries.map((e: Record<string, unknown>) => ({ id: e.Id })),
      }),
    },
    ...(topic && {
      recipientAccountId: topic.accountId,
      resources: [{ type: 'AWS::SNS::Topic', arn: topic.arn }],
    }),
  };
}

export const sns = defineService<SnsModel>({
  signingName: 'sns',
  iamPrefix: 'sns',
  protocol: 'awsQuery',
  sdk,
  namespace: 'com.amazonaws.sns',
  xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
  version: '2010-03-31',
  createModel: (twin, accountId, region) => new SnsModel(twin, accountId, region),
  accessDenied: authorizationError,
  authorization,
  audit,
  // CloudTrail logs Publish and PublishBatch as data events (AWS::SNS::Topic).
  dataEvents: new Set(['Publish', 'PublishBatch']),
  handlers: { ...topicHandlers, ...subscriptionHandlers, ...publishHandlers },
});
