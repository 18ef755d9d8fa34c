import { CloudTrailClient, LookupEventsCommand, ThrottlingException } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, test, vi } from 'vitest';
import type { AwsClients } from '../../../helpers/clients.ts';
import type { TrailEvent } from '../../../helpers/cloudtrail.ts';
import { BlockedError, CannotTellError, LabDeviationError } from '../../../helpers/errors.ts';
import {
  controlProblem,
  isRunDenial,
  listGenerateDataKeys,
  noControl,
  refusalsOf,
  waitForRunDenial,
} from '../../../helpers/key-denials.ts';
import { settle, useFreshFakeClock } from './fake-clock.ts';

const KEY = 'arn:aws:kms:us-east-1:111111111111:key/k';
const MINE = 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-a1b2c3';
const THEIRS = 'arn:aws:sts::111111111111:assumed-role/Runner/meshcheck-mc-20260301-ffffff';
const denial = (over: Partial<TrailEvent> = {}): TrailEvent => ({
  id: 'e',
  name: 'Decrypt',
  time: new Date(),
  source: 'kms.amazonaws.com',
  errorCode: 'AccessDenied',
  principalArn: MINE,
  roleArn: 'arn:aws:iam::111111111111:role/Runner',
  resources: [KEY],
  encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b/receipts/a.txt' },
  ...over,
});

describe('isRunDenial: only this run’s refusal is the control', () => {
  const control = { keyArn: KEY, sessionArn: MINE, objectArns: [] };
  test('by the run’s own session', ({ expect }) => {
    expect(isRunDenial(denial(), control)).toBe(true);
    expect(isRunDenial(denial({ principalArn: THEIRS }), control)).toBe(false);
    expect(isRunDenial(denial({ errorCode: undefined }), control)).toBe(false);
    expect(
      isRunDenial(denial({ resources: ['arn:aws:kms:us-east-1:111111111111:key/other'] }), control),
    ).toBe(false);
  });

  test('without a session, by the object S3 named in the encryption context', ({ expect }) => {
    const byObject = { keyArn: KEY, objectArns: ['arn:aws:s3:::b/receipts/a.txt'] };
    expect(isRunDenial(denial({ principalArn: THEIRS }), byObject)).toBe(true);
    expect(isRunDenial(denial({ encryptionContext: { 'aws:s3:arn': 'arn:aws:s3:::b' } }), byObject)).toBe(
      false,
    );
    expect(isRunDenial(denial({ encryptionContext: undefined }), byObject)).toBe(false);
  });

  test('a bucket key without a session cannot be told apart, and says how to fix it', ({ expect }) => {
    expect(controlProblem({ keyArn: KEY, sessionArn: MINE, objectArns: [] }, true)).toBeUndefined();
    expect(controlProblem({ keyArn: KEY, objectArns: [] }, false)).toBeUndefined();
    expect(controlProblem({ keyArn: KEY, objectArns: [] }, true, 'a user')).toMatch(
      /cannot tell this run's refusal.*\(a user\).*S3 Bucket Key/,
    );
  });
});

describe('isRunDenial and controlProblem: the edges', () => {
  test('a KMS error other than a refusal is no control, even by the run’s own session', ({ expect }) => {
    const control = { keyArn: KEY, sessionArn: MINE, objectArns: [] };
    expect(isRunDenial(denial({ errorCode: 'KMSInvalidStateException' }), control)).toBe(false);
  });

  test('with a session, only the session counts: another caller refused on the run’s object does not', ({
    expect,
  }) => {
    const both = { keyArn: KEY, sessionArn: MINE, objectArns: ['arn:aws:s3:::b/receipts/a.txt'] };
    expect(isRunDenial(denial({ principalArn: THEIRS }), both)).toBe(false);
  });

  test('without a session, a refusal on the run’s object of another key is not the control', ({ expect }) => {
    const byObject = { keyArn: KEY, objectArns: ['arn:aws:s3:::b/receipts/a.txt'] };
    expect(
      isRunDenial(denial({ resources: ['arn:aws:kms:us-east-1:111111111111:key/other'] }), byObject),
    ).toBe(false);
  });

  test('the problem says "none" when nothing says why the runner has no session', ({ expect }) => {
    expect(controlProblem({ keyArn: KEY, objectArns: [] }, true)).toContain('carry no run session (none)');
    expect(controlProblem({ keyArn: KEY, objectArns: [] }, true)).toMatch(
      /name it in accounts\.lab\.assumeRoleArn$/,
    );
  });
});

describe('refusalsOf and noControl', () => {
  test('finds refusals of the pipeline’s roles only', ({ expect }) => {
    const pipeline = denial({ id: 'p', roleArn: 'arn:aws:iam::111111111111:role/Proc' });
    const ok = denial({ id: 'ok', roleArn: 'arn:aws:iam::111111111111:role/Proc', errorCode: undefined });
    expect(refusalsOf([denial(), pipeline, ok], new Set(['arn:aws:iam::111111111111:role/Proc']))).toEqual([
      pipeline,
    ]);
  });

  test('absence without the control is an error saying so; blocked stays blocked', ({ expect }) => {
    const blocked = new BlockedError('D7', 'no receipt arrived');
    expect(noControl(blocked)).toBe(blocked);
    const missing = noControl(new LabDeviationError('waited 20s'));
    expect(missing).toBeInstanceOf(CannotTellError);
    expect(missing.message).toMatch(/cannot conclude .* this run's own refusal \(D10\) is not visible/);
    expect(missing.message).toMatch(/ — waited 20s$/);
    expect(missing.kind).toBe('timeout');
  });

  test('a cannot-tell that is not a block is the missing control, with the reason kept', ({ expect }) => {
    const throttled = new CannotTellError('could not look up Decrypt events: Throttling', 'throttled');
    const missing = noControl(throttled);
    expect(missing).not.toBe(throttled);
    expect(missing.message).toMatch(
      /^cannot conclude that CloudTrail holds no refusal: .* — could not look up/,
    );
    expect(missing.cause).toBe(throttled);
  });

  test('a refusal of no role, or of a role outside the pipeline, is not the pipeline’s', ({ expect }) => {
    const proc = 'arn:aws:iam::111111111111:role/Proc';
    const userRefused = denial({ id: 'u', roleArn: undefined });
    const other = denial({ id: 'o', roleArn: 'arn:aws:iam::111111111111:role/Other' });
    expect(refusalsOf([userRefused, other], new Set([proc]))).toEqual([]);
    // Any KMS error of a pipeline role is a refusal D11 reports, not only AccessDenied.
    const disabled = denial({ id: 'd', roleArn: proc, errorCode: 'DisabledException' });
    expect(refusalsOf([disabled], new Set([proc]))).toEqual([disabled]);
  });
});

describe('waitForRunDenial and listGenerateDataKeys, on a fake clock', () => {
  const cloudtrail = new CloudTrailClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  const mock = mockClient(cloudtrail);
  const clients = { cloudtrail } as unknown as AwsClients;
  const record = (e: { id: string; arn: string; context?: string }) => ({
    EventId: e.id,
    CloudTrailEvent: JSON.stringify({
      eventName: 'Decrypt',
      errorCode: 'AccessDenied',
      userIdentity: { arn: e.arn },
      resources: [{ ARN: KEY }],
      ...(e.context && { requestParameters: { encryptionContext: { 'aws:s3:arn': e.context } } }),
    }),
  });
  beforeEach(() => {
    mock.reset();
    useFreshFakeClock();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test('another run’s refusal does not end the wait; this run’s does', async ({ expect }) => {
    mock
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [record({ id: 'theirs', arn: THEIRS })] })
      .resolves({ Events: [record({ id: 'theirs', arn: THEIRS }), record({ id: 'mine', arn: MINE })] });
    const found = await settle(
      waitForRunDenial(
        clients,
        { keyArn: KEY, sessionArn: MINE, objectArns: [] },
        { start: new Date(0), timeoutMs: 10_000 },
      ),
    );
    expect(found.denials.map((d) => d.id)).toEqual(['mine']);
    expect(found.decrypts.map((d) => d.id)).toEqual(['theirs', 'mine']);
    expect(mock.commandCalls(LookupEventsCommand)[0]!.args[0].input).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Decrypt' }],
      StartTime: new Date(0),
    });
  });

  test('only another run’s refusal within the bound: the control is missing', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [record({ id: 'theirs', arn: THEIRS })] });
    const error = await settle(
      waitForRunDenial(
        clients,
        { keyArn: KEY, sessionArn: MINE, objectArns: [] },
        { start: new Date(0), timeoutMs: 1_500 },
      ),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(LabDeviationError);
    expect(error.message).toContain(`1 Decrypt events, none a refusal of ${MINE}`);
    expect(error.message).toContain(
      'look yourself: aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=Decrypt',
    );
  });

  test('without a session, the wait names the objects whose refusal it waits for', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [] });
    const error = await settle(
      waitForRunDenial(
        clients,
        { keyArn: KEY, objectArns: ['arn:aws:s3:::b/r/1.txt', 'arn:aws:s3:::b/r/2.txt'] },
        { start: new Date(0), timeoutMs: 1_500 },
      ),
    ).catch((e) => e);
    expect(error.message).toContain(
      '0 Decrypt events, none a refusal of arn:aws:s3:::b/r/1.txt, arn:aws:s3:::b/r/2.txt',
    );
  });

  test.for([
    [30_000, 'scale 0.1'],
    [300_000, "CloudTrail's typical five minutes"],
  ] as const)(
    'a refusal visible %i ms after it was made (%s) is seen within a twentieth of that, in few look-ups',
    async ([delayMs], { expect }) => {
      const madeAt = Date.now() - 2_000;
      mock.on(LookupEventsCommand).callsFake(async () => ({
        Events: Date.now() >= madeAt + delayMs ? [record({ id: 'mine', arn: MINE })] : [],
      }));
      await settle(
        waitForRunDenial(
          clients,
          { keyArn: KEY, sessionArn: MINE, objectArns: [], madeAt },
          { start: new Date(0), timeoutMs: 1_200_000 },
        ),
      );
      const seenAfter = Date.now() - madeAt;
      expect(seenAfter).toBeGreaterThanOrEqual(delayMs);
      expect(seenAfter).toBeLessThanOrEqual(delayMs * 1.05 + 1_000);
      expect(mock.commandCalls(LookupEventsCommand).length).toBeLessThan(100);
    },
  );

  test('looks are never closer than half a second, nor further apart than half a minute', async ({
    expect,
  }) => {
    const t0 = Date.now();
    const times: number[] = [];
    mock.on(LookupEventsCommand).callsFake(async () => {
      times.push(Date.now() - t0);
      return { Events: [] };
    });
    await settle(
      waitForRunDenial(
        clients,
        { keyArn: KEY, sessionArn: MINE, objectArns: [], madeAt: t0 },
        { start: new Date(0), timeoutMs: 1_200_000 },
      ),
    ).catch(() => undefined);
    const gaps = times.slice(1, -1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000 + 550);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(30_000);
  });

  test('throttling that outlasts the wait is cannot-tell at the wait’s bound, not CloudTrail’s own', async ({
    expect,
  }) => {
    const t0 = Date.now();
    mock
      .on(LookupEventsCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }));
    const error = await settle(
      waitForRunDenial(
        clients,
        { keyArn: KEY, sessionArn: MINE, objectArns: [] },
        { start: new Date(0), timeoutMs: 20_000 },
      ),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(CannotTellError);
    expect(error.message).toMatch(/still throttled after \d+ tries/);
    // Retried within the wait's 20 s (pauses of 1, 2, 4, 8 s), not the look-up's default minute.
    expect(Date.now() - t0).toBeLessThanOrEqual(20_000);
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(5);
  });

  test('an abort stops the wait and reaches the look-up', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [] });
    const controller = new AbortController();
    const out = waitForRunDenial(
      clients,
      { keyArn: KEY, sessionArn: MINE, objectArns: [] },
      { start: new Date(0), timeoutMs: 600_000, signal: controller.signal },
    ).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    controller.abort(new Error('stopped'));
    await vi.advanceTimersByTimeAsync(0);
    const calls = mock.commandCalls(LookupEventsCommand);
    expect((calls[0]!.args as unknown[])[1]).toEqual({ abortSignal: controller.signal });
    // The wait ends at once: no look in the next two minutes, and its answer is in.
    await vi.advanceTimersByTimeAsync(120_000);
    expect(mock.commandCalls(LookupEventsCommand)).toHaveLength(calls.length);
    let settled = false;
    void out.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
  });

  test('the wait that runs out says what it waited for', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({ Events: [] });
    const error = await settle(
      waitForRunDenial(
        clients,
        { keyArn: KEY, sessionArn: MINE, objectArns: [] },
        { start: new Date(0), timeoutMs: 1_000 },
      ),
    ).catch((e) => e);
    expect(error.message).toMatch(
      new RegExp(`^waited \\d+\\.\\ds for this run's refused Decrypt on ${KEY} in CloudTrail;`),
    );
  });

  test('GenerateDataKey events are read with the caller’s bound', async ({ expect }) => {
    mock.on(LookupEventsCommand).resolves({
      Events: [{ EventId: 'g1', CloudTrailEvent: JSON.stringify({ eventName: 'GenerateDataKey' }) }],
    });
    const start = new Date('2026-03-01T09:00:00Z');
    const events = await settle(listGenerateDataKeys(clients, start, { boundMs: 5_000 }));
    expect(events.map((e) => [e.id, e.name])).toEqual([['g1', 'GenerateDataKey']]);
    expect(mock.commandCalls(LookupEventsCommand)[0]!.args[0].input).toMatchObject({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GenerateDataKey' }],
      StartTime: start,
    });
  });
});
