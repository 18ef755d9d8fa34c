import type {
  ChangeMessageVisibilityRequest,
  DeleteMessageRequest,
  ReceiveMessageRequest,
  ReceiveMessageResult,
  SendMessageRequest,
  SendMessageResult,
} from '@aws-sdk/client-sqs';
import type { Handler } from '../../../core/service.ts';
import { checkConsumerKey, checkProducerKey } from '../encryption.ts';
import { invalidParameterValue } from '../errors.ts';
import { seconds } from '../model/attributes.ts';
import { type SqsModel, signalAvailable } from '../model/index.ts';
import { changeVisibility, deleteMessage } from '../model/messages.ts';
import { receiveMessages } from '../model/receive.ts';
import { renderMessage } from './render.ts';
import { send, sendInput, sendResult } from './send.ts';
import { noOutput, queueOf } from './shared.ts';

function bounded(name: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value !== undefined && (value < min || value > max))
    throw invalidParameterValue(
      `Value ${value} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  return value;
}

export const messageHandlers: Record<string, Handler<SqsModel>> = {
  SendMessage(_model, input: SendMessageRequest, ctx): SendMessageResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    checkProducerKey(ctx.twin, queue, {
      principal: ctx.principal,
      sourceIp: ctx.sourceIp,
      accessKeyId: ctx.accessKeyId,
    });
    return sendResult(send(ctx, queue, sendInput(ctx, input)));
  },

  async ReceiveMessage(_model, input: ReceiveMessageRequest, ctx): Promise<ReceiveMessageResult> {
    const { model, queue } = queueOf(ctx, input.QueueUrl);
    const max = bounded('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10) ?? 1;
    const wait =
      bounded('WaitTimeSeconds', input.WaitTimeSeconds, 0, 20) ??
      seconds(queue, 'ReceiveMessageWaitTimeSeconds');
    const visibility =
      bounded('VisibilityTimeout', input.VisibilityTimeout, 0, 43_200) ?? seconds(queue, 'VisibilityTimeout');
    const messages = await receiveMessages(model, queue, { max, visibility, waitSeconds: wait }, () =>
      checkConsumerKey(ctx.twin, queue, {
        principal: ctx.principal,
        sourceIp: ctx.sourceIp,
        accessKeyId: ctx.accessKeyId,
      }),
    );
    const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
    const rendered = messages.map((m) => renderMessage(m, systemNames, input.MessageAttributeNames ?? []));
    return rendered.length > 0 ? { Messages: rendered } : {};
  },

  DeleteMessage(_model, input: DeleteMessageRequest, ctx): object {
    deleteMessage(queueOf(ctx, input.QueueUrl).queue, input.ReceiptHandle ?? '');
    return noOutput();
  },

  ChangeMessageVisibility(_model, input: ChangeMessageVisibilityRequest, ctx): object {
    const { queue } = queueOf(ctx, input.QueueUrl);
    const m = changeVisibility(queue, input.ReceiptHandle ?? '', input.VisibilityTimeout ?? 0, ctx.time);
    if (m.visibleAt <= ctx.time) signalAvailable(ctx.twin, queue.arn);
    return noOutput();
  },
};
