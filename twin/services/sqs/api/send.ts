import type { SendMessageRequest, SendMessageResult } from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../../core/context.ts';
import { signalAvailable } from '../model/index.ts';
import { type SendInput, sendMessage } from '../model/messages.ts';
import type { AttributeValue, MessageState, QueueState } from '../model/state.ts';

/** A send's input in the model's terms; the sender is the caller's unique id. */
export function sendInput(
  ctx: RequestContext,
  entry: Pick<
    SendMessageRequest,
    | 'MessageBody'
    | 'DelaySeconds'
    | 'MessageAttributes'
    | 'MessageSystemAttributes'
    | 'MessageGroupId'
    | 'MessageDeduplicationId'
  >,
): SendInput {
  return {
    body: entry.MessageBody ?? '',
    attributes: (entry.MessageAttributes ?? {}) as Record<string, AttributeValue>,
    delaySeconds: entry.DelaySeconds,
    awsTraceHeader: entry.MessageSystemAttributes?.AWSTraceHeader?.StringValue,
    groupId: entry.MessageGroupId,
    deduplicationId: entry.MessageDeduplicationId,
    senderId: ctx.principal.userId,
  };
}

/** Stores a message and wakes the queue's long polls and poller. */
export function send(ctx: RequestContext, queue: QueueState, input: SendInput): MessageState {
  const message = sendMessage(queue, input, ctx.time, ctx.twin.ids);
  signalAvailable(ctx.twin, queue.arn);
  return message;
}

export function sendResult(m: MessageState): SendMessageResult {
  return {
    MessageId: m.messageId,
    MD5OfMessageBody: m.md5OfBody,
    ...(m.md5OfMessageAttributes && { MD5OfMessageAttributes: m.md5OfMessageAttributes }),
    ...(m.sequenceNumber && { SequenceNumber: m.sequenceNumber }),
  };
}
