import { AwsError } from '../../../core/errors.ts';
import {
  invalidAttributeName,
  invalidParameterValue,
  queueDoesNotExist,
  queueNameExists,
} from '../errors.ts';
import { checkAttribute, normalizeRedrive, READABLE, settable } from './attributes.ts';
import type { SqsModel } from './index.ts';
import { countMessages, dropExpired } from './messages.ts';
import type { QueueState } from './state.ts';

/**
 * Queues: create (idempotent for equal attributes), delete, attributes and
 * tags (SQS API Reference: API_CreateQueue, API_DeleteQueue,
 * API_GetQueueAttributes, API_SetQueueAttributes, API_TagQueue).
 */
const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

function checkName(name: string, fifo: boolean): void {
  if (fifo && !FIFO_NAME.test(name))
    throw invalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  if (!fifo && !NAME.test(name))
    throw invalidParameterValue(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
}

/** Validates a set of attributes for a queue, returning them in stored form. */
function checkAttributes(
  model: SqsModel,
  queueName: string,
  attributes: Record<string, string>,
  fifo: boolean,
  creating: boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = checkAttribute(name, value, fifo, creating);
    if (name === 'RedrivePolicy' && value !== '') out[name] = checkRedrive(model, queueName, value, fifo);
  }
  return out;
}

/**
 * "The dead-letter queue of a FIFO queue must also be a FIFO queue" and it
 * must live in the same account and Region (SQS Developer Guide, dead-letter
 * queues); a missing target is refused.
 */
function checkRedrive(model: SqsModel, queueName: string, value: string, fifo: boolean): string {
  const policy = normalizeRedrive(value);
  const targetName = policy.deadLetterTargetArn.split(':').at(-1) ?? '';
  const target = model.queues.get(targetName);
  if (!target || target.arn !== policy.deadLetterTargetArn || targetName === queueName)
    throw invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`,
    );
  if (target.fifo !== fifo)
    throw invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead-letter target owner should be same as the source and be the same queue type.`,
    );
  return JSON.stringify(policy);
}

/** "returns this error only if the request includes attributes whose values differ from those of the existing queue" */
function sameQueue(existing: QueueState, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'FifoQueue') continue;
    if ((settable(existing, name) ?? '') !== value) throw queueNameExists(name);
  }
}

export interface CreateQueueInput {
  name: string;
  attributes: Record<string, string>;
  tags: Record<string, string>;
}

/** CreateQueue: a new queue, or the existing one when no attribute differs. */
export function createQueue(model: SqsModel, input: CreateQueueInput, now: number): QueueState {
  const fifo = (input.attributes.FifoQueue ?? '').toLowerCase() === 'true';
  checkName(input.name, fifo || input.name.endsWith('.fifo'));
  if (input.name.endsWith('.fifo') && !fifo)
    throw invalidParameterValue(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  const attributes = checkAttributes(model, input.name, input.attributes, fifo, true);
  const existing = model.queues.get(input.name);
  if (existing) {
    sameQueue(existing, attributes);
    return existing;
  }
  const deleted = model.deletedAt.get(input.name);
  if (deleted !== undefined && now - deleted < 60_000)
    throw new AwsError(
      'QueueDeletedRecently',
      'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    );
  delete attributes.FifoQueue;
  const queue: QueueState = {
    name: input.name,
    accountId: model.accountId,
    region: model.region,
    arn: model.arnOf(input.name),
    fifo,
    attributes,
    tags: new Map(Object.entries(input.tags)),
    createdAt: now,
    lastModifiedAt: now,
    messages: [],
    handles: new Map(),
    deduplication: new Map(),
    sequence: 0,
    lastPurgeAt: undefined,
  };
  model.queues.set(queue.name, queue);
  return queue;
}

export function findQueue(model: SqsModel, name: string): QueueState {
  const queue = model.queues.get(name);
  if (!queue) throw queueDoesNotExist();
  return queue;
}

export function deleteQueue(model: SqsModel, queue: QueueState, now: number): void {
  model.queues.delete(queue.name);
  model.deletedAt.set(queue.name, now);
}

/** SetQueueAttributes: validates everything first, so a bad attribute changes nothing. */
export function setAttributes(
  model: SqsModel,
  queue: QueueState,
  attributes: Record<string, string>,
  now: number,
): void {
  const checked = checkAttributes(model, queue.name, attributes, queue.fifo, false);
  for (const [name, value] of Object.entries(checked)) {
    if (value === '') delete queue.attributes[name];
    else queue.attributes[name] = value;
  }
  // Setting a KMS key switches SSE-SQS off, and turning SSE-SQS on removes the key.
  if (checked.KmsMasterKeyId) delete queue.attributes.SqsManagedSseEnabled;
  if (checked.SqsManagedSseEnabled === 'true') delete queue.attributes.KmsMasterKeyId;
  queue.lastModifiedAt = now;
}

/** GetQueueAttributes: `All` or the names asked for; attributes without a value are left out. */
export function getAttributes(
  queue: QueueState,
  names: readonly string[],
  now: number,
): Record<string, string> {
  for (const name of names) if (!READABLE.includes(name)) throw invalidAttributeName(name);
  const wanted = names.includes('All') ? READABLE.filter((n) => n !== 'All') : names;
  dropExpired(queue, now);
  const counts = countMessages(queue, now);
  const derived: Record<string, string> = {
    QueueArn: queue.arn,
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
  };
  const out: Record<string, string> = {};
  for (const name of wanted) {
    const value = derived[name] ?? settable(queue, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** ListQueues: queue names starting with the prefix, in name order. */
export function listQueues(model: SqsModel, prefix: string | undefined): QueueState[] {
  return [...model.queues.values()]
    .filter((q) => !prefix || q.name.startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
}
