import { invalidAttributeName, invalidAttributeValue } from '../errors.ts';
import type { QueueState } from './state.ts';

/**
 * Queue attributes: what may be set, the ranges AWS accepts and the
 * defaults it reports (SQS API Reference, API_CreateQueue and
 * API_GetQueueAttributes: DelaySeconds 0–900 default 0; MaximumMessageSize
 * 1,024–1,048,576 default 1,048,576; MessageRetentionPeriod 60–1,209,600
 * default 345,600; ReceiveMessageWaitTimeSeconds 0–20 default 0;
 * VisibilityTimeout 0–43,200 default 30; KmsDataKeyReusePeriodSeconds
 * 60–86,400 default 300).
 */
const RANGES: Record<string, readonly [number, number, number]> = {
  DelaySeconds: [0, 900, 0],
  MaximumMessageSize: [1024, 1_048_576, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600, 345_600],
  ReceiveMessageWaitTimeSeconds: [0, 20, 0],
  VisibilityTimeout: [0, 43_200, 30],
  KmsDataKeyReusePeriodSeconds: [60, 86_400, 300],
};

const FREE_FORM = ['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId'];
const BOOLEANS = ['SqsManagedSseEnabled', 'FifoQueue', 'ContentBasedDeduplication'];
const FIFO_ONLY = ['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];
const FIFO_CHOICES: Record<string, readonly string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

/** Names GetQueueAttributes knows (anything else is InvalidAttributeName). */
export const READABLE = [
  'All',
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'SqsManagedSseEnabled',
  'FifoQueue',
  ...Object.keys(RANGES),
  ...FREE_FORM,
  ...FIFO_ONLY,
];

function checkJson(name: string, value: string): void {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw invalidAttributeValue(name);
  }
}

/** Validates one attribute for CreateQueue (`creating`) or SetQueueAttributes, returning its stored form. */
export function checkAttribute(name: string, value: string, fifo: boolean, creating: boolean): string {
  const range = RANGES[name];
  if (range) {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < range[0] || n > range[1]) throw invalidAttributeValue(name);
    return String(n);
  }
  if (BOOLEANS.includes(name)) {
    if (!/^(true|false)$/i.test(value)) throw invalidAttributeValue(name);
    // "You can provide this attribute only during queue creation" (FifoQueue, API_CreateQueue).
    if (name === 'FifoQueue' && !creating) throw invalidAttributeName(name);
    if (name === 'ContentBasedDeduplication' && !fifo) throw invalidAttributeName(name);
    return value.toLowerCase();
  }
  if (FIFO_CHOICES[name]) {
    if (!fifo) throw invalidAttributeName(name);
    if (!FIFO_CHOICES[name].includes(value)) throw invalidAttributeValue(name);
    return value;
  }
  if (name === 'Policy' || name === 'RedriveAllowPolicy') {
    if (value !== '') checkJson(name, value);
    return value;
  }
  if (name === 'KmsMasterKeyId' || name === 'RedrivePolicy') return value;
  throw invalidAttributeName(name);
}

/** The value GetQueueAttributes reports for a settable attribute (set or default). */
export function settable(queue: QueueState, name: string): string | undefined {
  const set = queue.attributes[name];
  if (set !== undefined && set !== '') return set;
  const range = RANGES[name];
  if (range) {
    // KmsDataKeyReusePeriodSeconds is reported only for SSE-KMS queues.
    if (name === 'KmsDataKeyReusePeriodSeconds' && !queue.attributes.KmsMasterKeyId) return undefined;
    return String(range[2]);
  }
  if (name === 'SqsManagedSseEnabled') return String(sseSqsEnabled(queue));
  if (name === 'FifoQueue') return queue.fifo ? 'true' : undefined;
  if (name === 'ContentBasedDeduplication') return queue.fifo ? 'false' : undefined;
  if (name === 'DeduplicationScope') return queue.fifo ? 'queue' : undefined;
  if (name === 'FifoThroughputLimit') return queue.fifo ? 'perQueue' : undefined;
  return undefined;
}

/**
 * SSE-SQS is on unless the queue uses a KMS key or it was turned off: "By
 * default, SSE-SQS is enabled for newly created queues" (SQS Developer Guide,
 * "Encryption at rest in Amazon SQS"); "Only one server-side encryption
 * option is supported per queue" (API_CreateQueue).
 */
export function sseSqsEnabled(queue: QueueState): boolean {
  if (queue.attributes.KmsMasterKeyId) return false;
  return queue.attributes.SqsManagedSseEnabled !== 'false';
}

/** A setting in seconds, as a number (defaults applied). */
export function seconds(queue: QueueState, name: keyof typeof RANGES): number {
  return Number(settable(queue, name));
}

/** The queue's KMS key id, alias or ARN when it uses SSE-KMS. */
export function kmsKeyOf(queue: QueueState): string | undefined {
  return queue.attributes.KmsMasterKeyId || undefined;
}

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The queue's redrive policy, if it has one. */
export function redriveOf(queue: QueueState): RedrivePolicy | undefined {
  const text = queue.attributes.RedrivePolicy;
  if (!text) return undefined;
  return JSON.parse(text) as RedrivePolicy;
}

/**
 * Parses a RedrivePolicy as SQS stores it: maxReceiveCount becomes a
 * number (`{"deadLetterTargetArn":"…","maxReceiveCount":1000}`, as the AWS
 * CLI's get-queue-attributes example shows it) and must be 1–1,000.
 */
export function normalizeRedrive(value: string): RedrivePolicy {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw invalidAttributeValue('RedrivePolicy');
  }
  const target = parsed.deadLetterTargetArn;
  const count = Number(parsed.maxReceiveCount);
  if (typeof target !== 'string' || !/^arn:aws[\w-]*:sqs:/.test(target))
    throw invalidAttributeValue('RedrivePolicy', 'Invalid value for deadLetterTargetArn.');
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw invalidAttributeValue('RedrivePolicy', 'Invalid value for maxReceiveCount.');
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}
