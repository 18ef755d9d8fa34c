/**
 * SQS — queues, messages, long polling, visibility, dead-letter redrive,
 * queue policies and SSE-KMS, over both wire protocols: awsJson 1.0 with
 * query-compatible errors (current SDKs) and awsQuery 2012-11-05 (AWS CLI
 * 2.9 and older SDKs), twin-protocols.md §1, §6, §7.
 *
 * LIMITATIONS
 * - One copy of each message, received oldest first: no duplicate
 *   deliveries, no sampling of servers (short polls see every message),
 *   and the Approximate* counts are exact and immediate.
 * - SSE-KMS checks the key policy on every send and receive; AWS caches
 *   data keys for KmsDataKeyReusePeriodSeconds per principal, so a revoked
 *   key permission bites here at once but on AWS only after the reuse
 *   period. A batch send checks the key once for the whole batch.
 * - A long poll whose client went away keeps waiting until a message
 *   arrives or its time is up, and then takes the messages (they come back
 *   after their visibility timeout).
 * - FIFO: groups, deduplication (5 minutes) and sequence numbers, but no
 *   high-throughput partitions and no ReceiveRequestAttemptId.
 * - Attribute changes take effect at once (AWS: up to 60 s, 15 min for
 *   MessageRetentionPeriod). A queue that does not exist answers
 *   QueueDoesNotExist before any permission is checked.
 * - No message move tasks (StartMessageMoveTask …) and no
 *   RedriveAllowPolicy enforcement; the SSE-SQS flag is bookkeeping only.
 * - WaitTimeSeconds and visibility timeouts are real seconds on the twin's
 *   clock, not scaled by the latency profile (the caller chose them).
 * - ListQueues is authorized on `*` and lists the caller's own queues only.
 */
import * as sdk from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../core/context.ts';
import { type AuthorizationRequest, defineService } from '../../core/service.ts';
import { attachEventSourcePoller } from '../../pipeline/poller.ts';
import { batchHandlers } from './api/batch.ts';
import { messageHandlers } from './api/messages.ts';
import { queueHandlers } from './api/queues.ts';
import { findByRef, onQueue, parseQueueUrl, type QueueRef } from './api/shared.ts';
import { accessDenied } from './errors.ts';
import { SqsModel } from './model/index.ts';

/** Batch actions are authorized as their single counterparts (SQS API permissions reference). */
const ACTION: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

function refOf(operation: string, input: Record<string, unknown>, ctx: RequestContext): QueueRef | undefined {
  if (operation === 'CreateQueue') return { accountId: ctx.accountId, name: String(input.QueueName ?? '') };
  if (operation === 'GetQueueUrl')
    return {
      accountId: String(input.QueueOwnerAWSAccountId || ctx.accountId),
      name: String(input.QueueName ?? ''),
    };
  try {
    return parseQueueUrl(input.QueueUrl as string | undefined);
  } catch {
    return undefined;
  }
}

function authorization(
  operation: string,
  input: Record<string, unknown>,
  ctx: RequestContext,
): AuthorizationRequest | 'in-handler' {
  const action = `sqs:${ACTION[operation] ?? operation}`;
  if (operation === 'ListQueues') return { action, resource: '*' };
  const ref = refOf(operation, input, ctx);
  if (!ref) return 'in-handler';
  const found = findByRef(ctx, ref);
  if (!found && operation !== 'CreateQueue') return 'in-handler';
  return onQueue(action, ctx.region, ref, found?.queue);
}

/** CloudTrail keeps message bodies out of its records and names the queue's owner. */
function audit(_operation: string, input: Record<string, unknown>, _output: unknown, ctx: RequestContext) {
  const { MessageBody: _body, Entries: entries, ...rest } = input;
  const ref = refOf(_operation, input, ctx);
  return {
    requestParameters: {
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v])),
      ...(Array.isArray(entries) && { entries: entries.map((e: Record<string, unknown>) => ({ id: e.Id })) }),
    },
    ...(ref && {
      recipientAccountId: ref.accountId,
      resources: [{ type: 'AWS::SQS::Queue', arn: `arn:aws:sqs:${ctx.region}:${ref.accountId}:${ref.name}` }],
    }),
  };
}

export const sqs = defineService<SqsModel>({
  signingName: 'sqs',
  iamPrefix: 'sqs',
  protocol: 'awsJson1_0',
  alsoSpeaks: ['awsQuery'],
  sdk,
  namespace: 'com.amazonaws.sqs',
  targetPrefix: 'AmazonSQS',
  xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
  version: '2012-11-05',
  createModel: (twin, accountId, region) => {
    attachEventSourcePoller(twin);
    return new SqsModel(twin, accountId, region);
  },
  accessDenied,
  authorization,
  audit,
  // CloudTrail logs these as data events (AWS::SQS::Queue), not management events.
  dataEvents: new Set([
    'SendMessage',
    'SendMessageBatch',
    'ReceiveMessage',
    'DeleteMessage',
    'DeleteMessageBatch',
    'ChangeMessageVisibility',
    'ChangeMessageVisibilityBatch',
  ]),
  handlers: { ...queueHandlers, ...messageHandlers, ...batchHandlers },
});
