import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { md5OfAttributes } from '../model/md5.ts';
import type { AttributeValue, MessageState } from '../model/state.ts';

/**
 * A message as ReceiveMessage returns it: only the system attributes and
 * message attributes asked for ("All", a name, or a `prefix.*` pattern —
 * API_ReceiveMessage, MessageAttributeNames), and MD5OfMessageAttributes
 * computed over the attributes returned (the AWS CLI's receive-message
 * examples show a different digest when only one attribute is asked for).
 */
const SYSTEM = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'AWSTraceHeader',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'DeadLetterQueueSourceArn',
] as const;

function systemValue(m: MessageState, name: (typeof SYSTEM)[number]): string | undefined {
  switch (name) {
    case 'SenderId':
      return m.senderId;
    case 'SentTimestamp':
      return String(m.sentAt);
    case 'ApproximateReceiveCount':
      return String(m.receiveCount);
    case 'ApproximateFirstReceiveTimestamp':
      return m.firstReceiveAt === undefined ? undefined : String(m.firstReceiveAt);
    case 'AWSTraceHeader':
      return m.awsTraceHeader;
    case 'SequenceNumber':
      return m.sequenceNumber;
    case 'MessageDeduplicationId':
      return m.deduplicationId;
    case 'MessageGroupId':
      return m.groupId;
    case 'DeadLetterQueueSourceArn':
      return m.deadLetterSourceArn;
  }
}

/** The system attributes asked for (`All` or names). */
export function systemAttributes(m: MessageState, names: readonly string[]): Record<string, string> {
  const all = names.includes('All');
  const out: Record<string, string> = {};
  for (const name of SYSTEM) {
    if (!all && !names.includes(name)) continue;
    const value = systemValue(m, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function wanted(name: string, patterns: readonly string[]): boolean {
  return patterns.some(
    (p) => p === 'All' || p === '.*' || p === name || (p.endsWith('.*') && name.startsWith(p.slice(0, -1))),
  );
}

/** The message attributes asked for. */
export function selectAttributes(
  m: MessageState,
  patterns: readonly string[],
): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(m.attributes)) if (wanted(name, patterns)) out[name] = value;
  return out;
}

export function renderMessage(
  m: MessageState,
  systemNames: readonly string[],
  attributeNames: readonly string[],
): Message {
  const attributes = systemAttributes(m, systemNames);
  const messageAttributes = selectAttributes(m, attributeNames);
  const md5 = md5OfAttributes(messageAttributes);
  return {
    MessageId: m.messageId,
    ReceiptHandle: m.receiptHandle,
    MD5OfBody: m.md5OfBody,
    Body: m.body,
    ...(Object.keys(attributes).length > 0 && { Attributes: attributes }),
    ...(md5 && {
      MD5OfMessageAttributes: md5,
      MessageAttributes: messageAttributes as Record<string, MessageAttributeValue>,
    }),
  };
}
