import type {
  ConfirmSubscriptionInput,
  ConfirmSubscriptionResponse,
  GetSubscriptionAttributesInput,
  GetSubscriptionAttributesResponse,
  ListSubscriptionsByTopicInput,
  ListSubscriptionsByTopicResponse,
  ListSubscriptionsInput,
  ListSubscriptionsResponse,
  SetSubscriptionAttributesInput,
  SubscribeInput,
  SubscribeResponse,
  Subscription,
  UnsubscribeInput,
} from '@aws-sdk/client-sns';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { scheduleConfirmation } from '../../../pipeline/delivery.ts';
import { invalidParameter, notFound } from '../errors.ts';
import {
  modelsInRegion,
  parseSnsArn,
  type SnsModel,
  type SubscriptionState,
  subscriptionByArn,
} from '../model/index.ts';
import {
  confirm,
  setSubscriptionAttribute,
  subscribe,
  subscriptionAttributes,
  unsubscribe,
} from '../model/subscriptions.ts';
import { page, topicOf } from './topics.ts';

/** A subscription as the List* operations show it ("PendingConfirmation" until confirmed). */
function listed(s: SubscriptionState): Subscription {
  return {
    SubscriptionArn: s.pendingConfirmation ? 'PendingConfirmation' : s.arn,
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

export function subscriptionOf(ctx: RequestContext, arn: string | undefined) {
  if (!parseSnsArn(arn)?.id) throw invalidParameter('SubscriptionArn');
  const found = subscriptionByArn(ctx.twin, arn);
  if (!found) throw notFound('Subscription');
  return found;
}

export const subscriptionHandlers: Record<string, Handler<SnsModel>> = {
  Subscribe(_model, input: SubscribeInput, ctx): SubscribeResponse {
    const topic = topicOf(ctx, input.TopicArn);
    const s = subscribe(
      topic,
      {
        protocol: input.Protocol ?? '',
        endpoint: input.Endpoint ?? '',
        attributes: input.Attributes ?? {},
        callerAccount: ctx.accountId,
        callerArn: ctx.principal.arn,
      },
      ctx.twin.ids,
    );
    if (s.pendingConfirmation) scheduleConfirmation(ctx.twin, topic, s);
    // "If you set this parameter to true, the response includes the ARN for the pending subscription" (API_Subscribe).
    const shown = s.pendingConfirmation && !input.ReturnSubscriptionArn ? 'pending confirmation' : s.arn;
    return { SubscriptionArn: shown };
  },

  ConfirmSubscription(_model, input: ConfirmSubscriptionInput, ctx): ConfirmSubscriptionResponse {
    const topic = topicOf(ctx, input.TopicArn);
    return { SubscriptionArn: confirm(topic, input.Token ?? '').arn };
  },

  Unsubscribe(_model, input: UnsubscribeInput, ctx): object {
    const { topic, subscription } = subscriptionOf(ctx, input.SubscriptionArn);
    unsubscribe(topic, subscription);
    return {};
  },

  ListSubscriptions(_model, input: ListSubscriptionsInput, ctx): ListSubscriptionsResponse {
    const mine = modelsInRegion(ctx.twin, ctx.region)
      .flatMap((m) => [...m.topics.values()])
      .flatMap((t) => [...t.subscriptions.values()])
      .filter((s) => s.owner === ctx.accountId);
    const { items, next } = page(mine, input.NextToken);
    return { Subscriptions: items.map(listed), ...(next && { NextToken: next }) };
  },

  ListSubscriptionsByTopic(
    _model,
    input: ListSubscriptionsByTopicInput,
    ctx,
  ): ListSubscriptionsByTopicResponse {
    const topic = topicOf(ctx, input.TopicArn);
    const { items, next } = page([...topic.subscriptions.values()], input.NextToken);
    return { Subscriptions: items.map(listed), ...(next && { NextToken: next }) };
  },

  GetSubscriptionAttributes(
    _model,
    input: GetSubscriptionAttributesInput,
    ctx,
  ): GetSubscriptionAttributesResponse {
    return { Attributes: subscriptionAttributes(subscriptionOf(ctx, input.SubscriptionArn).subscription) };
  },

  SetSubscriptionAttributes(_model, input: SetSubscriptionAttributesInput, ctx): object {
    const { subscription } = subscriptionOf(ctx, input.SubscriptionArn);
    setSubscriptionAttribute(subscription, input.AttributeName ?? '', input.AttributeValue ?? '');
    return {};
  },
};
