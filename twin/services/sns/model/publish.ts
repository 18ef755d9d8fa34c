import type { IdGenerator } from '../../../state/ids.ts';
import { invalidParameter, invalidParameterValue } from '../errors.ts';
import type { Notification, SnsAttribute, TopicState } from './state.ts';

/**
 * Publish's checks and the message it makes (API_Publish): a non-empty
 * message of at most 256 KiB with its attributes; a Subject of printable
 * ASCII under 100 characters; MessageStructure json with a "default"
 * entry; attributes typed String, Number or Binary (custom suffixes
 * allowed); MessageGroupId exactly for FIFO topics.
 */
export interface PublishInput {
  message: string | undefined;
  subject?: string | undefined;
  structure?: string | undefined;
  attributes: Record<string, SnsAttribute>;
  groupId?: string | undefined;
}

function checkAttributes(attributes: Record<string, SnsAttribute>): number {
  let bytes = 0;
  for (const [name, a] of Object.entries(attributes)) {
    if (!/^(String|Number|Binary)(\..+)?$/.test(a.DataType ?? ''))
      throw invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    const binary = a.DataType.startsWith('Binary');
    if (binary ? !a.BinaryValue?.length : !a.StringValue)
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.DataType}'.`,
      );
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(a.DataType) +
      (a.BinaryValue?.length ?? Buffer.byteLength(a.StringValue ?? ''));
  }
  return bytes;
}

function checkStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    typeof (parsed as Record<string, unknown>).default !== 'string'
  )
    throw invalidParameter('Message Structure - No default entry in JSON message body');
}

function checkPublish(topic: TopicState, input: PublishInput): void {
  if (!input.message) throw invalidParameter('Empty message');
  if (Buffer.byteLength(input.message) + checkAttributes(input.attributes) > 262_144)
    throw invalidParameter('Message too long');
  if (
    input.subject !== undefined &&
    (input.subject.length === 0 || input.subject.length >= 100 || !/^[\x20-\x7e]+$/.test(input.subject))
  )
    throw invalidParameter('Subject');
  if (input.structure !== undefined && input.structure !== 'json') throw invalidParameter('MessageStructure');
  if (input.structure === 'json') checkStructure(input.message);
  if (topic.fifo && !input.groupId)
    throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  if (!topic.fifo && input.groupId)
    throw invalidParameter(
      'MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type',
    );
}

/** Validates a publish and makes the notification the pipeline delivers. */
export function makeNotification(
  topic: TopicState,
  input: PublishInput,
  now: number,
  ids: IdGenerator,
): Notification {
  checkPublish(topic, input);
  return {
    messageId: ids.uuid(),
    topicArn: topic.arn,
    ...(input.subject !== undefined && { subject: input.subject }),
    message: input.message!,
    ...(input.structure === 'json' && { structure: 'json' as const }),
    timestamp: now,
    attributes: input.attributes,
    ...(topic.fifo && {
      groupId: input.groupId,
      sequenceNumber: (10_000_000_000_000_000_000n + BigInt(++topic.sequence)).toString(),
    }),
  };
}

/** The message a protocol receives: its own entry of a JSON structure, else the default. */
export function messageFor(n: Notification, protocol: string): string {
  if (n.structure !== 'json') return n.message;
  const parsed = JSON.parse(n.message) as Record<string, string>;
  return parsed[protocol] ?? parsed.default ?? '';
}
