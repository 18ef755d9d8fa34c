import type {
  AddPermissionRequest,
  CreateQueueRequest,
  CreateQueueResult,
  DeleteQueueRequest,
  GetQueueAttributesRequest,
  GetQueueAttributesResult,
  GetQueueUrlRequest,
  GetQueueUrlResult,
  ListDeadLetterSourceQueuesRequest,
  ListDeadLetterSourceQueuesResult,
  ListQueuesRequest,
  ListQueuesResult,
  ListQueueTagsRequest,
  ListQueueTagsResult,
  PurgeQueueRequest,
  RemovePermissionRequest,
  SetQueueAttributesRequest,
  TagQueueRequest,
  UntagQueueRequest,
} from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../../core/context.ts';
import type { Handler } from '../../../core/service.ts';
import { invalidParameterValue, missingParameter, queueDoesNotExist } from '../errors.ts';
import { redriveOf } from '../model/attributes.ts';
import type { SqsModel } from '../model/index.ts';
import { purge } from '../model/messages.ts';
import { addPermission, removePermission } from '../model/permissions.ts';
import { createQueue, deleteQueue, getAttributes, listQueues, setAttributes } from '../model/queues.ts';
import { findByRef, modelOf, noOutput, onQueue, page, queueOf, queueUrl } from './shared.ts';

/** Queue operations: URLs are rendered from the request's origin, never stored. */
const urlOf = (ctx: RequestContext, q: { accountId: string; name: string }) =>
  queueUrl(ctx.origin, q.accountId, q.name);

export const queueHandlers: Record<string, Handler<SqsModel>> = {
  CreateQueue(model, input: CreateQueueRequest, ctx): CreateQueueResult {
    if (!input.QueueName) throw missingParameter('QueueName');
    // "To be able to tag a queue on creation, you must have the sqs:CreateQueue and sqs:TagQueue permissions" (API_CreateQueue).
    if (input.tags && Object.keys(input.tags).length > 0)
      ctx.authorize(onQueue('sqs:TagQueue', ctx.region, { accountId: ctx.accountId, name: input.QueueName }));
    const queue = createQueue(
      model,
      { name: input.QueueName, attributes: input.Attributes ?? {}, tags: input.tags ?? {} },
      ctx.time,
    );
    return { QueueUrl: urlOf(ctx, queue) };
  },

  GetQueueUrl(_model, input: GetQueueUrlRequest, ctx): GetQueueUrlResult {
    const ref = { accountId: input.QueueOwnerAWSAccountId || ctx.accountId, name: input.QueueName ?? '' };
    if (!findByRef(ctx, ref)) throw queueDoesNotExist();
    return { QueueUrl: urlOf(ctx, ref) };
  },

  ListQueues(model, input: ListQueuesRequest, ctx): ListQueuesResult {
    const all = listQueues(model, input.QueueNamePrefix);
    const { items, next } = page(all, input.MaxResults, input.NextToken);
    return {
      ...(items.length > 0 && { QueueUrls: items.map((q) => urlOf(ctx, q)) }),
      ...(next && { NextToken: next }),
    };
  },

  DeleteQueue(_model, input: DeleteQueueRequest, ctx): object {
    const { model, queue } = queueOf(ctx, input.QueueUrl);
    deleteQueue(model, queue, ctx.time);
    return noOutput();
  },

  GetQueueAttributes(_model, input: GetQueueAttributesRequest, ctx): GetQueueAttributesResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    const attributes = getAttributes(queue, input.AttributeNames ?? [], ctx.time);
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },

  SetQueueAttributes(_model, input: SetQueueAttributesRequest, ctx): object {
    const { model, queue } = queueOf(ctx, input.QueueUrl);
    setAttributes(model, queue, input.Attributes ?? {}, ctx.time);
    return noOutput();
  },

  PurgeQueue(_model, input: PurgeQueueRequest, ctx): object {
    purge(queueOf(ctx, input.QueueUrl).queue, ctx.time);
    return noOutput();
  },

  TagQueue(_model, input: TagQueueRequest, ctx): object {
    const { queue } = queueOf(ctx, input.QueueUrl);
    for (const [k, v] of Object.entries(input.Tags ?? {})) queue.tags.set(k, v);
    return noOutput();
  },

  UntagQueue(_model, input: UntagQueueRequest, ctx): object {
    const { queue } = queueOf(ctx, input.QueueUrl);
    for (const k of input.TagKeys ?? []) queue.tags.delete(k);
    return noOutput();
  },

  ListQueueTags(_model, input: ListQueueTagsRequest, ctx): ListQueueTagsResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    return queue.tags.size > 0 ? { Tags: Object.fromEntries(queue.tags) } : {};
  },

  AddPermission(_model, input: AddPermissionRequest, ctx): object {
    const { queue } = queueOf(ctx, input.QueueUrl);
    addPermission(queue, input.Label ?? '', input.AWSAccountIds ?? [], input.Actions ?? [], ctx.time);
    return noOutput();
  },

  RemovePermission(_model, input: RemovePermissionRequest, ctx): object {
    const { queue } = queueOf(ctx, input.QueueUrl);
    removePermission(queue, input.Label ?? '', ctx.time);
    return noOutput();
  },

  ListDeadLetterSourceQueues(
    _model,
    input: ListDeadLetterSourceQueuesRequest,
    ctx,
  ): ListDeadLetterSourceQueuesResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    const owner = modelOf(ctx, queue.accountId);
    if (!owner) throw invalidParameterValue('The queue has no owner.');
    const sources = [...owner.queues.values()].filter((q) => redriveOf(q)?.deadLetterTargetArn === queue.arn);
    return { queueUrls: sources.map((q) => urlOf(ctx, q)) };
  },
};
