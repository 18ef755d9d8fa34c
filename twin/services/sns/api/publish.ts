import type {
  BatchResultErrorEntry,
  PublishBatchInput,
  PublishBatchResponse,
  PublishBatchResultEntry,
  PublishInput,
  PublishResponse,
} from '@aws-sdk/client-sns';
import type { RequestContext } from '../../../core/context.ts';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { scheduleDeliveries } from '../../../pipeline/delivery.ts';
import { checkPublisherKey } from '../encryption.ts';
import { invalidParameter } from '../errors.ts';
import type { SnsAttribute, SnsModel, TopicState } from '../model/index.ts';
import { type PublishInput as ModelInput, makeNotification } from '../model/publish.ts';
import { topicOf } from './topics.ts';

/**
 * Publish and PublishBatch. The publisher's answer never depends on the
 * subscribers: deliveries happen later (twin/pipeline/delivery.ts) and a
 * refused delivery is invisible here, as on AWS.
 */
function publishOne(
  ctx: RequestContext,
  topic: TopicState,
  input: ModelInput,
): { MessageId: string; SequenceNumber?: string } {
  const n = makeNotification(topic, input, ctx.time, ctx.twin.ids);
  checkPublisherKey(ctx, topic);
  scheduleDeliveries(ctx.twin, topic, n);
  return { MessageId: n.messageId, ...(n.sequenceNumber && { SequenceNumber: n.sequenceNumber }) };
}

export const publishHandlers: Record<string, Handler<SnsModel>> = {
  Publish(_model, input: PublishInput, ctx): PublishResponse {
    if (input.PhoneNumber) throw invalidParameter('PhoneNumber Reason: the twin does not send SMS');
    const arn = input.TopicArn ?? input.TargetArn;
    if (!arn) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
    return publishOne(ctx, topicOf(ctx, arn, input.TopicArn ? 'TopicArn' : 'TargetArn'), {
      message: input.Message,
      subject: input.Subject,
      structure: input.MessageStructure,
      attributes: (input.MessageAttributes ?? {}) as Record<string, SnsAttribute>,
      groupId: input.MessageGroupId,
    });
  },

  PublishBatch(_model, input: PublishBatchInput, ctx): PublishBatchResponse {
    const topic = topicOf(ctx, input.TopicArn);
    const entries = input.PublishBatchRequestEntries ?? [];
    if (entries.length === 0)
      throw new AwsError('EmptyBatchRequestException', "The batch request doesn't contain any entries.");
    if (entries.length > 10)
      throw new AwsError(
        'TooManyEntriesInBatchRequestException',
        'The batch request contains more entries than permissible.',
      );
    const ids = new Set(entries.map((e) => e.Id));
    if (ids.size !== entries.length)
      throw new AwsError(
        'BatchEntryIdsNotDistinctException',
        'Two or more batch entries in the request have the same Id.',
      );
    const Successful: PublishBatchResultEntry[] = [];
    const Failed: BatchResultErrorEntry[] = [];
    for (const e of entries) {
      try {
        Successful.push({
          Id: e.Id,
          ...publishOne(ctx, topic, {
            message: e.Message,
            subject: e.Subject,
            structure: e.MessageStructure,
            attributes: (e.MessageAttributes ?? {}) as Record<string, SnsAttribute>,
            groupId: e.MessageGroupId,
          }),
        });
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        Failed.push({ Id: e.Id, Code: error.code, Message: error.message, SenderFault: true });
      }
    }
    return { Successful, Failed };
  },
};
