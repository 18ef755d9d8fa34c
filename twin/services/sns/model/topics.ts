import { invalidParameter, notFound } from '../errors.ts';
import type { SnsModel } from './index.ts';
import type { TopicState } from './state.ts';

/**
 * Topics: CreateTopic (idempotent by name), DeleteTopic, attributes and
 * tags (SNS API Reference: API_CreateTopic, API_GetTopicAttributes,
 * API_SetTopicAttributes).
 */
const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/** Attributes SetTopicAttributes and CreateTopic accept. */
const SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'KmsMasterKeyId',
  'SignatureVersion',
  'TracingConfig',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'DataProtectionPolicy',
  ...['HTTP', 'Firehose', 'Lambda', 'SQS', 'Application'].flatMap((p) => [
    `${p}SuccessFeedbackRoleArn`,
    `${p}SuccessFeedbackSampleRate`,
    `${p}FailureFeedbackRoleArn`,
  ]),
]);

/**
 * The policy SNS gives a new topic, as GetTopicAttributes prints it (AWS
 * CLI 2.9 example for get-topic-attributes): any principal, on the
 * condition `AWS:SourceOwner` is the owner — a condition that only
 * services acting for the owner's resources meet, so IAM principals still
 * need identity policies.
 */
export function defaultPolicy(topic: { arn: string; accountId: string }): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': topic.accountId } },
      },
    ],
  });
}

/** The topic's policy as set, or the default one. */
export function policyOf(topic: TopicState): string {
  return topic.attributes.Policy || defaultPolicy(topic);
}

function checkAttribute(name: string, value: string, fifo: boolean): void {
  if (name === 'FifoTopic') return;
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  if (name === 'ContentBasedDeduplication' && !fifo)
    throw invalidParameter('Attributes Reason: ContentBasedDeduplication can only be set for FIFO topics');
  if (name === 'Policy' || name === 'DeliveryPolicy') {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter(`${name}: failed to parse JSON`);
    }
  }
  if (name === 'SignatureVersion' && !['1', '2'].includes(value)) throw invalidParameter('SignatureVersion');
}

export interface CreateTopicInput {
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** CreateTopic: the existing topic when the name is taken with the same attributes. */
export function createTopic(model: SnsModel, input: CreateTopicInput): TopicState {
  const fifo = input.attributes.FifoTopic === 'true';
  if (!(fifo ? FIFO_NAME : NAME).test(input.name))
    throw invalidParameter(
      fifo
        ? 'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.'
        : 'Topic Name',
    );
  for (const [k, v] of Object.entries(input.attributes)) checkAttribute(k, v, fifo);
  const existing = model.topics.get(input.name);
  if (existing) {
    for (const [k, v] of Object.entries(input.attributes))
      if (k !== 'FifoTopic' && (existing.attributes[k] ?? '') !== v)
        throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    return existing;
  }
  const { FifoTopic: _fifo, ...attributes } = input.attributes;
  const topic: TopicState = {
    name: input.name,
    arn: model.arnOf(input.name),
    accountId: model.accountId,
    region: model.region,
    fifo,
    attributes,
    tags: new Map(Object.entries(input.tags)),
    subscriptions: new Map(),
    deletedSubscriptions: 0,
    sequence: 0,
  };
  model.topics.set(topic.name, topic);
  return topic;
}

export function deleteTopic(model: SnsModel, topic: TopicState): void {
  model.topics.delete(topic.name);
}

export function setTopicAttribute(topic: TopicState, name: string, value: string): void {
  if (name === 'FifoTopic') throw invalidParameter('AttributeName');
  checkAttribute(name, value, topic.fifo);
  if (value === '') delete topic.attributes[name];
  else topic.attributes[name] = value;
}

/** The default HTTP delivery policy SNS reports as EffectiveDeliveryPolicy. */
const EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

/** GetTopicAttributes: the attributes set, plus what SNS derives. */
export function topicAttributes(topic: TopicState): Record<string, string> {
  const subs = [...topic.subscriptions.values()];
  return {
    ...topic.attributes,
    TopicArn: topic.arn,
    Owner: topic.accountId,
    Policy: policyOf(topic),
    DisplayName: topic.attributes.DisplayName ?? '',
    SubscriptionsConfirmed: String(subs.filter((s) => !s.pendingConfirmation).length),
    SubscriptionsPending: String(subs.filter((s) => s.pendingConfirmation).length),
    SubscriptionsDeleted: String(topic.deletedSubscriptions),
    EffectiveDeliveryPolicy: topic.attributes.DeliveryPolicy ?? EFFECTIVE_DELIVERY_POLICY,
    ...(topic.fifo && {
      FifoTopic: 'true',
      ContentBasedDeduplication: topic.attributes.ContentBasedDeduplication ?? 'false',
    }),
  };
}

export function findTopic(model: SnsModel | undefined, name: string): TopicState {
  const topic = model?.topics.get(name);
  if (!topic) throw notFound('Topic');
  return topic;
}
