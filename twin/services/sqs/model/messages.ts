import { createHash } from 'node:crypto';
import type { IdGenerator } from '../../../state/ids.ts';
import {
  invalidMessageContents,
  invalidParameterValue,
  messageNotInflight,
  missingParameter,
  purgeQueueInProgress,
  receiptHandleIsInvalid,
} from '../errors.ts';
import { seconds } from './attributes.ts';
import { md5Hex, md5OfAttributes } from './md5.ts';
import type { AttributeValue, MessageState, QueueState } from './state.ts';

/**
 * Messages in a queue: send, receive with a visibility timeout, delete,
 * change visibility, purge, retention (SQS API Reference: API_SendMessage,
 * API_ReceiveMessage, API_DeleteMessage, API_ChangeMessageVisibility,
 * API_PurgeQueue). Visibility is derived from timestamps when read.
 */

// "#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF" (API_SendMessage, MessageBody).
const INVALID_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;

export function dropExpired(queue: QueueState, now: number): void {
  const retention = seconds(queue, 'MessageRetentionPeriod') * 1000;
  queue.messages = queue.messages.filter((m) => now - m.sentAt < retention);
}

export function countMessages(
  queue: QueueState,
  now: number,
): { visible: number; inFlight: number; delayed: number } {
  let visible = 0;
  let inFlight = 0;
  let delayed = 0;
  for (const m of queue.messages) {
    if (now < m.availableAt) delayed += 1;
    else if (now < m.visibleAt) inFlight += 1;
    else visible += 1;
  }
  return { visible, inFlight, delayed };
}

function attributeBytes(attributes: Record<string, AttributeValue>): number {
  let total = 0;
  for (const [name, v] of Object.entries(attributes))
    total +=
      Buffer.byteLength(name) +
      Buffer.byteLength(v.DataType) +
      (v.BinaryValue?.length ?? Buffer.byteLength(v.StringValue ?? ''));
  return total;
}

function checkAttributes(attributes: Record<string, AttributeValue>): void {
  const names = Object.keys(attributes);
  if (names.length > 10)
    throw invalidParameterValue(
      `Number of message attributes [${names.length}] exceeds the allowed maximum [10].`,
    );
  for (const name of names) {
    const v = attributes[name]!;
    if (!ATTRIBUTE_NAME.test(name) || /^(aws\.|amazon\.)/i.test(name))
      throw invalidParameterValue(`Message (user) attribute '${name}' has an invalid name.`);
    if (!v.DataType)
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    const binary = v.DataType.startsWith('Binary');
    if (binary ? v.BinaryValue === undefined : !v.StringValue)
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${v.DataType}'.`,
      );
  }
}

export interface SendInput {
  body: string;
  attributes: Record<string, AttributeValue>;
  delaySeconds?: number | undefined;
  awsTraceHeader?: string | undefined;
  groupId?: string | undefined;
  deduplicationId?: string | undefined;
  senderId: string;
}

function checkSend(queue: QueueState, input: SendInput): void {
  if (input.body.length === 0) throw missingParameter('MessageBody');
  if (INVALID_CHARS.test(input.body)) throw invalidMessageContents();
  checkAttributes(input.attributes);
  const size = Buffer.byteLength(input.body) + attributeBytes(input.attributes);
  const max = seconds(queue, 'MaximumMessageSize');
  if (size > max)
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`,
    );
  if (input.delaySeconds !== undefined && (input.delaySeconds < 0 || input.delaySeconds > 900))
    throw invalidParameterValue(
      `Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.`,
    );
  if (queue.fifo && !input.groupId) throw missingParameter('MessageGroupId');
  if (queue.fifo && input.delaySeconds)
    throw invalidParameterValue(
      `Value ${input.delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`,
    );
}

/** The FIFO deduplication id of a send, or a thrown error when the queue cannot derive one. */
function deduplicationId(queue: QueueState, input: SendInput): string | undefined {
  if (!queue.fifo) return undefined;
  if (input.deduplicationId) return input.deduplicationId;
  if (queue.attributes.ContentBasedDeduplication !== 'true')
    throw invalidParameterValue(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  return createHash('sha256').update(input.body).digest('hex');
}

/** SendMessage: stores the message (or, for a FIFO duplicate within 5 minutes, returns the first one). */
export function sendMessage(
  queue: QueueState,
  input: SendInput,
  now: number,
  ids: IdGenerator,
): MessageState {
  checkSend(queue, input);
  const dedup = deduplicationId(queue, input);
  if (dedup !== undefined) {
    const seen = queue.deduplication.get(dedup);
    const original = queue.messages.find((m) => m.deduplicationId === dedup);
    // "messages with identical content sent within the deduplication interval are treated as duplicates" (5 minutes).
    if (seen !== undefined && now - seen < 300_000 && original) return original;
    queue.deduplication.set(dedup, now);
  }
  const delay = input.delaySeconds ?? seconds(queue, 'DelaySeconds');
  const message: MessageState = {
    messageId: ids.uuid(),
    body: input.body,
    md5OfBody: md5Hex(input.body),
    attributes: input.attributes,
    md5OfMessageAttributes: md5OfAttributes(input.attributes),
    senderId: input.senderId,
    sentAt: now,
    availableAt: now + delay * 1000,
    visibleAt: now + delay * 1000,
    receiveCount: 0,
    firstReceiveAt: undefined,
    receiptHandle: undefined,
    ...(input.awsTraceHeader && { awsTraceHeader: input.awsTraceHeader }),
    ...(queue.fifo && {
      groupId: input.groupId,
      deduplicationId: dedup,
      // Sequence numbers are large, non-consecutive-looking 128-bit values; increasing is what matters.
      sequenceNumber: (18_000_000_000_000_000_000n + BigInt(++queue.sequence)).toString(),
    }),
  };
  queue.messages.push(message);
  return message;
}

/** A FIFO group with a message in flight holds back its later messages. */
function blockedGroups(queue: QueueState, now: number): Set<string> {
  const blocked = new Set<string>();
  if (!queue.fifo) return blocked;
  for (const m of queue.messages)
    if (m.groupId && m.receiveCount > 0 && now < m.visibleAt) blocked.add(m.groupId);
  return blocked;
}

/** The messages a receive may take now, oldest first, without taking them. */
export function receivable(queue: QueueState, now: number): MessageState[] {
  dropExpired(queue, now);
  const blocked = blockedGroups(queue, now);
  const out: MessageState[] = [];
  for (const m of queue.messages) {
    if (now < m.availableAt || now < m.visibleAt) continue;
    if (m.groupId && blocked.has(m.groupId)) continue;
    out.push(m);
  }
  return out;
}

/** Marks a message received: new receipt handle, invisible for `visibility` seconds. */
export function take(
  queue: QueueState,
  m: MessageState,
  visibility: number,
  now: number,
  ids: IdGenerator,
): void {
  m.receiveCount += 1;
  m.firstReceiveAt ??= now;
  m.visibleAt = now + visibility * 1000;
  m.receiptHandle = `AQEB${Buffer.from(`${queue.arn}|${m.messageId}|${ids.hex(40)}`).toString('base64')}`;
  queue.handles.set(m.receiptHandle, m.messageId);
}

/** The earliest time a message not receivable now becomes receivable, if any. */
export function nextVisibleAt(queue: QueueState, now: number): number | undefined {
  let next: number | undefined;
  for (const m of queue.messages) {
    const at = Math.max(m.availableAt, m.visibleAt);
    if (at > now && (next === undefined || at < next)) next = at;
  }
  return next;
}

function byHandle(queue: QueueState, handle: string): MessageState | undefined {
  const id = queue.handles.get(handle);
  if (id === undefined) throw receiptHandleIsInvalid(handle);
  return queue.messages.find((m) => m.messageId === id);
}

/**
 * DeleteMessage. "You must provide the most recently received receipt
 * handle … otherwise, the request succeeds, but the message will not be
 * deleted" (API_DeleteMessage); a message already gone is a success too.
 */
export function deleteMessage(queue: QueueState, handle: string): void {
  const m = byHandle(queue, handle);
  if (!m || m.receiptHandle !== handle) return;
  queue.messages = queue.messages.filter((x) => x !== m);
}

/** ChangeMessageVisibility: only for a message in flight under this handle; 0 makes it visible at once. */
export function changeVisibility(
  queue: QueueState,
  handle: string,
  timeout: number,
  now: number,
): MessageState {
  if (timeout < 0 || timeout > 43_200)
    throw invalidParameterValue(
      `Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.`,
    );
  const m = byHandle(queue, handle);
  if (!m || m.receiptHandle !== handle || now >= m.visibleAt) throw messageNotInflight();
  m.visibleAt = now + timeout * 1000;
  return m;
}

/** PurgeQueue: "Only one PurgeQueue operation on a queue is allowed every 60 seconds." */
export function purge(queue: QueueState, now: number): void {
  if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < 60_000)
    throw purgeQueueInProgress(queue.arn);
  queue.lastPurgeAt = now;
  queue.messages = [];
}
