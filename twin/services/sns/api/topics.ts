import type {
  CreateTopicInput,
  CreateTopicResponse,
  DeleteTopicInput,
  GetTopicAttributesInput,
  GetTopicAttributesResponse,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
  ListTopicsInput,
  ListTopicsResponse,
  SetTopicAttributesInput,
  TagResourceRequest,
  UntagResourceRequest,
} from '@aws-sdk/client-sns';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { invalidParameter, notFound } from '../errors.ts';
import { existingModel, parseSnsArn, type SnsModel, type TopicState, topicByArn } from '../model/index.ts';
import { createTopic, deleteTopic, setTopicAttribute, topicAttributes } from '../model/topics.ts';

/** The topic a TopicArn names: InvalidParameter for a malformed ARN, NotFound for an unknown topic. */
export function topicOf(ctx: RequestContext, arn: string | undefined, parameter = 'TopicArn'): TopicState {
  const parts = parseSnsArn(arn);
  if (!parts || parts.id) throw invalidParameter(parameter);
  const topic = topicByArn(ctx.twin, arn);
  if (!topic) throw notFound('Topic');
  return topic;
}

/** A page of 100, as SNS's List* operations return them. */
export function page<T>(items: T[], token: string | undefined): { items: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) || 0 : 0;
  const out = items.slice(start, start + 100);
  return start + 100 < items.length
    ? { items: out, next: Buffer.from(String(start + 100)).toString('base64') }
    : { items: out };
}

function taggedTopic(ctx: RequestContext, arn: string | undefined): TopicState {
  const topic = topicByArn(ctx.twin, arn);
  if (!topic) throw new AwsError('ResourceNotFoundException', 'Resource does not exist');
  return topic;
}

export const topicHandlers: Record<string, Handler<SnsModel>> = {
  CreateTopic(model, input: CreateTopicInput, ctx): CreateTopicResponse {
    const tags = Object.fromEntries((input.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    // "To be able to tag a topic on creation, you must have the sns:CreateTopic and sns:TagResource permissions" (API_CreateTopic).
    if (Object.keys(tags).length > 0)
      ctx.authorize({
        action: 'sns:TagResource',
        resource: model.arnOf(input.Name ?? ''),
        resourceAccount: ctx.accountId,
      });
    const topic = createTopic(model, { name: input.Name ?? '', attributes: input.Attributes ?? {}, tags });
    return { TopicArn: topic.arn };
  },

  DeleteTopic(_model, input: DeleteTopicInput, ctx): object {
    const topic = topicByArn(ctx.twin, input.TopicArn);
    // Deleting a topic that does not exist succeeds (DeleteTopic is idempotent).
    const owner = topic && existingModel(ctx.twin, topic.accountId, topic.region);
    if (topic && owner) deleteTopic(owner, topic);
    return {};
  },

  ListTopics(model, input: ListTopicsInput): ListTopicsResponse {
    const { items, next } = page([...model.topics.values()], input.NextToken);
    return { Topics: items.map((t) => ({ TopicArn: t.arn })), ...(next && { NextToken: next }) };
  },

  GetTopicAttributes(_model, input: GetTopicAttributesInput, ctx): GetTopicAttributesResponse {
    return { Attributes: topicAttributes(topicOf(ctx, input.TopicArn)) };
  },

  SetTopicAttributes(_model, input: SetTopicAttributesInput, ctx): object {
    setTopicAttribute(topicOf(ctx, input.TopicArn), input.AttributeName ?? '', input.AttributeValue ?? '');
    return {};
  },

  TagResource(_model, input: TagResourceRequest, ctx): object {
    const topic = taggedTopic(ctx, input.ResourceArn);
    for (const t of input.Tags ?? []) topic.tags.set(t.Key ?? '', t.Value ?? '');
    return {};
  },

  UntagResource(_model, input: UntagResourceRequest, ctx): object {
    const topic = taggedTopic(ctx, input.ResourceArn);
    for (const k of input.TagKeys ?? []) topic.tags.delete(k);
    return {};
  },

  ListTagsForResource(_model, input: ListTagsForResourceRequest, ctx): ListTagsForResourceResponse {
    const topic = taggedTopic(ctx, input.ResourceArn);
    return { Tags: [...topic.tags].map(([Key, Value]) => ({ Key, Value })) };
  },
};
