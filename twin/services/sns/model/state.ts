/**
 * SNS state: topics (with their subscriptions, held by the topic's owner)
 * and what a published message is on its way to subscribers.
 */
export interface TopicState {
  name: string;
  arn: string;
  accountId: string;
  region: string;
  fifo: boolean;
  /** Attributes as set (DisplayName, Policy, KmsMasterKeyId, DeliveryPolicy, feedback roles, …). */
  attributes: Record<string, string>;
  tags: Map<string, string>;
  /** Subscription ARN → subscription, in subscribe order. */
  subscriptions: Map<string, SubscriptionState>;
  deletedSubscriptions: number;
  sequence: number;
}

export interface SubscriptionState {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  /** The subscribing caller's account (SNS's `Owner`; ListSubscriptions lists by it). */
  owner: string;
  /** Who called Subscribe (SNS's `SubscriptionPrincipal`). */
  principalArn: string;
  pendingConfirmation: boolean;
  /** Set while confirmation is pending: the token ConfirmSubscription must present. */
  token?: string;
  attributes: Record<string, string>;
}

/** A message attribute as Publish carries it. */
export interface SnsAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
}

/** A published message, as the pipeline delivers it. */
export interface Notification {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The message, or for MessageStructure json the JSON object of per-protocol messages. */
  message: string;
  structure?: 'json';
  /** Epoch ms on the twin's clock. */
  timestamp: number;
  attributes: Record<string, SnsAttribute>;
  groupId?: string;
  sequenceNumber?: string;
}
