import { AwsError } from '../core/errors.ts';
import type { Principal } from '../core/principal.ts';
import { findRole } from '../services/iam/lookups.ts';
import { deliverLogEvents } from '../services/logs/lookups.ts';
import { passesFilter } from '../services/sns/model/filter.ts';
import { messageFor } from '../services/sns/model/publish.ts';
import type {
  Notification,
  SnsAttribute,
  SubscriptionState,
  TopicState,
} from '../services/sns/model/state.ts';
import { type AttributeValue, sendAsService } from '../services/sqs/lookups.ts';
import { md5Hex } from '../services/sqs/model/md5.ts';
import { delay } from '../state/profile.ts';
import type { Twin } from '../twin.ts';
import { confirmationJson, lambdaEvent, notificationJson } from './envelope.ts';
import { seamsOf } from './seams.ts';
import { problemOf, subscriptionStats, topicStats } from './stats.ts';

/**
 * SNS → SQS (and Lambda) delivery, one pipeline hop after Publish. SNS
 * sends as its service principal `sns.amazonaws.com` for the topic: the
 * queue policy must allow it sqs:SendMessage (aws:SourceArn = the topic,
 * aws:SourceAccount = its owner) and an SSE-KMS queue's key policy must let
 * it GenerateDataKey and Decrypt. A refused delivery is dropped: the
 * publisher already has its MessageId, and the failure shows only in the
 * topic's NumberOfNotificationsFailed (pipelineStats) and, when delivery
 * status logging is on, in `sns/<region>/<account>/<topic>/Failure`
 * (SNS Developer Guide, "Amazon SNS message delivery status").
 */

/** SQS records SNS deliveries under SNS's own identity, as its messages show (SenderId of SNS → SQS messages). */
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';

export function snsPrincipal(topic: TopicState): Principal {
  return {
    kind: 'service',
    accountId: topic.accountId,
    arn: 'sns.amazonaws.com',
    userId: 'sns.amazonaws.com',
    service: 'sns.amazonaws.com',
  };
}

const hop = (twin: Twin) => delay(twin.profile, 'pipelineHopMs');

/** After Publish: each confirmed subscription gets the message one hop later. */
export function scheduleDeliveries(twin: Twin, topic: TopicState, n: Notification): void {
  topicStats(twin, topic.arn).published += 1;
  for (const s of topic.subscriptions.values()) {
    if (s.pendingConfirmation) continue;
    twin.scheduler.after(hop(twin), () => deliver(twin, topic, s.arn, n));
  }
}

/** After a cross-account Subscribe: the confirmation message goes to the queue, as SNS sends it. */
export function scheduleConfirmation(twin: Twin, topic: TopicState, s: SubscriptionState): void {
  if (s.protocol !== 'sqs') return;
  twin.scheduler.after(hop(twin), () => {
    const body = confirmationJson(s, twin.ids.uuid(), twin.clock.now(), envelopeContext(twin, topic));
    try {
      sendToQueue(twin, topic, s, body, {});
    } catch {
      // Undeliverable confirmations are lost, as on AWS; the subscription stays pending.
    }
  });
}

function envelopeContext(twin: Twin, topic: TopicState) {
  return { origin: twin.origin, signatureVersion: topic.attributes.SignatureVersion ?? '1' };
}

/** SNS message attributes as SQS message attributes (raw delivery). */
function sqsAttributes(attributes: Record<string, SnsAttribute>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of Object.entries(attributes))
    out[name] = { ...a, DataType: a.DataType === 'String.Array' ? 'String' : a.DataType };
  return out;
}

function sendToQueue(
  twin: Twin,
  topic: TopicState,
  s: SubscriptionState,
  body: string,
  attributes: Record<string, AttributeValue>,
) {
  return sendAsService(twin, {
    queueArn: s.endpoint,
    principal: snsPrincipal(topic),
    sourceArn: topic.arn,
    sourceAccount: topic.accountId,
    body,
    attributes,
    senderId: SNS_SENDER_ID,
  });
}

async function deliver(
  twin: Twin,
  topic: TopicState,
  subscriptionArn: string,
  n: Notification,
): Promise<void> {
  const s = topic.subscriptions.get(subscriptionArn);
  if (!s) return;
  const message = messageFor(n, s.protocol);
  if (!passesFilter(s.attributes.FilterPolicy, s.attributes.FilterPolicyScope, n.attributes, message)) return;
  const started = twin.clock.now();
  try {
    const response = await send(twin, topic, s, n, message);
    recordOutcome(twin, topic, s, n, { ok: true, response, started });
  } catch (error) {
    recordOutcome(twin, topic, s, n, { ok: false, error, started });
  }
}

async function send(
  twin: Twin,
  topic: TopicState,
  s: SubscriptionState,
  n: Notification,
  message: string,
): Promise<string> {
  const ctx = envelopeContext(twin, topic);
  if (s.protocol === 'sqs') {
    const raw = s.attributes.RawMessageDelivery === 'true';
    const body = raw ? message : notificationJson(n, message, s, ctx);
    const sent = sendToQueue(twin, topic, s, body, raw ? sqsAttributes(n.attributes) : {});
    return JSON.stringify({ sqsRequestId: twin.ids.uuid(), sqsMessageId: sent.messageId });
  }
  if (s.protocol === 'lambda') {
    const payload = Buffer.from(JSON.stringify(lambdaEvent(n, message, s, ctx)));
    const result = await seamsOf(twin).invokeFunction(twin, {
      functionArn: s.endpoint,
      payload,
      invocationType: 'Event',
    });
    return JSON.stringify({ lambdaRequestId: twin.ids.uuid(), statusCode: result.statusCode });
  }
  throw new Error(`the twin does not deliver to ${s.protocol} endpoints`);
}

type Outcome =
  | { ok: true; response: string; started: number }
  | { ok: false; error: unknown; started: number };

function recordOutcome(
  twin: Twin,
  topic: TopicState,
  s: SubscriptionState,
  n: Notification,
  outcome: Outcome,
): void {
  const stats = subscriptionStats(twin, s.arn, topic.arn, s.endpoint);
  const totals = topicStats(twin, topic.arn);
  if (outcome.ok) {
    stats.delivered += 1;
    totals.delivered += 1;
  } else {
    stats.failed += 1;
    totals.failed += 1;
    stats.lastFailure = problemOf(outcome.error);
  }
  logStatus(twin, topic, s, n, outcome);
}

/** The feedback role's session, as SNS writes delivery status logs with it. */
function feedbackSession(twin: Twin, roleArn: string | undefined): Principal | undefined {
  const role = roleArn ? findRole(twin, roleArn) : undefined;
  if (!role) return undefined;
  return {
    kind: 'assumed-role',
    accountId: role.accountId,
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/SNSSession`,
    userId: `${role.roleId}:SNSSession`,
    roleArn: role.roleArn,
    roleName: role.roleName,
    sessionName: 'SNSSession',
  };
}

function providerResponse(outcome: Outcome): { response: string; statusCode: number } {
  if (outcome.ok) return { response: outcome.response, statusCode: 200 };
  const e = outcome.error;
  const code =
    e instanceof AwsError ? (e.code === 'KmsAccessDenied' ? 'KMS.AccessDeniedException' : e.code) : 'Error';
  const message = e instanceof Error ? e.message : String(e);
  const statusCode = e instanceof AwsError ? (e.status ?? 400) : 500;
  return {
    response: JSON.stringify({ ErrorCode: code, ErrorMessage: message, sqsRequestId: 'Unrecoverable' }),
    statusCode,
  };
}

/**
 * Delivery status logging for SQS subscriptions: successes (when a sample
 * rate is set) to `sns/REGION/ACCOUNT/TOPIC`, failures to `…/Failure`,
 * written as the topic's feedback role.
 */
function logStatus(
  twin: Twin,
  topic: TopicState,
  s: SubscriptionState,
  n: Notification,
  outcome: Outcome,
): void {
  if (s.protocol !== 'sqs') return;
  const roleArn = outcome.ok
    ? topic.attributes.SQSSuccessFeedbackRoleArn
    : topic.attributes.SQSFailureFeedbackRoleArn;
  if (outcome.ok && Number(topic.attributes.SQSSuccessFeedbackSampleRate ?? 0) <= 0) return;
  const principal = feedbackSession(twin, roleArn);
  if (!principal) return;
  const now = twin.clock.now();
  const { response, statusCode } = providerResponse(outcome);
  const record = {
    notification: {
      messageMD5Sum: md5Hex(n.message),
      messageId: n.messageId,
      topicArn: topic.arn,
      timestamp: new Date(n.timestamp).toISOString().replace('T', ' ').replace('Z', ''),
    },
    delivery: {
      deliveryId: twin.ids.uuid(),
      destination: s.endpoint,
      providerResponse: response,
      dwellTimeMs: now - n.timestamp,
      attempts: 1,
      statusCode,
    },
    status: outcome.ok ? 'SUCCESS' : 'FAILURE',
  };
  deliverLogEvents(
    twin,
    {
      accountId: topic.accountId,
      region: topic.region,
      logGroupName: `sns/${topic.region}/${topic.accountId}/${topic.name}${outcome.ok ? '' : '/Failure'}`,
      logStreamName: twin.ids.uuid(),
      createGroup: true,
      principal,
    },
    [{ timestamp: now, message: JSON.stringify(record) }],
  );
}
