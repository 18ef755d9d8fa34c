import type { IdGenerator } from '../../../state/ids.ts';
import { invalidParameter, notFound } from '../errors.ts';
import { checkFilterPolicy } from './filter.ts';
import type { SubscriptionState, TopicState } from './state.ts';

/**
 * Subscriptions (API_Subscribe, API_ConfirmSubscription, API_Unsubscribe,
 * API_SetSubscriptionAttributes). An SQS subscription made by the queue's
 * own account is confirmed at once; one made for a queue in another
 * account waits for the queue owner to confirm ("If the Amazon SQS queue
 * owner subscribes, the subscription doesn't require confirmation", SNS
 * Developer Guide, "Sending Amazon SNS messages to an Amazon SQS queue in
 * a different account").
 */
const SQS_ARN = /^arn:aws[\w-]*:sqs:[\w-]+:(\d{12}):[\w.-]+$/;
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[\w-]+:(\d{12}):function:[\w-]+(:[\w$-]+)?$/;
/** Protocols the twin accepts but never delivers to (they stay pending confirmation). */
const UNDELIVERED = ['http', 'https', 'email', 'email-json', 'sms', 'application', 'firehose'];
const RAW_CAPABLE = ['sqs', 'http', 'https', 'firehose'];
const SETTABLE = [
  'RawMessageDelivery',
  'FilterPolicy',
  'FilterPolicyScope',
  'RedrivePolicy',
  'DeliveryPolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
];

export interface SubscribeInput {
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
  callerAccount: string;
  callerArn: string;
}

/** The account an endpoint belongs to, or throws InvalidParameter for a malformed endpoint. */
function endpointAccount(protocol: string, endpoint: string): string | undefined {
  if (protocol === 'sqs') {
    const m = SQS_ARN.exec(endpoint);
    if (!m) throw invalidParameter('SQS endpoint ARN');
    return m[1];
  }
  if (protocol === 'lambda') {
    const m = LAMBDA_ARN.exec(endpoint);
    if (!m) throw invalidParameter('Lambda endpoint ARN');
    return m[1];
  }
  if (!UNDELIVERED.includes(protocol))
    throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  return undefined;
}

export function checkSubscriptionAttribute(protocol: string, name: string, value: string): void {
  if (!SETTABLE.includes(name)) throw invalidParameter('AttributeName');
  if (name === 'RawMessageDelivery') {
    if (!/^(true|false)$/i.test(value))
      throw invalidParameter('Attributes Reason: RawMessageDelivery: Invalid value');
    if (!RAW_CAPABLE.includes(protocol))
      throw invalidParameter(
        `Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`,
      );
  }
  if (name === 'FilterPolicy' && value !== '') checkFilterPolicy(value);
  if (name === 'FilterPolicyScope' && !['MessageAttributes', 'MessageBody'].includes(value))
    throw invalidParameter('Attributes Reason: FilterPolicyScope: Invalid value');
}

/** Subscribe: a new subscription, or the same one again for the same protocol and endpoint. */
export function subscribe(topic: TopicState, input: SubscribeInput, ids: IdGenerator): SubscriptionState {
  const owner = endpointAccount(input.protocol, input.endpoint);
  for (const [k, v] of Object.entries(input.attributes)) checkSubscriptionAttribute(input.protocol, k, v);
  const existing = [...topic.subscriptions.values()].find(
    (s) => s.protocol === input.protocol && s.endpoint === input.endpoint,
  );
  if (existing) {
    for (const [k, v] of Object.entries(input.attributes))
      if ((existing.attributes[k] ?? '') !== v)
        throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    return existing;
  }
  const confirmed =
    input.protocol === 'lambda' || (input.protocol === 'sqs' && owner === input.callerAccount);
  const subscription: SubscriptionState = {
    arn: `${topic.arn}:${ids.uuid()}`,
    topicArn: topic.arn,
    protocol: input.protocol,
    endpoint: input.endpoint,
    owner: input.callerAccount,
    principalArn: input.callerArn,
    pendingConfirmation: !confirmed,
    ...(!confirmed && { token: ids.hex(64) }),
    attributes: { ...input.attributes },
  };
  topic.subscriptions.set(subscription.arn, subscription);
  return subscription;
}

/** ConfirmSubscription: the token SNS sent the endpoint confirms its subscription. */
export function confirm(topic: TopicState, token: string): SubscriptionState {
  const subscription = [...topic.subscriptions.values()].find((s) => s.token === token);
  if (!subscription) throw invalidParameter('Token');
  subscription.pendingConfirmation = false;
  delete subscription.token;
  return subscription;
}

export function unsubscribe(topic: TopicState, subscription: SubscriptionState): void {
  topic.subscriptions.delete(subscription.arn);
  topic.deletedSubscriptions += 1;
}

export function setSubscriptionAttribute(subscription: SubscriptionState, name: string, value: string): void {
  checkSubscriptionAttribute(subscription.protocol, name, value);
  if (value === '') delete subscription.attributes[name];
  else subscription.attributes[name] = name === 'RawMessageDelivery' ? value.toLowerCase() : value;
}

/** GetSubscriptionAttributes, as the AWS CLI example of get-subscription-attributes shows them. */
export function subscriptionAttributes(s: SubscriptionState): Record<string, string> {
  return {
    SubscriptionArn: s.arn,
    TopicArn: s.topicArn,
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    ConfirmationWasAuthenticated: String(!s.pendingConfirmation),
    PendingConfirmation: String(s.pendingConfirmation),
    RawMessageDelivery: 'false',
    SubscriptionPrincipal: s.principalArn,
    ...s.attributes,
    ...(s.attributes.FilterPolicy && {
      FilterPolicyScope: s.attributes.FilterPolicyScope ?? 'MessageAttributes',
    }),
  };
}

export function findSubscription(topic: TopicState | undefined, arn: string): SubscriptionState {
  const s = topic?.subscriptions.get(arn);
  if (!s) throw notFound('Subscription');
  return s;
}
