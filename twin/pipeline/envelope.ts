import { createHash } from 'node:crypto';
import type { Notification, SnsAttribute, SubscriptionState } from '../services/sns/model/state.ts';

/**
 * The JSON SNS delivers to SQS (and, with other casing, to Lambda) when raw
 * delivery is off (SNS Developer Guide, "Amazon SNS message and JSON
 * formats"): Type, MessageId, TopicArn, Subject (when set), Message,
 * Timestamp, SignatureVersion, Signature, SigningCertURL, UnsubscribeURL,
 * MessageAttributes (when any) — printed as SNS prints it, `"Key" : value`
 * with two-space indents. The signature is the twin's own (SHA over the
 * canonical fields): it cannot be checked against an AWS certificate, and
 * the certificate and unsubscribe URLs point at the twin, never at AWS.
 */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

function attributeJson(a: SnsAttribute): string {
  const value =
    a.BinaryValue !== undefined ? Buffer.from(a.BinaryValue).toString('base64') : (a.StringValue ?? '');
  return JSON.stringify({ Type: a.DataType, Value: value });
}

function signature(fields: [string, string][]): string {
  const canonical = fields.map(([k, v]) => `${k}\n${v}\n`).join('');
  return createHash('sha256').update(canonical).digest('base64');
}

function render(fields: [string, string][], attributes: Record<string, SnsAttribute>): string {
  const lines = fields.map(([k, v]) => `  ${JSON.stringify(k)} : ${JSON.stringify(v)}`);
  const names = Object.keys(attributes);
  if (names.length > 0) {
    const inner = names.map((n) => `    ${JSON.stringify(n)} : ${attributeJson(attributes[n]!)}`).join(',\n');
    lines.push(`  "MessageAttributes" : {\n${inner}\n  }`);
  }
  return `{\n${lines.join(',\n')}\n}`;
}

export interface EnvelopeContext {
  origin: string;
  signatureVersion: string;
}

/** The SNS notification JSON for one subscription. */
export function notificationJson(
  n: Notification,
  message: string,
  s: SubscriptionState,
  ctx: EnvelopeContext,
): string {
  const signed: [string, string][] = [
    ['Type', 'Notification'],
    ['MessageId', n.messageId],
    ...(n.sequenceNumber ? ([['SequenceNumber', n.sequenceNumber]] as [string, string][]) : []),
    ['TopicArn', n.topicArn],
    ...(n.subject !== undefined ? ([['Subject', n.subject]] as [string, string][]) : []),
    ['Message', message],
    ['Timestamp', isoTime(n.timestamp)],
  ];
  return render(
    [
      ...signed,
      ['SignatureVersion', ctx.signatureVersion],
      ['Signature', signature(signed)],
      ['SigningCertURL', `${ctx.origin}/SimpleNotificationService-twin.pem`],
      ['UnsubscribeURL', `${ctx.origin}/?Action=Unsubscribe&SubscriptionArn=${s.arn}`],
    ],
    n.attributes,
  );
}

/** The confirmation SNS sends an endpoint whose subscription waits for its owner. */
export function confirmationJson(
  s: SubscriptionState,
  messageId: string,
  timestamp: number,
  ctx: EnvelopeContext,
): string {
  const signed: [string, string][] = [
    ['Type', 'SubscriptionConfirmation'],
    ['MessageId', messageId],
    ['Token', s.token ?? ''],
    ['TopicArn', s.topicArn],
    [
      'Message',
      `You have chosen to subscribe to the topic ${s.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    ],
    [
      'SubscribeURL',
      `${ctx.origin}/?Action=ConfirmSubscription&TopicArn=${s.topicArn}&Token=${s.token ?? ''}`,
    ],
    ['Timestamp', isoTime(timestamp)],
  ];
  return render(
    [
      ...signed,
      ['SignatureVersion', ctx.signatureVersion],
      ['Signature', signature(signed)],
      ['SigningCertURL', `${ctx.origin}/SimpleNotificationService-twin.pem`],
    ],
    {},
  );
}

/** The Lambda event for an SNS message (Lambda Developer Guide, with-sns.html, example event). */
export function lambdaEvent(
  n: Notification,
  message: string,
  s: SubscriptionState,
  ctx: EnvelopeContext,
): object {
  const envelope = JSON.parse(notificationJson(n, message, s, ctx)) as Record<string, unknown>;
  const { SigningCertURL, UnsubscribeURL, ...rest } = envelope;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: s.arn,
        Sns: { ...rest, SigningCertUrl: SigningCertURL, UnsubscribeUrl: UnsubscribeURL },
      },
    ],
  };
}
