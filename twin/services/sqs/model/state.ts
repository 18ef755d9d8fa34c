/**
 * The state of SQS queues and messages. Times are epoch ms on the twin's
 * clock; a message's visibility is derived from them when read (visible
 * once `now >= visibleAt`), so nothing has to run when a timeout expires.
 */

/** A message attribute as SendMessage carries it (binary values as bytes). */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

export interface MessageState {
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, AttributeValue>;
  md5OfMessageAttributes: string | undefined;
  /** The caller's unique id (`AIDA…`, `AROA…:session`, or the account id for root). */
  senderId: string;
  sentAt: number;
  /** Not receivable before this (DelaySeconds). */
  availableAt: number;
  /** Invisible until this after a receive (the visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt: number | undefined;
  /** The receipt handle of the latest receive; older handles no longer act on the message. */
  receiptHandle: string | undefined;
  awsTraceHeader?: string;
  /** FIFO queues. */
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  /** Set when SQS moved the message here from a source queue (dead-letter redrive). */
  deadLetterSourceArn?: string;
}

export interface QueueState {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** Attributes as set (strings, as the API carries them); defaults are applied when read. */
  attributes: Record<string, string>;
  tags: Map<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  /** In send order; receives take the oldest visible first. */
  messages: MessageState[];
  /** Receipt handle → message id, for every handle ever issued (stale ones are accepted as no-ops). */
  handles: Map<string, string>;
  /** FIFO deduplication: id → time it was first seen. */
  deduplication: Map<string, number>;
  sequence: number;
  lastPurgeAt: number | undefined;
}
