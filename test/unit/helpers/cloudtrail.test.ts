import { CloudTrailClient, LookupEventsCommand, ThrottlingException } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, test } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { lookupEvents } from '../../../helpers/cloudtrail.ts';
import { CannotTellError } from '../../../helpers/errors.ts';

const cloudtrail = new CloudTrailClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const mock = mockClient(cloudtrail);
const clients = { cloudtrail } as unknown as AwsClients;
const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

const event = (id: string, extra: object = {}) => ({
  EventId: id,
  CloudTrailEvent: JSON.stringify({
    eventName: 'Decrypt',
    eventTime: '2026-03-01T10:00:00Z',
    eventSource: 'kms.amazonaws.com',
    errorCode: 'AccessDenied',
    userIdentity: {
      arn: 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-a1b2c3',
      invokedBy: 's3.amazonaws.com',
      sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111111111111:role/Runner' } },
    },
    resources: [{ ARN: 'arn:aws:kms:us-east-1:111111111111:key/k' }],
    requestParameters: { encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::bucket/receipts/a.txt' } },
    ...extra,
  }),
});

beforeEach(() => mock.reset());

describe('lookupEvents: every page, throttling retried within the bound', () => {
  test('a throttled first page is asked again, not taken for "no events"', async ({ expect }) => {
    mock
      .on(LookupEventsCommand)
      .rejectsOnce(throttled())
      .resolves({ Events: [event('e1')] });
    const events = await lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 1, boundMs: 5_000 });
    expect(events.map((e) => e.id)).toEqual(['e1']);
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(2);
  });

  test('a throttled later page is asked again with the same token, and every page is read', async ({
    expect,
  }) => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [event('e1')], NextToken: 't2' })
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce({ Events: [event('e2')] });
    const events = await lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 1, boundMs: 5_000 });
    expect(events.map((e) => e.id)).toEqual(['e1', 'e2']);
    const tokens = mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, 't2', 't2', 't2']);
  });

  test('throttling past the bound is "cannot tell", saying it was throttled', async ({ expect }) => {
    mock.on(LookupEventsCommand).rejects(throttled());
    const error = await lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 20, boundMs: 1_500 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as CannotTellError).kind).toBe('throttled');
    expect((error as Error).message).toMatch(
      /look up Decrypt events in CloudTrail.*still throttled after \d+ tries/,
    );
    expect(mock.commandCalls(LookupEventsCommand).length).toBeGreaterThan(1);
  });

  test('any other refusal is "cannot tell" at once', async ({ expect }) => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException', $metadata: {} });
    mock.on(LookupEventsCommand).rejects(denied);
    const error = await lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 1 }).catch(
      (e: unknown) => e,
    );
    expect((error as CannotTellError).kind).toBe('denied');
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });

  test('asks for the one event name since the start, and reads the record as CloudTrail writes it', async ({
    expect,
  }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [event('e1')] });
    const start = new Date('2026-03-01T09:00:00Z');
    const [e] = await lookupEvents(clients, 'Decrypt', start);
    expect(mock.commandCalls(LookupEventsCommand)[0]!.args[0].input).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }],
      StartTime: start,
    });
    expect(e).toEqual({
      id: 'e1',
      name: 'Decrypt',
      time: new Date('2026-03-01T10:00:00Z'),
      source: 'kms.amazonaws.com',
      errorCode: 'AccessDenied',
      principalArn: 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-a1b2c3',
      roleArn: 'arn:aws:iam::111111111111:role/Runner',
      invokedBy: 's3.amazonaws.com',
      resources: ['arn:aws:kms:us-east-1:111111111111:key/k'],
      encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::bucket/receipts/a.txt' },
    });
  });
});
