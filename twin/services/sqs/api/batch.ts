import type {
  BatchResultErrorEntry,
  ChangeMessageVisibilityBatchRequest,
  ChangeMessageVisibilityBatchResult,
  DeleteMessageBatchRequest,
  DeleteMessageBatchResult,
  SendMessageBatchRequest,
  SendMessageBatchResult,
  SendMessageBatchResultEntry,
} from '@aws-sdk/client-sqs';
import { AwsError } from '../../../core/errors.ts';
import type { Handler } from '../../../core/service.ts';
import { checkProducerKey } from '../encryption.ts';
import {
  batchEntryIdsNotDistinct,
  emptyBatchRequest,
  invalidBatchEntryId,
  tooManyEntriesInBatchRequest,
} from '../errors.ts';
import { type SqsModel, signalAvailable } from '../model/index.ts';
import { changeVisibility, deleteMessage } from '../model/messages.ts';
import { send, sendInput, sendResult } from './send.ts';
import { queueOf } from './shared.ts';

/**
 * The batch actions: up to 10 entries with distinct ids; each entry
 * succeeds or fails on its own (API_SendMessageBatch: "The result of
 * sending each message is reported individually in the response"), and
 * the batch is authorized as the single action (sqs:SendMessage, …).
 */
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

function checkEntries(entries: { Id?: string | undefined }[] | undefined): void {
  if (!entries || entries.length === 0) throw emptyBatchRequest();
  if (entries.length > 10) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.Id || !ENTRY_ID.test(e.Id)) throw invalidBatchEntryId();
    if (seen.has(e.Id)) throw batchEntryIdsNotDistinct(e.Id);
    seen.add(e.Id);
  }
}

function failure(id: string | undefined, error: unknown): BatchResultErrorEntry {
  if (!(error instanceof AwsError)) throw error;
  return { Id: id, SenderFault: (error.status ?? 400) < 500, Code: error.code, Message: error.message };
}

/** Runs `each` per entry, sorting the outcomes into Successful and Failed. */
function perEntry<E extends { Id?: string | undefined }, S>(
  entries: E[],
  each: (e: E) => S,
): { Successful: S[]; Failed: BatchResultErrorEntry[] } {
  const Successful: S[] = [];
  const Failed: BatchResultErrorEntry[] = [];
  for (const e of entries) {
    try {
      Successful.push(each(e));
    } catch (error) {
      Failed.push(failure(e.Id, error));
    }
  }
  return { Successful, Failed };
}

export const batchHandlers: Record<string, Handler<SqsModel>> = {
  SendMessageBatch(_model, input: SendMessageBatchRequest, ctx): SendMessageBatchResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    checkEntries(input.Entries);
    const total = (input.Entries ?? []).reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
    if (total > 1_048_576)
      throw new AwsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than 1048576 bytes. You have sent ${total} bytes.`,
      );
    checkProducerKey(ctx.twin, queue, {
      principal: ctx.principal,
      sourceIp: ctx.sourceIp,
      accessKeyId: ctx.accessKeyId,
    });
    return perEntry(input.Entries ?? [], (e): SendMessageBatchResultEntry => {
      const r = sendResult(send(ctx, queue, sendInput(ctx, e)));
      return { ...r, Id: e.Id, MessageId: r.MessageId!, MD5OfMessageBody: r.MD5OfMessageBody! };
    });
  },

  DeleteMessageBatch(_model, input: DeleteMessageBatchRequest, ctx): DeleteMessageBatchResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    checkEntries(input.Entries);
    return perEntry(input.Entries ?? [], (e) => {
      deleteMessage(queue, e.ReceiptHandle ?? '');
      return { Id: e.Id };
    });
  },

  ChangeMessageVisibilityBatch(
    _model,
    input: ChangeMessageVisibilityBatchRequest,
    ctx,
  ): ChangeMessageVisibilityBatchResult {
    const { queue } = queueOf(ctx, input.QueueUrl);
    checkEntries(input.Entries);
    const result = perEntry(input.Entries ?? [], (e) => {
      changeVisibility(queue, e.ReceiptHandle ?? '', e.VisibilityTimeout ?? 0, ctx.time);
      return { Id: e.Id };
    });
    signalAvailable(ctx.twin, queue.arn);
    return result;
  },
};
