import type { MessageState } from '../services/sqs/lookups.ts';

/**
 * The event Lambda hands a function for an SQS batch ("Example Amazon SQS
 * message event (standard queue)", Lambda Developer Guide, with-sqs.html):
 * lower-camel record fields, system attributes as strings, message
 * attributes as `{ stringValue, stringListValues, binaryListValues, dataType }`.
 */
export interface SqsEventRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, Record<string, unknown>>;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

function systemAttributes(m: MessageState): Record<string, string> {
  return {
    ApproximateReceiveCount: String(m.receiveCount),
    SentTimestamp: String(m.sentAt),
    SenderId: m.senderId,
    ApproximateFirstReceiveTimestamp: String(m.firstReceiveAt ?? m.sentAt),
    ...(m.awsTraceHeader && { AWSTraceHeader: m.awsTraceHeader }),
    ...(m.sequenceNumber && { SequenceNumber: m.sequenceNumber }),
    ...(m.groupId && { MessageGroupId: m.groupId }),
    ...(m.deduplicationId && { MessageDeduplicationId: m.deduplicationId }),
    ...(m.deadLetterSourceArn && { DeadLetterQueueSourceArn: m.deadLetterSourceArn }),
  };
}

function messageAttributes(m: MessageState): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, v] of Object.entries(m.attributes)) {
    out[name] = {
      ...(v.StringValue !== undefined && { stringValue: v.StringValue }),
      ...(v.BinaryValue !== undefined && { binaryValue: Buffer.from(v.BinaryValue).toString('base64') }),
      stringListValues: [],
      binaryListValues: [],
      dataType: v.DataType,
    };
  }
  return out;
}

export function sqsRecord(m: MessageState, queueArn: string): SqsEventRecord {
  return {
    messageId: m.messageId,
    receiptHandle: m.receiptHandle ?? '',
    body: m.body,
    attributes: systemAttributes(m),
    messageAttributes: messageAttributes(m),
    md5OfBody: m.md5OfBody,
    ...(m.md5OfMessageAttributes && { md5OfMessageAttributes: m.md5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? '',
  };
}
