import { CloudTrailClient, LookupEventsCommand, ThrottlingException } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import { lookupEvents } from '../../../helpers/cloudtrail.ts';
import { CannotTellError } from '../../../helpers/errors.ts';
import { settle, useFreshFakeClock } from './fake-clock.ts';

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

// On a fake clock: the pacing to CloudTrail's quota, the backoff of a throttled page and the bound
// that ends it are timed, not slept.
beforeEach(() => {
  mock.reset();
  useFreshFakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('lookupEvents: every page, throttling retried within the bound', () => {
  test('a throttled first page is asked again, not taken for "no events"', async ({ expect }) => {
    mock
      .on(LookupEventsCommand)
      .rejectsOnce(throttled())
      .resolves({ Events: [event('e1')] });
    const events = await settle(
      lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 1, boundMs: 5_000 }),
    );
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
    const events = await settle(
      lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 1, boundMs: 5_000 }),
    );
    expect(events.map((e) => e.id)).toEqual(['e1', 'e2']);
    const tokens = mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, 't2', 't2', 't2']);
  });

  test('throttling past the bound is "cannot tell", saying it was throttled', async ({ expect }) => {
    mock.on(LookupEventsCommand).rejects(throttled());
    const error = await settle(
      lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 20, boundMs: 1_500 }),
    ).catch((e: unknown) => e);
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
    const error = await settle(lookupEvents(clients, 'Decrypt', new Date(0), { pauseMs: 1 })).catch(
      (e: unknown) => e,
    );
    expect((error as CannotTellError).kind).toBe('denied');
    expect((error as Error).message).not.toContain('throttled');
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });

  test('asks for the one event name since the start, and reads the record as CloudTrail writes it', async ({
    expect,
  }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [event('e1')] });
    const start = new Date('2026-03-01T09:00:00Z');
    const [e] = await settle(lookupEvents(clients, 'Decrypt', start));
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

describe('lookupEvents on the clock', () => {
  /** When (ms since the test began) each LookupEvents call went out. */
  function callTimes(): number[] {
    const t0 = Date.now();
    const times: number[] = [];
    mock.on(LookupEventsCommand).callsFake(() => {
      times.push(Date.now() - t0);
      throw throttled();
    });
    return times;
  }

  test('throttled pages are asked again after 1 s, 2 s, 4 s … at most 16 s apart, until 60 s have passed', async ({
    expect,
  }) => {
    const times = callTimes();
    const out = lookupEvents(clients, 'Decrypt', new Date(0)).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = await out;
    expect(times).toEqual([0, 1_000, 3_000, 7_000, 15_000, 31_000, 47_000]);
    expect(error).toBeInstanceOf(CannotTellError);
    expect((error as Error).message).toMatch(
      /^could not look up Decrypt events in CloudTrail: ThrottlingException \(400\) — Rate exceeded \(still throttled after 7 tries within the wait's bound\)$/,
    );
  });

  test("the bound and the first pause are the caller's", async ({ expect }) => {
    const times = callTimes();
    const out = lookupEvents(clients, 'Decrypt', new Date(0), { boundMs: 10_000, pauseMs: 3_000 }).catch(
      (e: unknown) => e,
    );
    await vi.runAllTimersAsync();
    expect(((await out) as Error).message).toContain('still throttled after 3 tries');
    expect(times).toEqual([0, 3_000, 9_000]);
  });

  test('a pause that would end exactly at the bound is still taken', async ({ expect }) => {
    const times = callTimes();
    const out = lookupEvents(clients, 'Decrypt', new Date(0), { boundMs: 3_000, pauseMs: 1_000 }).catch(
      (e: unknown) => e,
    );
    await vi.runAllTimersAsync();
    await out;
    expect(times).toEqual([0, 1_000, 3_000]);
  });

  test('look-ups in a row keep 550 ms apart (two calls a second per account and region)', async ({
    expect,
  }) => {
    const t0 = Date.now();
    const times: number[] = [];
    mock.on(LookupEventsCommand).callsFake(async () => {
      times.push(Date.now() - t0);
      return times.length === 1 ? { Events: [], NextToken: 'p2' } : { Events: [] };
    });
    const both = Promise.all([
      lookupEvents(clients, 'Decrypt', new Date(0)),
      lookupEvents(clients, 'GenerateDataKey', new Date(0)),
    ]);
    await vi.runAllTimersAsync();
    await both;
    expect(times).toEqual([0, 550, 1_100]);
  });

  test('a throttled later page says so', async ({ expect }) => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [event('e1')], NextToken: 't2' })
      .rejects(throttled());
    const out = lookupEvents(clients, 'Decrypt', new Date(0), { boundMs: 500 }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(((await out) as Error).message).toMatch(
      /^could not look up Decrypt events in CloudTrail \(a later page\): .*still throttled after 1 tries/,
    );
  });

  test("an abort during a backoff ends the look-up with the abort's reason, and reaches the SDK call", async ({
    expect,
  }) => {
    const times = callTimes();
    const controller = new AbortController();
    const out = lookupEvents(clients, 'Decrypt', new Date(0), { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1_500);
    controller.abort(new Error('the run was stopped'));
    await vi.runAllTimersAsync();
    expect(((await out) as Error).message).toBe('the run was stopped');
    // Nothing left behind to hold the process open for the rest of the pause.
    expect(vi.getTimerCount()).toBe(0);
    expect(times).toEqual([0, 1_000]);
    const sent = mock.commandCalls(LookupEventsCommand)[0]!.args as unknown[];
    expect(sent[1]).toEqual({ abortSignal: controller.signal });
  });
});

describe('lookupEvents: the request and the record', () => {
  test('the first page is asked without a token, 50 events a page', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({});
    const start = new Date('2026-03-01T09:00:00Z');
    expect(await settle(lookupEvents(clients, 'GenerateDataKey', start))).toEqual([]);
    const [call] = mock.commandCalls(LookupEventsCommand);
    expect(call!.args[0].input).toEqual({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }],
      StartTime: start,
      MaxResults: 50,
    });
    // Without a signal, nothing but the command is passed.
    expect(call!.args).toHaveLength(1);
  });

  test('a record missing its optional parts reads as empty, never as a refusal', async ({ expect }) => {
    // (An event without resources names none.)
    mock.on(LookupEventsCommand).resolves({
      Events: [
        {},
        {
          EventId: 'e2',
          CloudTrailEvent: JSON.stringify({
            eventName: 'Decrypt',
            userIdentity: { sessionContext: {} },
            resources: [{}, { ARN: 'arn:aws:kms:us-east-1:111111111111:key/k' }],
            requestParameters: null,
          }),
        },
      ],
    });
    expect(await settle(lookupEvents(clients, 'Decrypt', new Date(0)))).toEqual([
      { id: '', name: '', time: new Date(0), source: '', resources: [] },
      {
        id: 'e2',
        name: 'Decrypt',
        time: new Date(0),
        source: '',
        resources: ['arn:aws:kms:us-east-1:111111111111:key/k'],
      },
    ]);
  });

  test('the error message CloudTrail recorded is kept', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [event('e1', { errorMessage: 'not allowed' })] });
    const [e] = await settle(lookupEvents(clients, 'Decrypt', new Date(0)));
    expect(e!.errorMessage).toBe('not allowed');
  });
});
