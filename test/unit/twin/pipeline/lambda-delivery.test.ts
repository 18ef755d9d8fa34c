import { beforeEach, describe, expect, test } from 'vitest';
import { pipelineStats, setPipelineSeams } from '../../../../twin/pipeline/index.ts';
import { delay } from '../../../../twin/state/profile.ts';
import { A, type Fixture, fixture, REGION } from '../sqs/fixtures.ts';

/**
 * SNS → Lambda: a lambda subscription is confirmed at once and the
 * function is invoked asynchronously (Event) with the aws:sns event
 * (Lambda Developer Guide, with-sns.html). Lambda is stood in for here.
 */
const FUNCTION = `arn:aws:lambda:${REGION}:${A}:function:notify`;
const TOPIC = `arn:aws:sns:${REGION}:${A}:t`;

let f: Fixture;
let calls: { functionArn: string; invocationType: string; event: { Records: Record<string, unknown>[] } }[];
let gone: boolean;

beforeEach(async () => {
  f = fixture();
  calls = [];
  gone = false;
  setPipelineSeams(f.twin, {
    invokeFunction: async (_twin, request) => {
      if (gone) throw new Error('Function not found');
      calls.push({
        functionArn: request.functionArn,
        invocationType: request.invocationType,
        event: JSON.parse(request.payload.toString('utf8')),
      });
      return { statusCode: 202, payload: Buffer.alloc(0), logTail: '' };
    },
  });
  await f.sns('CreateTopic', { Name: 't' });
});

describe('lambda subscriptions', () => {
  test('the function gets an Event invoke with the aws:sns record', async () => {
    const { SubscriptionArn } = await f.sns<{ SubscriptionArn: string }>('Subscribe', {
      TopicArn: TOPIC,
      Protocol: 'lambda',
      Endpoint: FUNCTION,
    });
    const { MessageId } = await f.sns<{ MessageId: string }>('Publish', {
      TopicArn: TOPIC,
      Message: 'ping',
      Subject: 's',
    });
    await f.advance(delay(f.twin.profile, 'pipelineHopMs'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ functionArn: FUNCTION, invocationType: 'Event' });
    expect(calls[0]!.event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: SubscriptionArn,
      Sns: {
        Type: 'Notification',
        MessageId,
        TopicArn: TOPIC,
        Subject: 's',
        Message: 'ping',
        SigningCertUrl: expect.any(String),
        UnsubscribeUrl: expect.stringContaining(SubscriptionArn),
      },
    });
  });

  test('a failed invoke is counted as a failed delivery', async () => {
    const { SubscriptionArn } = await f.sns<{ SubscriptionArn: string }>('Subscribe', {
      TopicArn: TOPIC,
      Protocol: 'lambda',
      Endpoint: FUNCTION,
    });
    gone = true;
    await f.sns('Publish', { TopicArn: TOPIC, Message: 'ping' });
    await f.advance(delay(f.twin.profile, 'pipelineHopMs'));
    expect(pipelineStats(f.twin).subscriptions[SubscriptionArn]).toMatchObject({
      failed: 1,
      lastFailure: 'Function not found',
    });
  });
});
