import type { Principal } from '../../core/principal.ts';
import { decide } from '../../iam/authorize.ts';
import type { Twin } from '../../twin.ts';
import { checkConsumerKey, checkProducerKey } from './encryption.ts';
import { accessDenied } from './errors.ts';
import { seconds } from './model/attributes.ts';
import { existingModel, type SqsModel, signalAvailable } from './model/index.ts';
import { deleteMessage, nextVisibleAt, receivable, sendMessage } from './model/messages.ts';
import { takeBatch } from './model/receive.ts';
import type { AttributeValue, MessageState, QueueState } from './model/state.ts';

/**
 * What other parts of the twin need of SQS: AWS services sending to a
 * queue for a resource (SNS for a topic), and Lambda's event source
 * poller receiving and deleting as a function's execution role. Every
 * call is judged as AWS judges it — the queue policy, the caller's
 * identity policies, the queue's KMS key — through the same evaluator as
 * the public API.
 */
export function findQueueByArn(twin: Twin, arn: string): { model: SqsModel; queue: QueueState } | undefined {
  const m = /^arn:aws[\w-]*:sqs:([\w-]+):(\d{12}):(.+)$/.exec(arn);
  if (!m) return undefined;
  const model = existingModel(twin, m[2]!, m[1]!);
  const queue = model?.queues.get(m[3]!);
  return model && queue ? { model, queue } : undefined;
}

/** Throws SQS's AccessDenied unless `principal` may do `action` on the queue (with aws:Source* for services). */
export function authorizeOnQueue(
  twin: Twin,
  principal: Principal,
  queue: QueueState,
  action: string,
  context: Record<string, string> = {},
): void {
  const request = {
    action,
    resource: queue.arn,
    resourcePolicy: queue.attributes.Policy || undefined,
    resourceAccount: queue.accountId,
    context,
  };
  const decision = decide(twin, principal, request, {
    region: queue.region,
    time: twin.clock.now(),
    sourceIp: '127.0.0.1',
    secureTransport: true,
  });
  if (!decision.allowed)
    throw accessDenied(
      `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${queue.arn} ${decision.because}`,
    );
}

export interface ServiceSend {
  queueArn: string;
  /** The service principal (`sns.amazonaws.com`) and the resource it acts for. */
  principal: Principal;
  sourceArn: string;
  sourceAccount: string;
  body: string;
  attributes: Record<string, AttributeValue>;
  /** The SenderId the message records. */
  senderId: string;
}

/**
 * An AWS service sends to a queue for one of its resources: the queue
 * policy must allow the service principal sqs:SendMessage (with
 * aws:SourceArn / aws:SourceAccount), and for an SSE-KMS queue the key
 * policy must let it GenerateDataKey and Decrypt. Throws SQS's error.
 */
export function sendAsService(twin: Twin, send: ServiceSend): MessageState {
  const found = findQueueByArn(twin, send.queueArn);
  if (!found) throw new Error(`queue ${send.queueArn} does not exist`);
  const { queue } = found;
  const source = { 'aws:SourceArn': send.sourceArn, 'aws:SourceAccount': send.sourceAccount };
  authorizeOnQueue(twin, send.principal, queue, 'sqs:SendMessage', source);
  checkProducerKey(twin, queue, {
    principal: send.principal,
    sourceArn: send.sourceArn,
    sourceAccount: send.sourceAccount,
  });
  const message = sendMessage(
    queue,
    { body: send.body, attributes: send.attributes, senderId: send.senderId },
    twin.clock.now(),
    twin.ids,
  );
  signalAvailable(twin, queue.arn);
  return message;
}

/**
 * A receive by `principal` (a function's execution role, for its event
 * source mapping): sqs:ReceiveMessage on the queue and kms:Decrypt on an
 * SSE-KMS queue's key, then up to `max` messages with the queue's
 * visibility timeout. Throws SQS's error when refused.
 */
export function receiveAs(twin: Twin, principal: Principal, queueArn: string, max: number): MessageState[] {
  const found = findQueueByArn(twin, queueArn);
  if (!found) return [];
  const { model, queue } = found;
  authorizeOnQueue(twin, principal, queue, 'sqs:ReceiveMessage');
  const visibility = seconds(queue, 'VisibilityTimeout');
  const now = twin.clock.now();
  if (receivable(queue, now).length === 0) return [];
  checkConsumerKey(twin, queue, { principal });
  return takeBatch(model, queue, { max, visibility, waitSeconds: 0 }, now);
}

/** A delete by `principal` (sqs:DeleteMessage), as the poller does after a successful invoke. */
export function deleteAs(twin: Twin, principal: Principal, queueArn: string, receiptHandle: string): void {
  const found = findQueueByArn(twin, queueArn);
  if (!found) return;
  authorizeOnQueue(twin, principal, found.queue, 'sqs:DeleteMessage');
  deleteMessage(found.queue, receiptHandle);
}

/** When the next message of a queue becomes receivable, if one is waiting (delayed or in flight). */
export function nextReceivableAt(twin: Twin, queueArn: string): number | undefined {
  const found = findQueueByArn(twin, queueArn);
  return found ? nextVisibleAt(found.queue, twin.clock.now()) : undefined;
}

/** Whether a queue has a message receivable now. */
export function hasReceivable(twin: Twin, queueArn: string): boolean {
  const found = findQueueByArn(twin, queueArn);
  if (!found) return false;
  return receivable(found.queue, twin.clock.now()).length > 0;
}

export { md5OfAttributes } from './model/md5.ts';
export type { AttributeValue, MessageState, QueueState } from './model/state.ts';
